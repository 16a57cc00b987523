//! The step lists an intervention follows, from `reference/domain-facts.md` (PPF workflow).
//!
//! Where the seeds and the architecture document disagree on the PPF order (Preparation first),
//! domain facts wins: Inspection is step 1. The ceramic list (Preparation, Application, Curing,
//! Finalisation) is the architecture document's, the only source that has one; its curing step
//! is the one step that is not mandatory (a coating may finish curing at the customer's), so it
//! may be skipped.

use crate::interventions::model::{InterventionType, StepType, Workflow};

/// One step of a workflow, as created when an intervention starts.
#[derive(Debug, Clone, Copy)]
pub struct StepTemplate {
    /// Name.
    pub name: &'static str,
    /// Type.
    pub step_type: StepType,
    /// What the step is.
    pub description: &'static str,
    /// Whether finalising needs it completed (one that is not may be skipped).
    pub mandatory: bool,
    /// Photos allowed.
    pub max_photos: i64,
    /// Planned seconds.
    pub estimated_seconds: i64,
    /// What must be true when it is done.
    pub checkpoints: [&'static str; 3],
}

const INSPECTION: StepTemplate = StepTemplate {
    name: "Inspection",
    step_type: StepType::Inspection,
    description: "Inspect the vehicle, document existing damage and the working conditions.",
    mandatory: true,
    max_photos: 10,
    estimated_seconds: 900,
    checkpoints: [
        "Surface cleanliness verified",
        "Existing damage documented",
        "Measurements taken",
    ],
};

const PREPARATION: StepTemplate = StepTemplate {
    name: "Préparation",
    step_type: StepType::Preparation,
    description: "Clean and decontaminate the surfaces, prepare the film patterns.",
    mandatory: true,
    max_photos: 8,
    estimated_seconds: 1800,
    checkpoints: [
        "Vehicle cleaned and decontaminated",
        "Film patterns prepared",
        "Work area ready",
    ],
};

const INSTALLATION: StepTemplate = StepTemplate {
    name: "Installation",
    step_type: StepType::Installation,
    description: "Apply the film zone by zone.",
    mandatory: true,
    max_photos: 15,
    estimated_seconds: 3600,
    checkpoints: [
        "Film applied without bubbles",
        "Edges properly sealed",
        "No contamination under film",
    ],
};

const FINALISATION: StepTemplate = StepTemplate {
    name: "Finalisation",
    step_type: StepType::Finalization,
    description: "Final inspection, customer walkthrough and signature.",
    mandatory: true,
    max_photos: 10,
    estimated_seconds: 900,
    checkpoints: [
        "Final quality inspection passed",
        "Customer walkthrough completed",
        "Documentation complete",
    ],
};

const CERAMIC_PREPARATION: StepTemplate = StepTemplate {
    name: "Préparation",
    step_type: StepType::Preparation,
    description: "Wash, decontaminate and polish the paint before coating.",
    mandatory: true,
    max_photos: 8,
    estimated_seconds: 3600,
    checkpoints: [
        "Vehicle cleaned and decontaminated",
        "Paint corrected",
        "Surface degreased",
    ],
};

const APPLICATION: StepTemplate = StepTemplate {
    name: "Application",
    step_type: StepType::Application,
    description: "Apply the ceramic coating panel by panel.",
    mandatory: true,
    max_photos: 10,
    estimated_seconds: 5400,
    checkpoints: [
        "Coating applied evenly",
        "No high spots left",
        "Every panel levelled",
    ],
};

const CURING: StepTemplate = StepTemplate {
    name: "Curing",
    step_type: StepType::Curing,
    description: "Let the coating cure in controlled conditions.",
    mandatory: false,
    max_photos: 5,
    estimated_seconds: 7200,
    checkpoints: [
        "Curing time respected",
        "Vehicle kept dry",
        "Temperature within range",
    ],
};

const STANDARD_PPF: &[StepTemplate] = &[INSPECTION, PREPARATION, INSTALLATION, FINALISATION];
const EXPRESS_PPF: &[StepTemplate] = &[INSPECTION, INSTALLATION, FINALISATION];
const CERAMIC: &[StepTemplate] = &[CERAMIC_PREPARATION, APPLICATION, CURING, FINALISATION];

/// The workflow for a job: ceramic for a ceramic coating, otherwise `express_ppf` when the
/// job covers two zones or fewer and `standard_ppf` for more.
pub fn choose(kind: InterventionType, zones: usize) -> Workflow {
    match kind {
        InterventionType::Ceramic => Workflow::Ceramic,
        _ if zones <= 2 => Workflow::ExpressPpf,
        _ => Workflow::StandardPpf,
    }
}

/// The steps of `workflow`, in order.
pub fn steps(workflow: Workflow) -> &'static [StepTemplate] {
    match workflow {
        Workflow::StandardPpf => STANDARD_PPF,
        Workflow::ExpressPpf => EXPRESS_PPF,
        Workflow::Ceramic => CERAMIC,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ppf_starts_with_inspection_and_ends_with_finalisation() {
        for workflow in [Workflow::StandardPpf, Workflow::ExpressPpf] {
            let list = steps(workflow);
            assert_eq!(list[0].step_type, StepType::Inspection);
            assert_eq!(list[list.len() - 1].step_type, StepType::Finalization);
        }
        assert_eq!(steps(Workflow::StandardPpf).len(), 4);
        assert_eq!(steps(Workflow::ExpressPpf).len(), 3);
    }

    #[test]
    fn two_zones_or_fewer_is_express() {
        assert_eq!(choose(InterventionType::Ppf, 2), Workflow::ExpressPpf);
        assert_eq!(choose(InterventionType::Ppf, 3), Workflow::StandardPpf);
        assert_eq!(choose(InterventionType::Ceramic, 1), Workflow::Ceramic);
    }
}
