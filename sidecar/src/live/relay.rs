//! Events across sidecars on one PostgreSQL database: each event a sidecar publishes is also
//! sent with `NOTIFY` on [`CHANNEL`], and every sidecar `LISTEN`s there and hands on, to its own
//! subscribers, the events of the others. So two sidecars behind one database behave as one
//! server: a task created through one shows on the other's stream.
//!
//! A notification carries at most 8,000 bytes; an event larger than that (none is today: a
//! task is about 2 kB) reaches this sidecar's subscribers only, with a warning in the log.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::AnyPool;
use sqlx::postgres::PgListener;
use tokio::sync::mpsc;
use uuid::Uuid;

use super::{Audience, DomainEvent, EventKind, LiveBus};

/// The channel every sidecar of a database notifies and listens on.
pub const CHANNEL: &str = "rpma_events";

/// PostgreSQL's limit on a notification's payload is 8,000 bytes.
const MAX_PAYLOAD: usize = 8_000;

/// An event as it crosses between sidecars.
#[derive(Debug, Serialize, Deserialize)]
struct Relayed {
    /// The sidecar that published it (which ignores it when it comes back).
    origin: Uuid,
    kind: EventKind,
    at: DateTime<Utc>,
    actor_id: Option<Uuid>,
    data: serde_json::Value,
    audience: Audience,
}

/// The sending half, held by the bus.
#[derive(Debug)]
pub struct Relay {
    origin: Uuid,
    outbox: mpsc::UnboundedSender<String>,
}

impl Relay {
    /// Send `event` to the other sidecars (in the order of publishing).
    pub fn send(&self, event: &DomainEvent) {
        let relayed = Relayed {
            origin: self.origin,
            kind: event.kind,
            at: event.at,
            actor_id: event.actor_id,
            data: event.data.clone(),
            audience: event.audience.clone(),
        };
        match serde_json::to_string(&relayed) {
            Ok(payload) if payload.len() < MAX_PAYLOAD => {
                let _ = self.outbox.send(payload);
            }
            Ok(payload) => tracing::warn!(
                kind = event.kind.as_str(),
                bytes = payload.len(),
                "event too large for NOTIFY; other sidecars will not see it"
            ),
            Err(e) => tracing::error!(error = %e, "event not serialisable for NOTIFY"),
        }
    }
}

/// Connect `bus` to the other sidecars of `pool`'s PostgreSQL database: a task that notifies
/// what this sidecar publishes and one that listens for the others'. Both end when `pool`
/// closes. Must run in a Tokio runtime.
pub fn start(bus: &Arc<LiveBus>, pool: &AnyPool) {
    let origin = Uuid::new_v4();
    let (outbox, mut sending) = mpsc::unbounded_channel::<String>();
    if bus.relay.set(Relay { origin, outbox }).is_err() {
        return;
    }
    let notifier = pool.clone();
    tokio::spawn(async move {
        while let Some(payload) = sending.recv().await {
            // `pg_notify` returns `void`, which the `Any` driver cannot carry: select a 1.
            let sent = sqlx::query("SELECT 1 FROM (SELECT pg_notify($1, $2)) AS sent")
                .bind(CHANNEL)
                .bind(payload)
                .execute(&notifier)
                .await;
            if let Err(e) = sent {
                if notifier.is_closed() {
                    break;
                }
                tracing::warn!(error = %e, "NOTIFY failed; other sidecars miss an event");
            }
        }
    });
    let url = pool.connect_options().database_url.to_string();
    let receiver = Arc::downgrade(bus);
    let closed = pool.close_event();
    tokio::spawn(async move {
        let mut listener = match PgListener::connect(&url).await {
            Ok(listener) => listener,
            Err(e) => {
                tracing::error!(error = %e, "cannot LISTEN for other sidecars' events");
                return;
            }
        };
        if let Err(e) = listener.listen(CHANNEL).await {
            tracing::error!(error = %e, "cannot LISTEN for other sidecars' events");
            return;
        }
        tokio::pin!(closed);
        loop {
            let notification = tokio::select! {
                () = &mut closed => break,
                received = listener.recv() => received,
            };
            // `recv` connects again by itself when the connection drops; an error here is
            // the reconnection failing, tried again on the next call.
            let notification = match notification {
                Ok(notification) => notification,
                Err(e) => {
                    tracing::warn!(error = %e, "LISTEN connection lost; reconnecting");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    continue;
                }
            };
            let Some(bus) = receiver.upgrade() else { break };
            match serde_json::from_str::<Relayed>(notification.payload()) {
                Ok(event) if event.origin != origin => {
                    bus.deliver(
                        event.kind,
                        event.audience,
                        event.actor_id,
                        event.data,
                        event.at,
                    );
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "an unreadable event on the channel"),
            }
        }
    });
}
