//! The enums of interventions and their steps, stored as their snake_case names, and the two
//! state machines.

use crate::db::stored::stored_enum;

stored_enum! {
    /// Where an intervention stands. Moves follow [`InterventionStatus::targets`].
    InterventionStatus {
        /// Created, not started.
        Pending = "pending",
        /// Being worked.
        InProgress = "in_progress",
        /// Stopped for now.
        Paused = "paused",
        /// Finalised.
        Completed = "completed",
        /// Dropped.
        Cancelled = "cancelled",
        /// Completed and filed away.
        Archived = "archived",
    }
}

impl InterventionStatus {
    /// The statuses this one may move to.
    pub fn targets(self) -> &'static [Self] {
        use InterventionStatus::*;
        match self {
            Pending => &[InProgress, Cancelled, Paused],
            InProgress => &[Paused, Completed, Cancelled],
            Paused => &[InProgress, Cancelled, Completed],
            Completed | Cancelled | Archived => &[],
        }
    }

    /// Whether the task's work is still open in this intervention (at most one per task).
    pub fn is_active(self) -> bool {
        matches!(self, Self::Pending | Self::InProgress | Self::Paused)
    }
}

stored_enum! {
    /// What kind of job.
    InterventionType {
        /// Paint-protection film.
        Ppf = "ppf",
        /// Ceramic coating.
        Ceramic = "ceramic",
        /// Detailing.
        Detailing = "detailing",
        /// Anything else.
        Other = "other",
    }
}

stored_enum! {
    /// The step list an intervention follows (`templates`).
    Workflow {
        /// Inspection, preparation, installation, finalisation.
        StandardPpf = "standard_ppf",
        /// Two zones or fewer: inspection, installation, finalisation.
        ExpressPpf = "express_ppf",
        /// Preparation, application, curing, finalisation.
        Ceramic = "ceramic",
    }
}

stored_enum! {
    /// The film applied.
    FilmType {
        /// Standard gloss.
        Standard = "standard",
        /// Premium.
        Premium = "premium",
        /// Matte.
        Matte = "matte",
        /// Coloured.
        Colored = "colored",
    }
}

stored_enum! {
    /// The weather during the job.
    Weather {
        /// Sunny.
        Sunny = "sunny",
        /// Cloudy.
        Cloudy = "cloudy",
        /// Rainy.
        Rainy = "rainy",
        /// Foggy.
        Foggy = "foggy",
        /// Windy.
        Windy = "windy",
        /// Other.
        Other = "other",
    }
}

stored_enum! {
    /// The light the job is done in.
    Lighting {
        /// Daylight.
        Natural = "natural",
        /// Lamps.
        Artificial = "artificial",
        /// Both.
        Mixed = "mixed",
    }
}

stored_enum! {
    /// Where the job is done.
    WorkLocation {
        /// In the workshop.
        Indoor = "indoor",
        /// Outside.
        Outdoor = "outdoor",
        /// Under a roof, open at the sides.
        SemiCovered = "semi_covered",
    }
}

stored_enum! {
    /// What a step is; its collected data is shaped by it (`data`).
    StepType {
        /// Look at the vehicle, note defects and conditions.
        Inspection = "inspection",
        /// Wash, decontaminate, cut the patterns.
        Preparation = "preparation",
        /// Lay the film, zone by zone.
        Installation = "installation",
        /// Check, brief the customer, sign.
        Finalization = "finalization",
        /// Apply the ceramic coating.
        Application = "application",
        /// Let the coating cure.
        Curing = "curing",
    }
}

stored_enum! {
    /// Where a step stands.
    StepStatus {
        /// Not reached yet.
        Pending = "pending",
        /// The active step.
        InProgress = "in_progress",
        /// Stopped with its intervention.
        Paused = "paused",
        /// Done.
        Completed = "completed",
        /// Could not be done; must be reworked before the intervention can finish.
        Failed = "failed",
        /// Left out (only steps that are not mandatory).
        Skipped = "skipped",
        /// To be done again (after a failure or a supervisor's rejection).
        Rework = "rework",
    }
}

impl StepStatus {
    /// Whether the step is behind the technician: the next one may start.
    pub fn is_done(self) -> bool {
        matches!(self, Self::Completed | Self::Skipped)
    }

    /// Whether the step is the one being worked.
    pub fn is_open(self) -> bool {
        matches!(self, Self::InProgress | Self::Rework)
    }
}
