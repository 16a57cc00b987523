//! `/api/v1/calendar`: events, range queries, conflict checks and scheduling a task.

mod conflicts;
mod events;
mod schedule;
mod store;

use crate::routing::routes;
use utoipa_axum::router::OpenApiRouter;

pub use crate::scheduling::event::{CalendarEvent, EventFields, EventStatus, EventType};

use crate::state::AppState;

/// Routes of the calendar area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(events::list_events, events::create_event))
        .routes(routes!(
            events::get_event,
            events::update_event,
            events::delete_event
        ))
        .routes(routes!(conflicts::conflicts))
        .routes(routes!(schedule::schedule_task))
}
