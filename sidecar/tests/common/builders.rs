//! Typed request bodies for the resources most tests set up: tasks, clients, and moving a task
//! through its states (calendar bodies are in [`super::calendar`]).
//!
//! Each builder serialises a struct (`serde::Serialize`); `with` adds or replaces any other
//! field, for the tests that send what the API must refuse.

use axum::Router;
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value};

use super::http::{Reply, call};

/// `value` as JSON with `extra` laid over it.
pub(super) fn merge(value: &impl Serialize, extra: &Map<String, Value>) -> Value {
    let mut body = serde_json::to_value(value).expect("a body serialises");
    let fields = body.as_object_mut().expect("a body is an object");
    fields.extend(extra.clone());
    body
}

/// The fields of `POST /api/v1/tasks` the builder sets by name.
#[derive(Debug, Clone, Serialize)]
struct NewTask {
    vehicle_plate: String,
    vehicle_model: String,
    ppf_zones: Vec<String>,
    scheduled_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    technician_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    priority: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<String>,
}

/// A new task: plate `AB-123-CD`, a Model 3, the hood, on 2026-12-01 (a whole day) until told
/// otherwise.
#[derive(Debug, Clone)]
pub struct TaskBuilder {
    task: NewTask,
    extra: Map<String, Value>,
}

impl Default for TaskBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl TaskBuilder {
    /// The default task.
    pub fn new() -> Self {
        Self {
            task: NewTask {
                vehicle_plate: "AB-123-CD".to_owned(),
                vehicle_model: "Model 3".to_owned(),
                ppf_zones: vec!["hood".to_owned()],
                scheduled_date: "2026-12-01".to_owned(),
                start_time: None,
                end_time: None,
                technician_id: None,
                client_id: None,
                title: None,
                priority: None,
                status: None,
                tags: None,
                vin: None,
                description: None,
                notes: None,
            },
            extra: Map::new(),
        }
    }

    /// The vehicle's plate.
    pub fn plate(mut self, plate: &str) -> Self {
        self.task.vehicle_plate = plate.to_owned();
        self
    }

    /// The vehicle's model.
    pub fn model(mut self, model: &str) -> Self {
        self.task.vehicle_model = model.to_owned();
        self
    }

    /// The film zones.
    pub fn zones(mut self, zones: &[&str]) -> Self {
        self.task.ppf_zones = zones.iter().map(|z| (*z).to_owned()).collect();
        self
    }

    /// The scheduled date, `YYYY-MM-DD`.
    pub fn on(mut self, date: &str) -> Self {
        self.task.scheduled_date = date.to_owned();
        self
    }

    /// Start and end times, `HH:MM` (without them the task takes the whole day).
    pub fn at(mut self, start: &str, end: &str) -> Self {
        self.task.start_time = Some(start.to_owned());
        self.task.end_time = Some(end.to_owned());
        self
    }

    /// The assigned technician.
    pub fn technician(mut self, id: &str) -> Self {
        self.task.technician_id = Some(id.to_owned());
        self
    }

    /// The client the task is for.
    pub fn client(mut self, id: &str) -> Self {
        self.task.client_id = Some(id.to_owned());
        self
    }

    /// The title (the server makes one from model and plate without it).
    pub fn title(mut self, title: &str) -> Self {
        self.task.title = Some(title.to_owned());
        self
    }

    /// `low`, `medium`, `high` or `urgent`.
    pub fn priority(mut self, priority: &str) -> Self {
        self.task.priority = Some(priority.to_owned());
        self
    }

    /// The status to create it in (`draft` without it).
    pub fn status(mut self, status: &str) -> Self {
        self.task.status = Some(status.to_owned());
        self
    }

    /// Free tags.
    pub fn tags(mut self, tags: &[&str]) -> Self {
        self.task.tags = Some(tags.iter().map(|t| (*t).to_owned()).collect());
        self
    }

    /// The vehicle's VIN.
    pub fn vin(mut self, vin: &str) -> Self {
        self.task.vin = Some(vin.to_owned());
        self
    }

    /// The description.
    pub fn description(mut self, description: &str) -> Self {
        self.task.description = Some(description.to_owned());
        self
    }

    /// The notes.
    pub fn notes(mut self, notes: &str) -> Self {
        self.task.notes = Some(notes.to_owned());
        self
    }

    /// Any other field, or a value the typed setters cannot express.
    pub fn with(mut self, field: &str, value: Value) -> Self {
        self.extra.insert(field.to_owned(), value);
        self
    }

    /// The request body.
    pub fn body(&self) -> Value {
        merge(&self.task, &self.extra)
    }

    /// `POST /api/v1/tasks`, whatever the answer.
    pub async fn post(&self, app: &Router, token: &str) -> Reply {
        call(app, "POST", "/api/v1/tasks", Some(token), Some(self.body())).await
    }

    /// `POST /api/v1/tasks`, which must create it; returns the task.
    pub async fn create(&self, app: &Router, token: &str) -> Value {
        self.post(app, token).await.assert_ok(StatusCode::CREATED)
    }
}

/// The fields of `POST /api/v1/clients` the builder sets by name.
#[derive(Debug, Clone, Serialize)]
struct NewClient {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
}

/// A new client, with only a name until told otherwise.
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    client: NewClient,
    extra: Map<String, Value>,
}

impl ClientBuilder {
    /// A client with this name.
    pub fn new(name: &str) -> Self {
        Self {
            client: NewClient {
                name: name.to_owned(),
                email: None,
                phone: None,
            },
            extra: Map::new(),
        }
    }

    /// The client's email.
    pub fn email(mut self, email: &str) -> Self {
        self.client.email = Some(email.to_owned());
        self
    }

    /// The client's phone.
    pub fn phone(mut self, phone: &str) -> Self {
        self.client.phone = Some(phone.to_owned());
        self
    }

    /// Any other field.
    pub fn with(mut self, field: &str, value: Value) -> Self {
        self.extra.insert(field.to_owned(), value);
        self
    }

    /// The request body.
    pub fn body(&self) -> Value {
        merge(&self.client, &self.extra)
    }

    /// `POST /api/v1/clients`, which must create it; returns the client.
    pub async fn create(&self, app: &Router, token: &str) -> Value {
        call(
            app,
            "POST",
            "/api/v1/clients",
            Some(token),
            Some(self.body()),
        )
        .await
        .assert_ok(StatusCode::CREATED)
    }
}

/// Body of `POST /api/v1/tasks/{id}/transition`.
#[derive(Debug, Serialize)]
struct Transition<'a> {
    to: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

/// Move task `id` to status `to`, with an optional reason, whatever the answer.
pub async fn transition(
    app: &Router,
    token: &str,
    id: &str,
    to: &str,
    reason: Option<&str>,
) -> Reply {
    let body = serde_json::to_value(Transition { to, reason }).expect("a body serialises");
    call(
        app,
        "POST",
        &format!("/api/v1/tasks/{id}/transition"),
        Some(token),
        Some(body),
    )
    .await
}
