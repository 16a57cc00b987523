//! The live bus: domain events that writes publish after they commit ([`LiveBus`]), and
//! `GET /api/v1/events`, a Server-Sent Events stream of them filtered by what the subscriber
//! may see. Not to be confused with the audit log ([`crate::security`]), which is stored.

mod audience;
mod message;
pub mod relay;
mod stream;

pub use audience::Audience;
pub use message::StreamMessage;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::routing::routes;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, watch};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use uuid::Uuid;

use crate::state::AppState;

/// Events a slow subscriber may fall behind by before it is told it lagged.
const CAPACITY: usize = 1024;

/// What happened: the SSE `event:` name of a [`DomainEvent`] and its `type`. The page listens
/// for exactly these (it takes them from the OpenAPI document), so a kind added here is a kind
/// the page must handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum EventKind {
    /// A task was created (data: the task).
    #[serde(rename = "task.created")]
    TaskCreated,
    /// A task changed (data: the task).
    #[serde(rename = "task.updated")]
    TaskUpdated,
    /// A task's status moved (data: the task).
    #[serde(rename = "task.status_changed")]
    TaskStatusChanged,
    /// A task's technician changed (data: the task).
    #[serde(rename = "task.assigned")]
    TaskAssigned,
    /// A task was deleted (data: the task as it was).
    #[serde(rename = "task.deleted")]
    TaskDeleted,
    /// A CSV import created tasks (data: the import's report).
    #[serde(rename = "task.imported")]
    TaskImported,
    /// A note was added to a task (data: the note, with `task_id`).
    #[serde(rename = "task.note_added")]
    TaskNoteAdded,
    /// A client was created (data: the client).
    #[serde(rename = "client.created")]
    ClientCreated,
    /// A client changed (data: the client).
    #[serde(rename = "client.updated")]
    ClientUpdated,
    /// A client was deleted (data: the client as it was).
    #[serde(rename = "client.deleted")]
    ClientDeleted,
    /// A calendar event was created (data: the event).
    #[serde(rename = "calendar.created")]
    CalendarCreated,
    /// A calendar event changed (data: the event).
    #[serde(rename = "calendar.updated")]
    CalendarUpdated,
    /// A calendar event was deleted (data: the event as it was).
    #[serde(rename = "calendar.deleted")]
    CalendarDeleted,
    /// An intervention started (data: the intervention).
    #[serde(rename = "intervention.started")]
    InterventionStarted,
    /// An intervention's step was saved, failed, reworked, approved or rejected (data: the intervention).
    #[serde(rename = "intervention.updated")]
    InterventionUpdated,
    /// A step was completed or skipped and the next one is active (data: the intervention).
    #[serde(rename = "intervention.step_advanced")]
    InterventionStepAdvanced,
    /// An intervention was paused, resumed or cancelled (data: the intervention).
    #[serde(rename = "intervention.status_changed")]
    InterventionStatusChanged,
    /// An intervention was finalised and its task completed (data: the intervention).
    #[serde(rename = "intervention.finalized")]
    InterventionFinalized,
    /// A material was created (data: the material).
    #[serde(rename = "material.created")]
    MaterialCreated,
    /// A material's fields changed (data: the material).
    #[serde(rename = "material.updated")]
    MaterialUpdated,
    /// A material was deleted (data: the material as it was).
    #[serde(rename = "material.deleted")]
    MaterialDeleted,
    /// A material's stock moved, by hand or by a consumption (data: the material).
    #[serde(rename = "material.stock_changed")]
    MaterialStockChanged,
    /// A move took a material's stock to or below its reorder point (data: the material).
    #[serde(rename = "material.low_stock")]
    MaterialLowStock,
    /// An intervention recorded a consumption (data: the consumption).
    #[serde(rename = "material.consumed")]
    MaterialConsumed,
    /// A quote was created (data: the quote).
    #[serde(rename = "quote.created")]
    QuoteCreated,
    /// A draft quote or its lines changed (data: the quote).
    #[serde(rename = "quote.updated")]
    QuoteUpdated,
    /// A quote moved: sent, answered, back to draft, expired (data: the quote).
    #[serde(rename = "quote.status_changed")]
    QuoteStatusChanged,
    /// An accepted quote became a task (data: the quote, with `task_id`).
    #[serde(rename = "quote.converted")]
    QuoteConverted,
    /// A quote was deleted (data: the quote as it was).
    #[serde(rename = "quote.deleted")]
    QuoteDeleted,
    /// An exception was raised on a stage, which is now on hold (data: the exception).
    #[serde(rename = "ops.exception_raised")]
    OpsExceptionRaised,
    /// An exception moved on its lifecycle (data: the exception).
    #[serde(rename = "ops.exception_updated")]
    OpsExceptionUpdated,
    /// A runbook's stage started or completed (data: the runbook).
    #[serde(rename = "ops.stage_changed")]
    OpsStageChanged,
    /// A gate was opened or locked (data: the runbook).
    #[serde(rename = "ops.gate_decided")]
    OpsGateDecided,
    /// A station's state changed (data: the line).
    #[serde(rename = "ops.station_changed")]
    OpsStationChanged,
    /// A batch of a line's telemetry was stored (data: the line and the count).
    #[serde(rename = "ops.telemetry_ingested")]
    OpsTelemetryIngested,
    /// An inventory item's status changed (data: the item).
    #[serde(rename = "ops.inventory_changed")]
    OpsInventoryChanged,
    /// The demo plant was loaded (data: what was loaded).
    #[serde(rename = "ops.demo_loaded")]
    OpsDemoLoaded,
    /// Something for the desktop of the users it is addressed to: a notification, perhaps with
    /// the window brought forward (data: a [`crate::desktop::DesktopRequest`]). Published only by
    /// a sidecar with no shell of its own (a team server); the page hands it to its shell.
    #[serde(rename = "desktop.request")]
    DesktopRequest,
}

impl EventKind {
    /// Every kind.
    pub const ALL: [Self; 38] = [
        Self::TaskCreated,
        Self::TaskUpdated,
        Self::TaskStatusChanged,
        Self::TaskAssigned,
        Self::TaskDeleted,
        Self::TaskImported,
        Self::TaskNoteAdded,
        Self::ClientCreated,
        Self::ClientUpdated,
        Self::ClientDeleted,
        Self::CalendarCreated,
        Self::CalendarUpdated,
        Self::CalendarDeleted,
        Self::InterventionStarted,
        Self::InterventionUpdated,
        Self::InterventionStepAdvanced,
        Self::InterventionStatusChanged,
        Self::InterventionFinalized,
        Self::MaterialCreated,
        Self::MaterialUpdated,
        Self::MaterialDeleted,
        Self::MaterialStockChanged,
        Self::MaterialLowStock,
        Self::MaterialConsumed,
        Self::QuoteCreated,
        Self::QuoteUpdated,
        Self::QuoteStatusChanged,
        Self::QuoteConverted,
        Self::QuoteDeleted,
        Self::OpsExceptionRaised,
        Self::OpsExceptionUpdated,
        Self::OpsStageChanged,
        Self::OpsGateDecided,
        Self::OpsStationChanged,
        Self::OpsTelemetryIngested,
        Self::OpsInventoryChanged,
        Self::OpsDemoLoaded,
        Self::DesktopRequest,
    ];

    /// The name on the stream (`task.created`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TaskCreated => "task.created",
            Self::TaskUpdated => "task.updated",
            Self::TaskStatusChanged => "task.status_changed",
            Self::TaskAssigned => "task.assigned",
            Self::TaskDeleted => "task.deleted",
            Self::TaskImported => "task.imported",
            Self::TaskNoteAdded => "task.note_added",
            Self::ClientCreated => "client.created",
            Self::ClientUpdated => "client.updated",
            Self::ClientDeleted => "client.deleted",
            Self::CalendarCreated => "calendar.created",
            Self::CalendarUpdated => "calendar.updated",
            Self::CalendarDeleted => "calendar.deleted",
            Self::InterventionStarted => "intervention.started",
            Self::InterventionUpdated => "intervention.updated",
            Self::InterventionStepAdvanced => "intervention.step_advanced",
            Self::InterventionStatusChanged => "intervention.status_changed",
            Self::InterventionFinalized => "intervention.finalized",
            Self::MaterialCreated => "material.created",
            Self::MaterialUpdated => "material.updated",
            Self::MaterialDeleted => "material.deleted",
            Self::MaterialStockChanged => "material.stock_changed",
            Self::MaterialLowStock => "material.low_stock",
            Self::MaterialConsumed => "material.consumed",
            Self::QuoteCreated => "quote.created",
            Self::QuoteUpdated => "quote.updated",
            Self::QuoteStatusChanged => "quote.status_changed",
            Self::QuoteConverted => "quote.converted",
            Self::QuoteDeleted => "quote.deleted",
            Self::OpsExceptionRaised => "ops.exception_raised",
            Self::OpsExceptionUpdated => "ops.exception_updated",
            Self::OpsStageChanged => "ops.stage_changed",
            Self::OpsGateDecided => "ops.gate_decided",
            Self::OpsStationChanged => "ops.station_changed",
            Self::OpsTelemetryIngested => "ops.telemetry_ingested",
            Self::OpsInventoryChanged => "ops.inventory_changed",
            Self::OpsDemoLoaded => "ops.demo_loaded",
            Self::DesktopRequest => "desktop.request",
        }
    }
}

/// One domain event, as sent on the stream: `event: <kind>`, `id: <seq>`, `data: <this as JSON>`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DomainEvent {
    /// Increasing number within this server's run (the SSE `id`).
    pub seq: u64,
    /// What happened.
    #[serde(rename = "type")]
    pub kind: EventKind,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The user whose request caused it.
    pub actor_id: Option<Uuid>,
    /// The entity after the change (or as it was, for deletes).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    /// Who may receive it.
    #[serde(skip)]
    pub audience: Audience,
}

/// The bus: writes publish, each SSE subscriber gets its own receiver.
#[derive(Debug)]
pub struct LiveBus {
    sender: broadcast::Sender<Arc<DomainEvent>>,
    seq: AtomicU64,
    closed: watch::Sender<bool>,
    /// On PostgreSQL, the other sidecars of the database ([`relay`]).
    relay: std::sync::OnceLock<relay::Relay>,
}

impl Default for LiveBus {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(CAPACITY).0,
            seq: AtomicU64::new(0),
            closed: watch::channel(false).0,
            relay: std::sync::OnceLock::new(),
        }
    }
}

impl LiveBus {
    /// Send an event to every current subscriber; nobody listening is fine.
    pub fn publish(
        &self,
        kind: EventKind,
        audience: Audience,
        actor_id: Option<Uuid>,
        data: impl Serialize,
    ) {
        let data = match serde_json::to_value(data) {
            Ok(data) => data,
            Err(e) => {
                tracing::error!(kind = kind.as_str(), error = %e, "event not serialisable; dropped");
                return;
            }
        };
        let event = self.event(kind, audience, actor_id, data, Utc::now());
        if let Some(relay) = self.relay.get() {
            relay.send(&event);
        }
        // An error only means there are no subscribers right now.
        let _ = self.sender.send(Arc::new(event));
    }

    /// Hand on an event another sidecar of the database published ([`relay`]).
    fn deliver(
        &self,
        kind: EventKind,
        audience: Audience,
        actor_id: Option<Uuid>,
        data: serde_json::Value,
        at: DateTime<Utc>,
    ) {
        let _ = self
            .sender
            .send(Arc::new(self.event(kind, audience, actor_id, data, at)));
    }

    fn event(
        &self,
        kind: EventKind,
        audience: Audience,
        actor_id: Option<Uuid>,
        data: serde_json::Value,
        at: DateTime<Utc>,
    ) -> DomainEvent {
        DomainEvent {
            seq: self.seq.fetch_add(1, Ordering::Relaxed) + 1,
            kind,
            at,
            actor_id,
            data,
            audience,
        }
    }

    /// A receiver of every event published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<DomainEvent>> {
        self.sender.subscribe()
    }

    /// End every stream (the server is stopping), so open SSE responses do not hold up the
    /// graceful shutdown.
    pub fn close(&self) {
        // `send_replace`, not `send`: the value must change even while nobody listens, so
        // streams opened later end at once too.
        self.closed.send_replace(true);
    }

    /// Resolves once [`LiveBus::close`] has been called.
    pub fn closed(&self) -> impl Future<Output = ()> + Send + use<> {
        let mut rx = self.closed.subscribe();
        async move {
            let _ = rx.wait_for(|closed| *closed).await;
        }
    }
}

/// Routes of the events area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(stream::events))
        .routes(routes!(stream::ticket))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_sent_by_its_name() {
        for kind in EventKind::ALL {
            assert_eq!(
                serde_json::to_value(kind).ok(),
                Some(serde_json::Value::from(kind.as_str()))
            );
        }
    }
}
