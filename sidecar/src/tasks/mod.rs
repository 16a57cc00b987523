//! `/api/v1/tasks`: the workshop's jobs — list and filters, CRUD, the status machine and its
//! history, delays, notes, assignment with booking checks, statistics, CSV export and import.

mod csv;
mod export;
mod filter;
pub mod model;
mod pages;
mod routes;
mod stats;
pub mod store;
mod wire;
mod workflow;

use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use model::{Priority, Task, TaskFields, TaskStatus};
pub use pages::PageCache;
pub use routes::notify_assignment;

use crate::extract::BodyLimit;
use crate::state::AppState;

/// Largest CSV an import accepts (about 100,000 rows).
pub const IMPORT_LIMIT_BYTES: usize = 32 * 1024 * 1024;

/// Routes of the tasks area.
pub fn router() -> OpenApiRouter<AppState> {
    let import = OpenApiRouter::new()
        .routes(routes!(csv::import))
        .layer(DefaultBodyLimit::max(IMPORT_LIMIT_BYTES))
        .layer(axum::Extension(BodyLimit(IMPORT_LIMIT_BYTES)));
    OpenApiRouter::new()
        .routes(routes!(routes::list_tasks, routes::create_task))
        .routes(routes!(stats::task_stats))
        .routes(routes!(export::export))
        .routes(routes!(workflow::availability))
        .routes(routes!(
            routes::get_task,
            routes::update_task,
            routes::delete_task
        ))
        .routes(routes!(workflow::transition))
        .routes(routes!(workflow::transitions))
        .routes(routes!(workflow::history))
        .routes(routes!(workflow::delay))
        .routes(routes!(workflow::list_notes, workflow::add_note))
        .routes(routes!(workflow::assign))
        .merge(import)
}
