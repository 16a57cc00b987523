//! `/api/v1/tasks`: the workshop's jobs — list and filters, CRUD, the status machine and its
//! history, delays, notes, assignment with booking checks, statistics, CSV export and import.

mod assign;
pub mod change;
pub mod columns;
mod csv;
mod export;
pub mod fields;
mod filter;
pub mod model;
mod notes;
mod pages;
mod routes;
mod stats;
pub mod store;
mod workflow;

use crate::routing::routes;
use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::OpenApiRouter;

pub use change::notify_assignment;
pub use fields::TaskFields;
pub use filter::TaskSort;
pub use model::{Priority, Task, TaskStatus};
pub use pages::PageCache;
pub use routes::{create, publish_created};

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
        .routes(routes!(assign::availability))
        .routes(routes!(
            routes::get_task,
            routes::update_task,
            routes::delete_task
        ))
        .routes(routes!(workflow::transition))
        .routes(routes!(workflow::transitions))
        .routes(routes!(workflow::history))
        .routes(routes!(workflow::delay))
        .routes(routes!(notes::list_notes, notes::add_note))
        .routes(routes!(assign::assign))
        .merge(import)
}
