//! Who is calling: the `CurrentUser` extractor, role guards, and the session cache.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use uuid::Uuid;

use crate::auth::Role;
use crate::auth::token::TokenKind;
use crate::clock::now_ms;
use crate::db::Versions;
use crate::error::{Error, Result};
use crate::state::AppState;
use crate::users::{USER_COLUMNS, User};

/// A cached check that a session is live stands this long before the session row is read (and
/// its `last_seen_at` written) again. Revocations do not wait for it (see [`SessionCache`]).
const CACHE_TTL: Duration = Duration::from_secs(10);

/// The authenticated caller: a live session of an active user.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The user as of the session check.
    pub user: Arc<User>,
    /// The session the access token belongs to.
    pub session_id: Uuid,
    /// The data versions the session check read: an answer kept at these versions (a task
    /// page) is current for this request.
    pub versions: Versions,
    /// When the access token expires (Unix seconds): an event stream opened with it ends then.
    pub token_expires_at: i64,
}

impl CurrentUser {
    /// The caller's id.
    pub fn id(&self) -> Uuid {
        self.user.id
    }

    /// The caller's current role (from the database, not the token).
    pub fn role(&self) -> Role {
        self.user.role
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        let header = parts.headers.get(AUTHORIZATION).ok_or_else(|| {
            Error::Auth("sign in first: missing `Authorization: Bearer` token".into())
        })?;
        let token = header
            .to_str()
            .ok()
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .ok_or_else(|| Error::Auth("expected `Authorization: Bearer <token>`".into()))?;
        // A request that changes data is served by the writer from its first query on, so it
        // never waits behind reads for the check of its session (see `db::Pools`).
        let db = if parts.method.is_safe() {
            &state.db
        } else {
            &state.writer
        };
        let current = Self::check_token(state, db, token).await?;
        parts.extensions.insert(current.clone());
        Ok(current)
    }
}

impl CurrentUser {
    /// The caller an access token names, when the token is valid and its session live.
    pub async fn from_access_token(state: &AppState, token: &str) -> Result<Self> {
        Self::check_token(state, &state.db, token).await
    }

    /// [`Self::from_access_token`], reading the session through `db`.
    async fn check_token(state: &AppState, db: &sqlx::AnyPool, token: &str) -> Result<Self> {
        let claims = state.auth.tokens.verify(token.trim(), TokenKind::Access)?;
        let (user, versions) = state
            .auth
            .session_cache
            .check(state, db, claims.sid, claims.sub)
            .await?;
        Ok(Self {
            user,
            session_id: claims.sid,
            versions,
            token_expires_at: claims.exp,
        })
    }
}

/// A set of roles a route admits.
pub trait Roles {
    /// The roles.
    const ALLOWED: &'static [Role];
}

/// Admins only.
#[derive(Debug)]
pub struct AdminOnly;
impl Roles for AdminOnly {
    const ALLOWED: &'static [Role] = &[Role::Admin];
}

/// Admins and supervisors.
#[derive(Debug)]
pub struct Managers;
impl Roles for Managers {
    const ALLOWED: &'static [Role] = &[Role::Admin, Role::Supervisor];
}

/// The workshop's roles: everyone who may read workshop data.
#[derive(Debug)]
pub struct Workshop;
impl Roles for Workshop {
    const ALLOWED: &'static [Role] = &[
        Role::Admin,
        Role::Supervisor,
        Role::Technician,
        Role::Viewer,
    ];
}

/// Workshop roles that create and change workshop data (not viewers).
#[derive(Debug)]
pub struct WorkshopStaff;
impl Roles for WorkshopStaff {
    const ALLOWED: &'static [Role] = &[Role::Admin, Role::Supervisor, Role::Technician];
}

/// The plant's roles, and the workshop's managers: everyone who may read plant operations.
#[derive(Debug)]
pub struct Plant;
impl Roles for Plant {
    const ALLOWED: &'static [Role] = &[
        Role::Admin,
        Role::Supervisor,
        Role::Operator,
        Role::PlantHead,
        Role::Auditor,
    ];
}

/// Plant roles that change plant operations: everyone in [`Plant`] but auditors.
#[derive(Debug)]
pub struct PlantWriters;
impl Roles for PlantWriters {
    const ALLOWED: &'static [Role] = &[
        Role::Admin,
        Role::Supervisor,
        Role::Operator,
        Role::PlantHead,
    ];
}

/// The caller, known to hold one of `R`'s roles; otherwise `AUTHORIZATION_ERROR`.
#[derive(Debug)]
pub struct Authorized<R: Roles> {
    /// The caller.
    pub user: CurrentUser,
    roles: PhantomData<R>,
}

impl<R: Roles> FromRequestParts<AppState> for Authorized<R> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if !R::ALLOWED.contains(&user.role()) {
            return Err(Error::Forbidden(
                format!("the {} role may not do this", user.role()).into(),
            ));
        }
        Ok(Self {
            user,
            roles: PhantomData,
        })
    }
}

struct Entry {
    user: Arc<User>,
    expires_at: i64,
    /// The version of `sessions` ([`Versions::sessions`]) the answer was read at.
    version: i64,
    checked: Instant,
}

/// Live sessions recently confirmed in the database, so an authenticated request usually
/// costs no query (the versions come from [`crate::db::VersionCache`], which reads them again
/// only after a commit) instead of the session-and-user join.
///
/// An answer is used only while `data_versions` still holds the version of `sessions` it was
/// read at. SQLite moves that version inside the transaction of any write to `users` or to a
/// session's end (triggers), so a revocation, ban, role change or deletion makes every cached
/// answer stale the moment it commits, whichever code (or process) wrote it: no write has to
/// remember to empty the cache. The TTL only bounds how long `last_seen_at` goes unwritten.
#[derive(Default)]
pub struct SessionCache {
    entries: RwLock<HashMap<Uuid, Entry>>,
}

impl std::fmt::Debug for SessionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionCache(..)")
    }
}

impl SessionCache {
    /// The user of a live session, from the cache or the database (read from `db`, the
    /// state's readers or its writer; the session's `last_seen_at` written through the writer),
    /// and the data versions (`state.versions`) used to decide.
    pub async fn check(
        &self,
        state: &AppState,
        db: &sqlx::AnyPool,
        session: Uuid,
        user: Uuid,
    ) -> Result<(Arc<User>, Versions)> {
        let now = now_ms();
        // Read before the row, so an answer is never kept under a version newer than it.
        let versions = state.versions.now(db).await?;
        let version = versions.sessions;
        if let Some(entry) = self.read().get(&session)
            && entry.version == version
            && entry.checked.elapsed() < CACHE_TTL
            && entry.expires_at > now
            && entry.user.id == user
        {
            return Ok((entry.user.clone(), versions));
        }
        let sql = format!(
            "SELECT {USER_COLUMNS}, s.expires_at AS session_expires_at FROM sessions s \
             JOIN users u ON u.id = s.user_id \
             WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 \
               AND u.id = $3 AND u.deleted_at IS NULL"
        );
        let row = sqlx::query_as::<_, SessionUserRow>(sqlx::AssertSqlSafe(sql))
            .bind(session.hyphenated().to_string())
            .bind(now)
            .bind(user.hyphenated().to_string())
            .fetch_optional(db)
            .await?
            .ok_or_else(|| Error::Auth("the session has ended; sign in again".into()))?;
        let expires_at = row.session_expires_at;
        let user = Arc::new(row.user);
        if !user.can_sign_in() {
            return Err(Error::Auth("this account is disabled".into()));
        }
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
            .bind(now)
            .bind(session.hyphenated().to_string())
            .execute(&state.writer)
            .await?;
        let mut entries = self.write();
        // Answers read at older versions can never be used again.
        entries.retain(|_, entry| entry.version >= version);
        entries.insert(
            session,
            Entry {
                user: user.clone(),
                expires_at,
                version,
                checked: Instant::now(),
            },
        );
        Ok((user, versions))
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<Uuid, Entry>> {
        self.entries
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<Uuid, Entry>> {
        self.entries
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[derive(sqlx::FromRow)]
struct SessionUserRow {
    #[sqlx(flatten)]
    user: User,
    session_expires_at: i64,
}
