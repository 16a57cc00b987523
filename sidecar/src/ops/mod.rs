//! `/api/v1/ops`: plant operations (BPM-OS) — runbooks, stages and gates, exceptions, lines and
//! their telemetry, inventory, pack passports, the hash-chained log, and the figures computed
//! from them (OEE, yield, bottleneck, compliance). The rules are in `docs/plant-operations.md`.

mod attention;
mod compliance;
mod dashboard;
pub mod demo;
mod exceptions;
mod flow;
mod inventory;
pub mod kpi;
mod lines;
mod live_status;
pub mod log;
pub mod model;
pub mod passport;
mod reports;
mod roles;
mod runbooks;
mod stages;
mod telemetry;

use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use uuid::Uuid;

use crate::live::{Audience, EventKind};
use crate::ops::exceptions::Exception;
use crate::ops::model::Severity;
use crate::routing::routes;
use crate::state::AppState;

/// Publish a plant event after its commit, to the plant's roles.
pub(crate) fn publish(state: &AppState, kind: EventKind, by: Uuid, data: &impl Serialize) {
    state.live.publish(kind, Audience::Plant, Some(by), data);
}

/// A `Critical` exception asks for the plant's attention: a notification, and the window
/// brought forward (shown, unminimised, raised), through the shell socket or, on a team server,
/// to the plant roles' desktops ([`crate::desktop::attention`]). A slow or absent shell never
/// holds up or fails the raise.
pub(crate) fn attention_for_critical(state: &AppState, e: &Exception) {
    if e.severity == Severity::Critical {
        let title = format!("Critical exception {}", e.id);
        let body = format!("{} at {} — {}", e.r#type, e.stage, e.runbook);
        crate::desktop::attention(state, Audience::Plant, &title, &body);
    }
}

/// Routes of the plant area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(dashboard::dashboard_summary))
        .routes(routes!(dashboard::trends))
        .routes(routes!(dashboard::distributions))
        .routes(routes!(roles::role_summary))
        .routes(routes!(attention::role_attention))
        .routes(routes!(runbooks::control_tower))
        .routes(routes!(runbooks::get_runbook))
        .routes(routes!(runbooks::runbook_stages))
        .routes(routes!(runbooks::runbook_gates))
        .routes(routes!(runbooks::runbook_exceptions))
        .routes(routes!(stages::advance_stage))
        .routes(routes!(stages::decide_gate))
        .routes(routes!(live_status::live_summary))
        .routes(routes!(live_status::live_operations))
        .routes(routes!(live_status::live_lines))
        .routes(routes!(inventory::categories))
        .routes(routes!(inventory::items))
        .routes(routes!(inventory::set_item_status))
        .routes(routes!(lines::list_lines))
        .routes(routes!(lines::get_line))
        .routes(routes!(lines::line_stations))
        .routes(routes!(telemetry::line_oee))
        .routes(routes!(lines::set_station))
        .routes(routes!(telemetry::ingest_telemetry))
        .routes(routes!(
            exceptions::list_exceptions,
            exceptions::lifecycle::raise_exception
        ))
        .routes(routes!(exceptions::get_exception))
        .routes(routes!(exceptions::lifecycle::transition_exception))
        .routes(routes!(log::list_logs))
        .routes(routes!(log::verify_logs))
        .routes(routes!(reports::list_reports))
        .routes(routes!(reports::preview))
        .routes(routes!(compliance::compliance))
        .routes(routes!(demo::load_demo))
}
