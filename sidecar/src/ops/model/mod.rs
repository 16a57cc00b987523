//! The plant's enums, with BPM-OS's own labels as their stored and sent names (`"In
//! Progress"`, `"Locked"`), and the 13 BPM-OS role labels mapped onto our roles.

use crate::auth::Role;

mod figures;
mod label;

pub use figures::{ChartPoint, SystemMetric};
use label::label_enum;

label_enum!(
    /// A runbook's state, computed from its stages and lines.
    RunbookStatus {
        /// Every stage completed.
        Healthy = "Healthy",
        /// Running, while a line that serves it is blocked or in maintenance.
        Degraded = "Degraded",
        /// A stage on hold or a locked gate.
        Blocked = "Blocked",
        /// Nothing started.
        Idle = "Idle",
        /// A stage in progress.
        Running = "Running",
    }
);

label_enum!(
    /// A stage's state: Pending → In Progress → Completed; In Progress ⇄ Hold.
    StageStatus {
        /// Not started.
        Pending = "Pending",
        /// The runbook's current stage.
        InProgress = "In Progress",
        /// Held by an unresolved exception.
        Hold = "Hold",
        /// Done.
        Completed = "Completed",
    }
);

label_enum!(
    /// A gate's state.
    GateStatus {
        /// Cleared: the stage may complete.
        Open = "Open",
        /// A decision is pending.
        Closed = "Closed",
        /// Blocked, with evidence.
        Locked = "Locked",
    }
);

label_enum!(
    /// A decision on a gate: a gate is opened or locked, never closed again.
    GateVerdict {
        /// Clear it.
        Open = "Open",
        /// Block it, with evidence.
        Locked = "Locked",
    }
);

impl From<GateVerdict> for GateStatus {
    fn from(verdict: GateVerdict) -> Self {
        match verdict {
            GateVerdict::Open => Self::Open,
            GateVerdict::Locked => Self::Locked,
        }
    }
}

label_enum!(
    /// What a gate checks.
    GateType {
        /// Somebody signs off.
        Approval = "Approval",
        /// A measured check passes.
        Validation = "Validation",
        /// A machine or safety interlock.
        Interlock = "Interlock",
        /// A permit is granted.
        Authorization = "Authorization",
        /// Custody passes to somebody else.
        Handoff = "Handoff",
    }
);

label_enum!(
    /// How bad an exception is.
    Severity {
        /// Stops the plant: the desktop is told and brought forward.
        Critical = "Critical",
        /// Serious.
        High = "High",
        /// Notable.
        Medium = "Medium",
        /// Minor.
        Low = "Low",
    }
);

label_enum!(
    /// An exception's lifecycle: Raised → Triaged → In Review → Resolved → Closed.
    ExceptionStatus {
        /// Reported; its stage is on hold.
        Raised = "Raised",
        /// An owner has taken it.
        Triaged = "Triaged",
        /// Being examined.
        InReview = "In Review",
        /// Fixed; its stage is released.
        Resolved = "Resolved",
        /// Verified and filed.
        Closed = "Closed",
    }
);

impl ExceptionStatus {
    /// Where an exception may go from here (triage may go straight to resolved).
    pub fn targets(self) -> &'static [ExceptionStatus] {
        use ExceptionStatus::*;
        match self {
            Raised => &[Triaged],
            Triaged => &[InReview, Resolved],
            InReview => &[Resolved],
            Resolved => &[Closed],
            Closed => &[],
        }
    }

    /// Whether the exception still holds its stage.
    pub fn is_open(self) -> bool {
        !matches!(self, ExceptionStatus::Resolved | ExceptionStatus::Closed)
    }
}

label_enum!(
    /// What a line is doing.
    LineMode {
        /// A station runs.
        Running = "Running",
        /// Nothing runs.
        Idle = "Idle",
        /// A station is blocked.
        Blocked = "Blocked",
        /// Set aside for maintenance.
        Maintenance = "Maintenance",
    }
);

label_enum!(
    /// A station's state.
    StationState {
        /// Waiting for work.
        Ready = "Ready",
        /// Working.
        Running = "Running",
        /// Stopped, with a reason.
        Blocked = "Blocked",
        /// Off.
        Idle = "Idle",
    }
);

label_enum!(
    /// A line's health.
    LineHealth {
        /// Nothing to see.
        Ok = "OK",
        /// In maintenance, or OEE under 65 % over the last 24 h.
        Attention = "Attention",
        /// Blocked.
        Critical = "Critical",
    }
);

label_enum!(
    /// Who holds a pack.
    CustodyType {
        /// The plant.
        Manufacturer = "Manufacturer",
        /// In transit.
        Logistics = "Logistics",
        /// Deployed.
        Customer = "Customer",
        /// At end of life.
        Recycler = "Recycler",
    }
);

label_enum!(
    /// An inventory item's state.
    InventoryStatus {
        /// Usable.
        Good = "Good",
        /// Quarantined, pending a decision.
        Hold = "Hold",
        /// Not to be used.
        Blocked = "Blocked",
    }
);

label_enum!(
    /// The five inventory categories.
    InventoryCategoryId {
        /// Cells.
        Cells = "cells",
        /// Modules.
        Modules = "modules",
        /// Packs.
        Packs = "packs",
        /// Finished goods.
        Finished = "finished",
        /// Deployed assets.
        Deployed = "deployed",
    }
);

label_enum!(
    /// A log row's kind.
    LogCategory {
        /// Runbooks, stages, gates, exceptions, inventory.
        Workflow = "Workflow",
        /// Lines, telemetry, demo data.
        System = "System",
        /// Passports and compliance.
        Compliance = "Compliance",
        /// Access.
        Security = "Security",
    }
);

label_enum!(
    /// A log row's weight.
    LogSeverity {
        /// Something happened.
        Info = "Info",
        /// Something completed.
        Success = "Success",
        /// Something needs attention.
        Warning = "Warning",
        /// Something failed or stopped.
        Error = "Error",
    }
);

label_enum!(
    /// A metric tile's colour.
    MetricStatus {
        /// Fine.
        Ok = "OK",
        /// Needs attention.
        Warning = "Warning",
        /// Bad.
        Critical = "Critical",
        /// Neutral.
        Info = "Info",
    }
);

label_enum!(
    /// What an attention item is.
    AttentionType {
        /// A blocked gate or a pending decision.
        Block = "Block",
        /// An open exception.
        Exception = "Exception",
        /// Blocked inventory.
        Risk = "Risk",
        /// Packs whose passport fails.
        Compliance = "Compliance",
    }
);

label_enum!(
    /// The five role dashboards.
    DashboardRole {
        /// Production operator.
        Operator = "operator",
        /// Supervisor and QA.
        Supervisor = "supervisor",
        /// Plant management.
        PlantHead = "plant-head",
        /// System admin.
        Admin = "admin",
        /// Compliance and audit.
        Auditor = "auditor",
    }
);

impl DashboardRole {
    /// Our role whose labels this dashboard's attention list follows.
    pub fn role(self) -> Role {
        match self {
            DashboardRole::Operator => Role::Operator,
            DashboardRole::Supervisor => Role::Supervisor,
            DashboardRole::PlantHead => Role::PlantHead,
            DashboardRole::Admin => Role::Admin,
            DashboardRole::Auditor => Role::Auditor,
        }
    }
}

/// The 13 BPM-OS role labels and the role of ours each belongs to (docs/plant-operations.md).
pub const ROLE_LABELS: [(&str, Role); 13] = [
    ("System Admin", Role::Admin),
    ("Design / Engineering", Role::Admin),
    ("Supervisor", Role::Supervisor),
    ("QA Engineer", Role::Supervisor),
    ("Stores / Incoming QC", Role::Supervisor),
    ("Production Planner", Role::Supervisor),
    ("Logistics / Dispatch", Role::Supervisor),
    ("Service / Support", Role::Supervisor),
    ("Production Operator", Role::Operator),
    ("Management / Auditor", Role::PlantHead),
    ("Commercial / Procurement", Role::PlantHead),
    ("Sustainability / ESG", Role::PlantHead),
    ("Compliance / Regulatory", Role::Auditor),
];

/// Whether a list of BPM-OS labels names `role` (an admin is named by every list).
pub fn labels_name(labels: &[String], role: Role) -> bool {
    role == Role::Admin
        || labels
            .iter()
            .any(|label| ROLE_LABELS.iter().any(|(l, r)| *r == role && l == label))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_sent_as_bpm_os_writes_them() {
        assert_eq!(
            serde_json::to_value(StageStatus::InProgress).unwrap(),
            "In Progress"
        );
        assert_eq!(serde_json::to_value(LineHealth::Ok).unwrap(), "OK");
        assert_eq!(
            serde_json::from_value::<DashboardRole>("plant-head".into()).unwrap(),
            DashboardRole::PlantHead
        );
    }

    #[test]
    fn every_label_maps_to_a_plant_or_managing_role() {
        let mut labels: Vec<_> = ROLE_LABELS.iter().map(|(l, _)| *l).collect();
        labels.dedup();
        assert_eq!(labels.len(), 13);
        assert!(
            ROLE_LABELS
                .iter()
                .all(|(_, r)| !matches!(r, Role::Technician | Role::Viewer))
        );
        let named = vec!["Production Operator".to_owned()];
        assert!(labels_name(&named, Role::Operator));
        assert!(!labels_name(&named, Role::Auditor));
        assert!(labels_name(&named, Role::Admin));
    }

    #[test]
    fn the_exception_lifecycle_only_goes_forward() {
        use ExceptionStatus::*;
        assert_eq!(Raised.targets(), &[Triaged]);
        assert!(Triaged.targets().contains(&Resolved));
        assert!(Closed.targets().is_empty());
        assert!(InReview.is_open() && !Resolved.is_open());
    }
}
