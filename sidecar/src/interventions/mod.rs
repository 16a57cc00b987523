//! `/api/v1/interventions`: the job done on a task, step by step — start, the steps and their
//! collected data, advance, fail, skip, rework, supervisor approval, pause, resume, cancel, and
//! finalisation with the customer's signature. The task follows each move.

mod approval;
mod change;
mod consumption;
pub mod data;
pub mod enums;
mod lifecycle;
pub mod model;
mod photos;
mod read;
pub mod report;
mod signature;
mod start;
mod steps;
mod store;
pub mod templates;

use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::OpenApiRouter;

use crate::extract::BodyLimit;

use crate::routing::routes;
use crate::state::AppState;

pub use model::{Intervention, InterventionStatus, Step, StepStatus, StepType};
pub use start::InterventionDetail;

/// Routes of the interventions area.
pub fn router() -> OpenApiRouter<AppState> {
    // A photo's form: the image and its part headers.
    let limit = photos::MAX_PHOTO_BYTES + 64 * 1024;
    let upload = OpenApiRouter::new()
        .routes(routes!(photos::list_photos, photos::upload_photo))
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::Extension(BodyLimit(limit)));
    OpenApiRouter::new()
        .routes(routes!(read::list_interventions, start::start_intervention))
        .routes(routes!(read::get_intervention))
        .routes(routes!(read::intervention_progress))
        .routes(routes!(lifecycle::pause_intervention))
        .routes(routes!(lifecycle::resume_intervention))
        .routes(routes!(lifecycle::cancel_intervention))
        .routes(routes!(lifecycle::finalize_intervention))
        .routes(routes!(steps::get_step, steps::save_step_progress))
        .routes(routes!(steps::advance_step))
        .routes(routes!(steps::move_step))
        .routes(routes!(approval::approve_step))
        .routes(routes!(approval::reject_step))
        .routes(routes!(read::task_interventions))
        .routes(routes!(read::active_task_intervention))
        .routes(routes!(read::latest_task_intervention))
        .routes(routes!(photos::get_photo, photos::delete_photo))
        .routes(routes!(
            consumption::list_consumption,
            consumption::record_consumption
        ))
        .routes(routes!(consumption::consumption_summary))
        .routes(routes!(report::create_report))
        .routes(routes!(report::download_report))
        .merge(upload)
}
