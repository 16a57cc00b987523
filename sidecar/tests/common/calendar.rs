//! Typed calendar bodies: a new event ([`EventBuilder`]), a conflict dry run ([`ConflictCheck`])
//! and booking a task for a technician ([`schedule`]).

use axum::Router;
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value};

use super::builders::merge;
use super::http::{Reply, call};

/// The fields of `POST /api/v1/calendar/events` the builder sets by name.
#[derive(Debug, Clone, Serialize)]
struct NewEvent {
    title: String,
    start_datetime: String,
    end_datetime: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    technician_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    task_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

/// A new calendar event: a title and its start and end (RFC 3339) until told otherwise.
#[derive(Debug, Clone)]
pub struct EventBuilder {
    event: NewEvent,
    extra: Map<String, Value>,
}

impl EventBuilder {
    /// An event from `start` to `end`.
    pub fn new(title: &str, start: &str, end: &str) -> Self {
        Self {
            event: NewEvent {
                title: title.to_owned(),
                start_datetime: start.to_owned(),
                end_datetime: end.to_owned(),
                technician_id: None,
                task_id: None,
                event_type: None,
                status: None,
                description: None,
            },
            extra: Map::new(),
        }
    }

    /// The technician it books.
    pub fn technician(mut self, id: &str) -> Self {
        self.event.technician_id = Some(id.to_owned());
        self
    }

    /// The task it is tied to.
    pub fn task(mut self, id: &str) -> Self {
        self.event.task_id = Some(id.to_owned());
        self
    }

    /// `appointment` (the default), `meeting`, `task`…
    pub fn event_type(mut self, event_type: &str) -> Self {
        self.event.event_type = Some(event_type.to_owned());
        self
    }

    /// `confirmed` (the default), `tentative` or `cancelled`.
    pub fn status(mut self, status: &str) -> Self {
        self.event.status = Some(status.to_owned());
        self
    }

    /// The description.
    pub fn description(mut self, description: &str) -> Self {
        self.event.description = Some(description.to_owned());
        self
    }

    /// Any other field, or a value the typed setters cannot express.
    pub fn with(mut self, field: &str, value: Value) -> Self {
        self.extra.insert(field.to_owned(), value);
        self
    }

    /// The request body.
    pub fn body(&self) -> Value {
        merge(&self.event, &self.extra)
    }

    /// `POST /api/v1/calendar/events`, whatever the answer.
    pub async fn post(&self, app: &Router, token: &str) -> Reply {
        let body = Some(self.body());
        call(app, "POST", "/api/v1/calendar/events", Some(token), body).await
    }

    /// `POST /api/v1/calendar/events`, which must create it; returns the event.
    pub async fn create(&self, app: &Router, token: &str) -> Value {
        self.post(app, token).await.assert_ok(StatusCode::CREATED)
    }
}

/// Body of `POST /api/v1/calendar/schedule-task`.
#[derive(Debug, Serialize)]
struct ScheduleTask<'a> {
    task_id: &'a str,
    start: &'a str,
    end: &'a str,
    technician_id: &'a str,
}

/// Book `task` for `technician` from `start` to `end` (RFC 3339), whatever the answer.
pub async fn schedule(
    app: &Router,
    token: &str,
    task: &str,
    (start, end): (&str, &str),
    technician: &str,
) -> Reply {
    let body = ScheduleTask {
        task_id: task,
        start,
        end,
        technician_id: technician,
    };
    let body = serde_json::to_value(body).expect("a body serialises");
    call(
        app,
        "POST",
        "/api/v1/calendar/schedule-task",
        Some(token),
        Some(body),
    )
    .await
}

/// Body of `POST /api/v1/calendar/conflicts`.
#[derive(Debug, Clone, Serialize)]
struct NewConflictCheck {
    technician_id: String,
    start: String,
    end: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    exclude_task_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exclude_event_id: Option<String>,
}

/// A conflict dry run: what books `technician` between `start` and `end` (RFC 3339).
#[derive(Debug, Clone)]
pub struct ConflictCheck {
    check: NewConflictCheck,
}

impl ConflictCheck {
    /// Ask about `technician` from `start` to `end`.
    pub fn new(technician: &str, start: &str, end: &str) -> Self {
        Self {
            check: NewConflictCheck {
                technician_id: technician.to_owned(),
                start: start.to_owned(),
                end: end.to_owned(),
                exclude_task_id: None,
                exclude_event_id: None,
            },
        }
    }

    /// Ask about another technician.
    pub fn technician(mut self, id: &str) -> Self {
        self.check.technician_id = id.to_owned();
        self
    }

    /// Leave this task's booking out.
    pub fn exclude_task(mut self, id: &str) -> Self {
        self.check.exclude_task_id = Some(id.to_owned());
        self
    }

    /// Leave this event out.
    pub fn exclude_event(mut self, id: &str) -> Self {
        self.check.exclude_event_id = Some(id.to_owned());
        self
    }

    /// The request body.
    pub fn body(&self) -> Value {
        serde_json::to_value(&self.check).expect("a body serialises")
    }

    /// `POST /api/v1/calendar/conflicts`, whatever the answer.
    pub async fn post(&self, app: &Router, token: &str) -> Reply {
        let body = Some(self.body());
        call(app, "POST", "/api/v1/calendar/conflicts", Some(token), body).await
    }
}
