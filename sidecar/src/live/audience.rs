//! Who may receive an event on the live stream: an [`Audience`] travels with each event (and
//! across sidecars, [`super::relay`]) and the stream hands an event only to a subscriber it admits.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Role;

/// Who may receive an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Audience {
    /// Every workshop role (admin, supervisor, technician, viewer).
    Workshop,
    /// Workshop roles, but of the technicians only those named (a task's current and previous
    /// assignee).
    Technicians(Vec<Uuid>),
    /// The crew of an intervention: admins, supervisors and the technicians named; never
    /// viewers, who see no interventions.
    Crew(Vec<Uuid>),
    /// Admins, supervisors and every technician; never viewers (the stock is staff's).
    Staff,
    /// The plant's roles: admins, supervisors, operators, plant heads and auditors.
    Plant,
    /// Admins and supervisors only.
    Managers,
    /// Exactly the users named, whatever their role: a desktop request for one person (the
    /// technician a task was just assigned to).
    Only(Vec<Uuid>),
}

impl Audience {
    /// The audience of an event about a task assigned to `technicians` (any `None` skipped).
    pub fn task(technicians: impl IntoIterator<Item = Option<Uuid>>) -> Self {
        let mut ids: Vec<Uuid> = technicians.into_iter().flatten().collect();
        ids.dedup();
        Self::Technicians(ids)
    }

    /// The audience of an event about an intervention done by `technicians`.
    pub fn crew(technicians: impl IntoIterator<Item = Option<Uuid>>) -> Self {
        let mut ids: Vec<Uuid> = technicians.into_iter().flatten().collect();
        ids.dedup();
        Self::Crew(ids)
    }

    /// Whether a user with this role and id receives the event.
    pub fn admits(&self, role: Role, user: Uuid) -> bool {
        match self {
            Self::Only(ids) => return ids.contains(&user),
            Self::Managers => return matches!(role, Role::Admin | Role::Supervisor),
            _ => {}
        }
        match role {
            Role::Admin | Role::Supervisor => true,
            Role::Viewer => !matches!(
                self,
                Self::Crew(_) | Self::Staff | Self::Plant | Self::Managers | Self::Only(_)
            ),
            Role::Technician => match self {
                Self::Workshop | Self::Staff => true,
                Self::Technicians(ids) | Self::Crew(ids) => ids.contains(&user),
                Self::Plant | Self::Managers | Self::Only(_) => false,
            },
            Role::Operator | Role::PlantHead | Role::Auditor => matches!(self, Self::Plant),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admits_exactly_the_named_users_whatever_their_role() {
        let (named, other) = (Uuid::new_v4(), Uuid::new_v4());
        let only = Audience::Only(vec![named]);
        for role in [
            Role::Admin,
            Role::Supervisor,
            Role::Technician,
            Role::Viewer,
            Role::Operator,
        ] {
            assert!(only.admits(role, named), "{role:?} named");
            assert!(!only.admits(role, other), "{role:?} not named");
        }
    }

    #[test]
    fn managers_are_admins_and_supervisors() {
        let user = Uuid::new_v4();
        let admitted: Vec<Role> = [
            Role::Admin,
            Role::Supervisor,
            Role::Technician,
            Role::Viewer,
            Role::Operator,
            Role::PlantHead,
            Role::Auditor,
        ]
        .into_iter()
        .filter(|role| Audience::Managers.admits(*role, user))
        .collect();
        assert_eq!(admitted, [Role::Admin, Role::Supervisor]);
    }
}
