//! `/api/v1/calendar`: events, range queries, conflict checks and scheduling a task.

mod routes;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use crate::scheduling::event::{CalendarEvent, EventFields, EventStatus, EventType};

use crate::state::AppState;

/// Routes of the calendar area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::list_events, routes::create_event))
        .routes(routes!(
            routes::get_event,
            routes::update_event,
            routes::delete_event
        ))
        .routes(routes!(routes::conflicts))
        .routes(routes!(routes::schedule_task))
}
