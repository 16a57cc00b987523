//! The roles a user can have ([`Role`]) and how they rank; which routes a role may call is
//! declared by the role guards in [`principal`](super::principal).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a user may do. Workshop roles rank admin > supervisor > technician > viewer;
/// plant roles (operator, plant_head, auditor) stand beside them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including users and settings.
    Admin,
    /// Runs the workshop: all tasks and interventions, manages technicians and viewers.
    Supervisor,
    /// Works on the tasks and interventions assigned to them.
    Technician,
    /// Reads.
    Viewer,
    /// Plant floor: reads and writes plant operations.
    Operator,
    /// Plant management: reads plant operations.
    PlantHead,
    /// Plant audit: reads plant operations, never writes.
    Auditor,
}

crate::db::stored::text_column!(Role);

impl Role {
    /// Every role, for tests and docs.
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Supervisor,
        Role::Technician,
        Role::Viewer,
        Role::Operator,
        Role::PlantHead,
        Role::Auditor,
    ];

    /// The role's name as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Technician => "technician",
            Role::Viewer => "viewer",
            Role::Operator => "operator",
            Role::PlantHead => "plant_head",
            Role::Auditor => "auditor",
        }
    }

    /// Whether a supervisor may create and manage users of this role (those below them in the
    /// workshop); everyone else is managed by admins only.
    pub fn managed_by_supervisors(self) -> bool {
        matches!(self, Role::Technician | Role::Viewer)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
