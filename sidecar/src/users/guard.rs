//! Who may manage whom, and the last-admin rule.

use crate::db::Sql;
use uuid::Uuid;

use crate::auth::{CurrentUser, Role};
use crate::clock::now_ms;
use crate::error::{Error, Result};
use crate::state::AppState;
use crate::users::model::unique_conflict;

/// Append a condition (to an `UPDATE users ... WHERE id = <target> AND`) that holds unless the
/// row is the last active admin: demoting, banning, deactivating or deleting it would leave
/// nobody to administer the install. Checked in the same statement as the change, so two
/// concurrent changes cannot both pass.
fn push_keeps_an_admin(query: &mut Sql, target: Uuid) {
    query.push(
        "(role != 'admin' OR EXISTS (SELECT 1 FROM users o WHERE o.role = 'admin' AND o.is_active = TRUE \
         AND o.banned_at IS NULL AND o.deleted_at IS NULL AND o.id != ",
    );
    query.push_bind(target.hyphenated().to_string()).push("))");
}

/// Admins manage everyone; supervisors manage technicians and viewers.
pub fn ensure_can_manage(caller: &CurrentUser, target_role: Role) -> Result<()> {
    match caller.role() {
        Role::Admin => Ok(()),
        Role::Supervisor if target_role.managed_by_supervisors() => Ok(()),
        role => Err(Error::Forbidden(
            format!("the {role} role may not manage {target_role} accounts").into(),
        )),
    }
}

/// Why a guarded update touched no row: the user is gone, or it is the last admin.
async fn refused(db: &sqlx::AnyPool, target: Uuid, action: &str) -> Error {
    match crate::users::find(db, target).await {
        Ok(_) => Error::Conflict {
            message: format!("the last active admin cannot be {action}").into(),
            details: None,
        },
        Err(e) => e,
    }
}

/// Run `UPDATE users SET updated_at = now{set} WHERE id = target` on a live user and drop their
/// cached sessions. With `protect_last_admin`, the statement also refuses to touch the last
/// active admin (`CONFLICT`); a vanished user is `NOT_FOUND`, a taken email or username `CONFLICT`.
pub async fn guarded_update(
    state: &AppState,
    target: Uuid,
    protect_last_admin: bool,
    set: impl FnOnce(&mut Sql),
    action: &str,
) -> Result<()> {
    let mut query = Sql::new("UPDATE users SET updated_at = ");
    query.push_bind(now_ms());
    set(&mut query);
    query
        .push(" WHERE id = ")
        .push_bind(target.hyphenated().to_string())
        .push(" AND deleted_at IS NULL");
    if protect_last_admin {
        query.push(" AND ");
        push_keeps_an_admin(&mut query, target);
    }
    let done = query
        .build()
        .execute(&state.writer)
        .await
        .map_err(unique_conflict)?;
    if done.rows_affected() == 0 {
        return Err(refused(&state.db, target, action).await);
    }
    Ok(())
}
