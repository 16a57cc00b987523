//! The RBAC matrix: every protected route × every role → the status that role gets, and 401
//! without a token. Later areas add their routes to `CASES`; a test fails when a route that
//! needs a token is missing from it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use rpma_sidecar::auth::Role;
use serde_json::{Value, json};

// Paths with 00000000-0000-4000-8000-000000000000 name a user or session that does not exist:
// roles that pass the role check get 404.

/// Who may call a route.
#[derive(Clone, Copy)]
enum Allowed {
    Everyone,
    Only(&'static [Role]),
}

const ADMIN: &[Role] = &[Role::Admin];
const MANAGERS: &[Role] = &[Role::Admin, Role::Supervisor];
const WORKSHOP: &[Role] = &[
    Role::Admin,
    Role::Supervisor,
    Role::Technician,
    Role::Viewer,
];
const STAFF: &[Role] = &[Role::Admin, Role::Supervisor, Role::Technician];
/// Who reads plant operations: never technicians or viewers.
const PLANT: &[Role] = &[
    Role::Admin,
    Role::Supervisor,
    Role::Operator,
    Role::PlantHead,
    Role::Auditor,
];
/// Who changes plant operations: never auditors.
const PLANT_WRITERS: &[Role] = &[
    Role::Admin,
    Role::Supervisor,
    Role::Operator,
    Role::PlantHead,
];
/// Workshop roles asking about another user's bookings: a technician may ask only about themselves.
const OTHERS_BOOKINGS: &[Role] = &[Role::Admin, Role::Supervisor, Role::Viewer];

struct Case {
    method: &'static str,
    /// Path template as in the OpenAPI document.
    template: &'static str,
    /// Concrete path; `{target}` is replaced by a technician's id.
    path: &'static str,
    body: Option<fn() -> Value>,
    allowed: Allowed,
    /// Status for allowed roles (everyone else gets 403).
    ok: StatusCode,
}

const fn case(
    method: &'static str,
    template: &'static str,
    path: &'static str,
    body: Option<fn() -> Value>,
    allowed: Allowed,
    ok: StatusCode,
) -> Case {
    Case {
        method,
        template,
        path,
        body,
        allowed,
        ok,
    }
}

use Allowed::{Everyone, Only};

#[rustfmt::skip]
const CASES: &[Case] = &[
    // auth
    case("GET", "/api/v1/auth/me", "/api/v1/auth/me", None, Everyone, StatusCode::OK),
    case("POST", "/api/v1/auth/logout", "/api/v1/auth/logout", None, Everyone, StatusCode::OK),
    // Confirm before setup: with no setup started it is a 409 for every role.
    case("POST", "/api/v1/auth/2fa/confirm", "/api/v1/auth/2fa/confirm", Some(|| json!({ "code": "123456" })), Everyone, StatusCode::CONFLICT),
    case("POST", "/api/v1/auth/2fa/setup", "/api/v1/auth/2fa/setup", None, Everyone, StatusCode::OK),
    case("POST", "/api/v1/auth/2fa/disable", "/api/v1/auth/2fa/disable", Some(|| json!({ "password": "Wrong1234" })), Everyone, StatusCode::BAD_REQUEST),
    case("POST", "/api/v1/auth/2fa/backup-codes", "/api/v1/auth/2fa/backup-codes", Some(|| json!({ "password": "Wrong1234" })), Everyone, StatusCode::CONFLICT),
    case("GET", "/api/v1/auth/2fa/status", "/api/v1/auth/2fa/status", None, Everyone, StatusCode::OK),
    // users
    case("GET", "/api/v1/users", "/api/v1/users", None, Only(MANAGERS), StatusCode::OK),
    case("POST", "/api/v1/users", "/api/v1/users", Some(|| json!({})), Only(MANAGERS), StatusCode::BAD_REQUEST),
    case("GET", "/api/v1/users/{id}", "/api/v1/users/{target}", None, Only(MANAGERS), StatusCode::OK),
    case("PATCH", "/api/v1/users/{id}", "/api/v1/users/{target}", Some(|| json!({ "first_name": "Renamed" })), Only(MANAGERS), StatusCode::OK),
    case("DELETE", "/api/v1/users/{id}", "/api/v1/users/00000000-0000-4000-8000-000000000000", None, Only(ADMIN), StatusCode::NOT_FOUND),
    case("PUT", "/api/v1/users/{id}/role", "/api/v1/users/00000000-0000-4000-8000-000000000000/role", Some(|| json!({ "role": "viewer" })), Only(ADMIN), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/users/{id}/ban", "/api/v1/users/00000000-0000-4000-8000-000000000000/ban", Some(|| json!({})), Only(ADMIN), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/users/{id}/unban", "/api/v1/users/00000000-0000-4000-8000-000000000000/unban", None, Only(ADMIN), StatusCode::NOT_FOUND),
    case("PUT", "/api/v1/users/{id}/password", "/api/v1/users/00000000-0000-4000-8000-000000000000/password", Some(|| json!({ "new_password": "Valid1234x" })), Only(ADMIN), StatusCode::NOT_FOUND),
    case("PUT", "/api/v1/me/password", "/api/v1/me/password", Some(|| json!({ "current_password": "Wrong1234", "new_password": "Other1234x" })), Everyone, StatusCode::BAD_REQUEST),
    // security
    case("GET", "/api/v1/security/sessions", "/api/v1/security/sessions", None, Everyone, StatusCode::OK),
    case("GET", "/api/v1/security/sessions", "/api/v1/security/sessions?all=true", None, Only(ADMIN), StatusCode::OK),
    case("DELETE", "/api/v1/security/sessions/{id}", "/api/v1/security/sessions/00000000-0000-4000-8000-000000000000", None, Everyone, StatusCode::NOT_FOUND),
    case("POST", "/api/v1/security/sessions/revoke-others", "/api/v1/security/sessions/revoke-others", None, Everyone, StatusCode::OK),
    case("GET", "/api/v1/security/events", "/api/v1/security/events", None, Only(ADMIN), StatusCode::OK),
    // desktop: no shell in tests, so roles that pass the role check get 503
    case("GET", "/api/v1/window", "/api/v1/window", None, Everyone, StatusCode::SERVICE_UNAVAILABLE),
    case("POST", "/api/v1/window", "/api/v1/window", Some(|| json!({ "action": "maximize" })), Everyone, StatusCode::SERVICE_UNAVAILABLE),
    case("POST", "/api/v1/desktop/notify", "/api/v1/desktop/notify", Some(|| json!({ "title": "Hello" })), Only(MANAGERS), StatusCode::SERVICE_UNAVAILABLE),
    // clients
    case("GET", "/api/v1/clients", "/api/v1/clients", None, Only(WORKSHOP), StatusCode::OK),
    case("POST", "/api/v1/clients", "/api/v1/clients", Some(|| json!({})), Only(STAFF), StatusCode::BAD_REQUEST),
    case("GET", "/api/v1/clients/stats", "/api/v1/clients/stats", None, Only(WORKSHOP), StatusCode::OK),
    case("GET", "/api/v1/clients/{id}", "/api/v1/clients/00000000-0000-4000-8000-000000000000", None, Only(WORKSHOP), StatusCode::NOT_FOUND),
    case("PATCH", "/api/v1/clients/{id}", "/api/v1/clients/00000000-0000-4000-8000-000000000000", Some(|| json!({ "name": "Renamed" })), Only(STAFF), StatusCode::NOT_FOUND),
    case("DELETE", "/api/v1/clients/{id}", "/api/v1/clients/00000000-0000-4000-8000-000000000000", None, Only(ADMIN), StatusCode::NOT_FOUND),
    // tasks
    case("GET", "/api/v1/tasks", "/api/v1/tasks", None, Only(WORKSHOP), StatusCode::OK),
    case("POST", "/api/v1/tasks", "/api/v1/tasks", Some(|| json!({})), Only(MANAGERS), StatusCode::BAD_REQUEST),
    case("GET", "/api/v1/tasks/stats", "/api/v1/tasks/stats", None, Only(WORKSHOP), StatusCode::OK),
    case("GET", "/api/v1/tasks/export.csv", "/api/v1/tasks/export.csv", None, Only(WORKSHOP), StatusCode::OK),
    case("POST", "/api/v1/tasks/import", "/api/v1/tasks/import", Some(|| json!({})), Only(MANAGERS), StatusCode::BAD_REQUEST),
    case("GET", "/api/v1/tasks/availability", "/api/v1/tasks/availability?technician_id={target}&date=2026-12-01", None, Only(OTHERS_BOOKINGS), StatusCode::OK),
    case("GET", "/api/v1/tasks/{id}", "/api/v1/tasks/00000000-0000-4000-8000-000000000000", None, Only(WORKSHOP), StatusCode::NOT_FOUND),
    case("PATCH", "/api/v1/tasks/{id}", "/api/v1/tasks/00000000-0000-4000-8000-000000000000", Some(|| json!({ "notes": "x" })), Only(STAFF), StatusCode::NOT_FOUND),
    case("DELETE", "/api/v1/tasks/{id}", "/api/v1/tasks/00000000-0000-4000-8000-000000000000", None, Only(ADMIN), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/tasks/{id}/transition", "/api/v1/tasks/00000000-0000-4000-8000-000000000000/transition", Some(|| json!({ "to": "pending" })), Only(STAFF), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/tasks/{id}/transitions", "/api/v1/tasks/00000000-0000-4000-8000-000000000000/transitions", None, Only(WORKSHOP), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/tasks/{id}/history", "/api/v1/tasks/00000000-0000-4000-8000-000000000000/history", None, Only(WORKSHOP), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/tasks/{id}/delay", "/api/v1/tasks/00000000-0000-4000-8000-000000000000/delay", Some(|| json!({ "scheduled_date": "2026-12-01", "reason": "rain" })), Only(MANAGERS), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/tasks/{id}/notes", "/api/v1/tasks/00000000-0000-4000-8000-000000000000/notes", None, Only(WORKSHOP), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/tasks/{id}/notes", "/api/v1/tasks/00000000-0000-4000-8000-000000000000/notes", Some(|| json!({ "body": "x" })), Only(STAFF), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/tasks/{id}/assign", "/api/v1/tasks/00000000-0000-4000-8000-000000000000/assign", Some(|| json!({ "technician_id": null })), Only(MANAGERS), StatusCode::NOT_FOUND),
    // interventions: staff only (viewers see none); approvals for managers
    case("GET", "/api/v1/interventions", "/api/v1/interventions", None, Only(STAFF), StatusCode::OK),
    case("POST", "/api/v1/interventions", "/api/v1/interventions", Some(|| json!({ "task_id": "00000000-0000-4000-8000-000000000000" })), Only(STAFF), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/interventions/{id}", "/api/v1/interventions/00000000-0000-4000-8000-000000000000", None, Only(STAFF), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/interventions/{id}/progress", "/api/v1/interventions/00000000-0000-4000-8000-000000000000/progress", None, Only(STAFF), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/interventions/{id}/pause", "/api/v1/interventions/00000000-0000-4000-8000-000000000000/pause", None, Only(STAFF), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/interventions/{id}/resume", "/api/v1/interventions/00000000-0000-4000-8000-000000000000/resume", None, Only(STAFF), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/interventions/{id}/cancel", "/api/v1/interventions/00000000-0000-4000-8000-000000000000/cancel", None, Only(STAFF), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/interventions/{id}/finalize", "/api/v1/interventions/00000000-0000-4000-8000-000000000000/finalize", Some(|| json!({})), Only(STAFF), StatusCode::BAD_REQUEST),
    case("GET", "/api/v1/interventions/{id}/steps/{step_id}", "/api/v1/interventions/00000000-0000-4000-8000-000000000000/steps/00000000-0000-4000-8000-000000000000", None, Only(STAFF), StatusCode::NOT_FOUND),
    case("PUT", "/api/v1/interventions/{id}/steps/{step_id}", "/api/v1/interventions/00000000-0000-4000-8000-000000000000/steps/00000000-0000-4000-8000-000000000000", Some(|| json!({ "notes": "x" })), Only(STAFF), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/interventions/{id}/steps/{step_id}/advance", "/api/v1/interventions/00000000-0000-4000-8000-000000000000/steps/00000000-0000-4000-8000-000000000000/advance", Some(|| json!({})), Only(STAFF), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/interventions/{id}/steps/{step_id}/status", "/api/v1/interventions/00000000-0000-4000-8000-000000000000/steps/00000000-0000-4000-8000-000000000000/status", Some(|| json!({ "to": "failed" })), Only(STAFF), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/interventions/{id}/steps/{step_id}/approve", "/api/v1/interventions/00000000-0000-4000-8000-000000000000/steps/00000000-0000-4000-8000-000000000000/approve", None, Only(MANAGERS), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/interventions/{id}/steps/{step_id}/reject", "/api/v1/interventions/00000000-0000-4000-8000-000000000000/steps/00000000-0000-4000-8000-000000000000/reject", Some(|| json!({ "rejection_reason": "x" })), Only(MANAGERS), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/tasks/{id}/interventions", "/api/v1/tasks/00000000-0000-4000-8000-000000000000/interventions", None, Only(STAFF), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/tasks/{id}/interventions/active", "/api/v1/tasks/00000000-0000-4000-8000-000000000000/interventions/active", None, Only(STAFF), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/tasks/{id}/interventions/latest", "/api/v1/tasks/00000000-0000-4000-8000-000000000000/interventions/latest", None, Only(STAFF), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/interventions/{id}/steps/{step_id}/photos", "/api/v1/interventions/00000000-0000-4000-8000-000000000000/steps/00000000-0000-4000-8000-000000000000/photos", None, Only(STAFF), StatusCode::NOT_FOUND),
    // Without a multipart form, roles that pass the role check get 415.
    case("POST", "/api/v1/interventions/{id}/steps/{step_id}/photos", "/api/v1/interventions/00000000-0000-4000-8000-000000000000/steps/00000000-0000-4000-8000-000000000000/photos", None, Only(STAFF), StatusCode::UNSUPPORTED_MEDIA_TYPE),
    case("GET", "/api/v1/interventions/{id}/photos/{photo_id}", "/api/v1/interventions/00000000-0000-4000-8000-000000000000/photos/00000000-0000-4000-8000-000000000000", None, Only(STAFF), StatusCode::NOT_FOUND),
    case("DELETE", "/api/v1/interventions/{id}/photos/{photo_id}", "/api/v1/interventions/00000000-0000-4000-8000-000000000000/photos/00000000-0000-4000-8000-000000000000", None, Only(STAFF), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/interventions/{id}/report", "/api/v1/interventions/00000000-0000-4000-8000-000000000000/report", None, Only(STAFF), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/interventions/{id}/report.pdf", "/api/v1/interventions/00000000-0000-4000-8000-000000000000/report.pdf", None, Only(STAFF), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/interventions/{id}/consumption", "/api/v1/interventions/00000000-0000-4000-8000-000000000000/consumption", Some(|| json!({ "material_id": "00000000-0000-4000-8000-000000000000", "quantity_used": 1 })), Only(STAFF), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/interventions/{id}/consumption", "/api/v1/interventions/00000000-0000-4000-8000-000000000000/consumption", None, Only(STAFF), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/interventions/{id}/consumption/summary", "/api/v1/interventions/00000000-0000-4000-8000-000000000000/consumption/summary", None, Only(STAFF), StatusCode::NOT_FOUND),
    // materials: staff read, create, change and move stock; delete, categories and suppliers
    // for managers; viewers nothing
    case("GET", "/api/v1/materials", "/api/v1/materials", None, Only(STAFF), StatusCode::OK),
    case("POST", "/api/v1/materials", "/api/v1/materials", Some(|| json!({})), Only(STAFF), StatusCode::BAD_REQUEST),
    case("GET", "/api/v1/materials/stats", "/api/v1/materials/stats", None, Only(STAFF), StatusCode::OK),
    case("GET", "/api/v1/materials/categories", "/api/v1/materials/categories", None, Only(STAFF), StatusCode::OK),
    case("POST", "/api/v1/materials/categories", "/api/v1/materials/categories", Some(|| json!({})), Only(MANAGERS), StatusCode::BAD_REQUEST),
    case("PATCH", "/api/v1/materials/categories/{id}", "/api/v1/materials/categories/nope", Some(|| json!({})), Only(MANAGERS), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/materials/suppliers", "/api/v1/materials/suppliers", None, Only(STAFF), StatusCode::OK),
    case("POST", "/api/v1/materials/suppliers", "/api/v1/materials/suppliers", Some(|| json!({})), Only(MANAGERS), StatusCode::BAD_REQUEST),
    case("PATCH", "/api/v1/materials/suppliers/{id}", "/api/v1/materials/suppliers/00000000-0000-4000-8000-000000000000", Some(|| json!({})), Only(MANAGERS), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/materials/by-sku/{sku}", "/api/v1/materials/by-sku/NOPE", None, Only(STAFF), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/materials/{id}", "/api/v1/materials/00000000-0000-4000-8000-000000000000", None, Only(STAFF), StatusCode::NOT_FOUND),
    case("PATCH", "/api/v1/materials/{id}", "/api/v1/materials/00000000-0000-4000-8000-000000000000", Some(|| json!({})), Only(STAFF), StatusCode::NOT_FOUND),
    case("DELETE", "/api/v1/materials/{id}", "/api/v1/materials/00000000-0000-4000-8000-000000000000", None, Only(MANAGERS), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/materials/{id}/stock", "/api/v1/materials/00000000-0000-4000-8000-000000000000/stock", Some(|| json!({ "transaction_type": "stock_in", "quantity": 1 })), Only(STAFF), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/materials/{id}/transactions", "/api/v1/materials/00000000-0000-4000-8000-000000000000/transactions", None, Only(STAFF), StatusCode::NOT_FOUND),
    // quotes: everyone reads; managers create, change and move them; admins delete
    case("GET", "/api/v1/quotes", "/api/v1/quotes", None, Only(WORKSHOP), StatusCode::OK),
    case("POST", "/api/v1/quotes", "/api/v1/quotes", Some(|| json!({})), Only(MANAGERS), StatusCode::BAD_REQUEST),
    case("GET", "/api/v1/quotes/{id}", "/api/v1/quotes/00000000-0000-4000-8000-000000000000", None, Only(WORKSHOP), StatusCode::NOT_FOUND),
    case("PATCH", "/api/v1/quotes/{id}", "/api/v1/quotes/00000000-0000-4000-8000-000000000000", Some(|| json!({})), Only(MANAGERS), StatusCode::NOT_FOUND),
    case("DELETE", "/api/v1/quotes/{id}", "/api/v1/quotes/00000000-0000-4000-8000-000000000000", None, Only(ADMIN), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/quotes/{id}/items", "/api/v1/quotes/00000000-0000-4000-8000-000000000000/items", Some(|| json!({ "kind": "labor", "label": "x" })), Only(MANAGERS), StatusCode::NOT_FOUND),
    case("PUT", "/api/v1/quotes/{id}/items/order", "/api/v1/quotes/00000000-0000-4000-8000-000000000000/items/order", Some(|| json!({ "item_ids": [] })), Only(MANAGERS), StatusCode::NOT_FOUND),
    case("PATCH", "/api/v1/quotes/{id}/items/{item_id}", "/api/v1/quotes/00000000-0000-4000-8000-000000000000/items/00000000-0000-4000-8000-000000000000", Some(|| json!({})), Only(MANAGERS), StatusCode::NOT_FOUND),
    case("DELETE", "/api/v1/quotes/{id}/items/{item_id}", "/api/v1/quotes/00000000-0000-4000-8000-000000000000/items/00000000-0000-4000-8000-000000000000", None, Only(MANAGERS), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/quotes/{id}/status", "/api/v1/quotes/00000000-0000-4000-8000-000000000000/status", Some(|| json!({ "to": "sent" })), Only(MANAGERS), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/quotes/{id}/convert", "/api/v1/quotes/00000000-0000-4000-8000-000000000000/convert", Some(|| json!({ "scheduled_date": "2026-12-20" })), Only(MANAGERS), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/quotes/{id}/pdf", "/api/v1/quotes/00000000-0000-4000-8000-000000000000/pdf", None, Only(WORKSHOP), StatusCode::NOT_FOUND),
    // calendar
    case("GET", "/api/v1/calendar/events", "/api/v1/calendar/events", None, Only(WORKSHOP), StatusCode::OK),
    case("POST", "/api/v1/calendar/events", "/api/v1/calendar/events", Some(|| json!({})), Only(MANAGERS), StatusCode::BAD_REQUEST),
    case("GET", "/api/v1/calendar/events/{id}", "/api/v1/calendar/events/00000000-0000-4000-8000-000000000000", None, Only(WORKSHOP), StatusCode::NOT_FOUND),
    case("PATCH", "/api/v1/calendar/events/{id}", "/api/v1/calendar/events/00000000-0000-4000-8000-000000000000", Some(|| json!({ "title": "x" })), Only(MANAGERS), StatusCode::NOT_FOUND),
    case("DELETE", "/api/v1/calendar/events/{id}", "/api/v1/calendar/events/00000000-0000-4000-8000-000000000000", None, Only(MANAGERS), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/calendar/conflicts", "/api/v1/calendar/conflicts", Some(|| json!({ "technician_id": "00000000-0000-4000-8000-000000000000", "start": "2026-12-01T09:00:00Z", "end": "2026-12-01T10:00:00Z" })), Only(OTHERS_BOOKINGS), StatusCode::OK),
    case("POST", "/api/v1/calendar/schedule-task", "/api/v1/calendar/schedule-task", Some(|| json!({ "task_id": "00000000-0000-4000-8000-000000000000", "technician_id": "00000000-0000-4000-8000-000000000000", "start": "2026-12-01T09:00:00Z", "end": "2026-12-01T10:00:00Z" })), Only(MANAGERS), StatusCode::NOT_FOUND),
    // live events (the bus is closed in the test, so each stream ends at once)
    case("GET", "/api/v1/events", "/api/v1/events", None, Everyone, StatusCode::OK),
    case("POST", "/api/v1/events/ticket", "/api/v1/events/ticket", None, Everyone, StatusCode::OK),
    // plant operations: plant roles read (an empty plant answers empty states), auditors never write
    case("GET", "/api/v1/ops/dashboard/summary", "/api/v1/ops/dashboard/summary", None, Only(PLANT), StatusCode::OK),
    case("GET", "/api/v1/ops/dashboard/trends", "/api/v1/ops/dashboard/trends", None, Only(PLANT), StatusCode::OK),
    case("GET", "/api/v1/ops/dashboard/distributions", "/api/v1/ops/dashboard/distributions", None, Only(PLANT), StatusCode::OK),
    case("GET", "/api/v1/ops/dashboard/{role}/summary", "/api/v1/ops/dashboard/plant-head/summary", None, Only(PLANT), StatusCode::OK),
    case("GET", "/api/v1/ops/dashboard/{role}/attention", "/api/v1/ops/dashboard/auditor/attention", None, Only(PLANT), StatusCode::OK),
    case("GET", "/api/v1/ops/control-tower/runbooks", "/api/v1/ops/control-tower/runbooks", None, Only(PLANT), StatusCode::OK),
    case("GET", "/api/v1/ops/runbooks/{runbookId}", "/api/v1/ops/runbooks/none", None, Only(PLANT), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/ops/runbooks/{runbookId}/stages", "/api/v1/ops/runbooks/none/stages", None, Only(PLANT), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/ops/runbooks/{runbookId}/gates", "/api/v1/ops/runbooks/none/gates", None, Only(PLANT), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/ops/runbooks/{runbookId}/exceptions", "/api/v1/ops/runbooks/none/exceptions", None, Only(PLANT), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/ops/runbooks/{runbookId}/stages/{stageId}/advance", "/api/v1/ops/runbooks/none/stages/none/advance", None, Only(PLANT_WRITERS), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/ops/runbooks/{runbookId}/stages/{stageId}/gate", "/api/v1/ops/runbooks/none/stages/none/gate", Some(|| json!({ "status": "Open" })), Only(PLANT_WRITERS), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/ops/live-status/summary", "/api/v1/ops/live-status/summary", None, Only(PLANT), StatusCode::OK),
    case("GET", "/api/v1/ops/live-status/operations", "/api/v1/ops/live-status/operations", None, Only(PLANT), StatusCode::OK),
    case("GET", "/api/v1/ops/live-status/lines", "/api/v1/ops/live-status/lines", None, Only(PLANT), StatusCode::OK),
    case("GET", "/api/v1/ops/inventory/categories", "/api/v1/ops/inventory/categories", None, Only(PLANT), StatusCode::OK),
    case("GET", "/api/v1/ops/inventory/items", "/api/v1/ops/inventory/items", None, Only(PLANT), StatusCode::OK),
    case("PUT", "/api/v1/ops/inventory/items/{id}", "/api/v1/ops/inventory/items/none", Some(|| json!({ "status": "Hold" })), Only(PLANT_WRITERS), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/ops/lines", "/api/v1/ops/lines", None, Only(PLANT), StatusCode::OK),
    case("GET", "/api/v1/ops/lines/{lineId}", "/api/v1/ops/lines/none", None, Only(PLANT), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/ops/lines/{lineId}/stations", "/api/v1/ops/lines/none/stations", None, Only(PLANT), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/ops/lines/{lineId}/oee", "/api/v1/ops/lines/none/oee", None, Only(PLANT), StatusCode::NOT_FOUND),
    case("PUT", "/api/v1/ops/lines/{lineId}/stations/{stationId}", "/api/v1/ops/lines/none/stations/none", Some(|| json!({ "state": "Idle" })), Only(PLANT_WRITERS), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/ops/lines/{lineId}/telemetry", "/api/v1/ops/lines/none/telemetry", Some(|| json!({ "intervals": [{ "start": "2026-12-01T08:00:00Z", "end": "2026-12-01T08:15:00Z", "plannedMs": 900000, "runMs": 800000, "idealCycleMs": 20000, "totalCount": 38, "goodCount": 37 }] })), Only(PLANT_WRITERS), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/ops/exceptions", "/api/v1/ops/exceptions", None, Only(PLANT), StatusCode::OK),
    case("POST", "/api/v1/ops/exceptions", "/api/v1/ops/exceptions", Some(|| json!({})), Only(PLANT_WRITERS), StatusCode::BAD_REQUEST),
    case("GET", "/api/v1/ops/exceptions/{id}", "/api/v1/ops/exceptions/EX-2026-999", None, Only(PLANT), StatusCode::NOT_FOUND),
    case("POST", "/api/v1/ops/exceptions/{id}/transition", "/api/v1/ops/exceptions/EX-2026-999/transition", Some(|| json!({ "to": "Triaged" })), Only(PLANT_WRITERS), StatusCode::NOT_FOUND),
    case("GET", "/api/v1/ops/logs", "/api/v1/ops/logs", None, Only(PLANT), StatusCode::OK),
    case("GET", "/api/v1/ops/logs/verify", "/api/v1/ops/logs/verify", None, Only(PLANT), StatusCode::OK),
    case("GET", "/api/v1/ops/reports", "/api/v1/ops/reports", None, Only(PLANT), StatusCode::OK),
    case("GET", "/api/v1/ops/reports/{reportId}/preview", "/api/v1/ops/reports/rpt-inv/preview", None, Only(PLANT), StatusCode::OK),
    case("GET", "/api/v1/ops/compliance", "/api/v1/ops/compliance", None, Only(PLANT), StatusCode::OK),
    case("POST", "/api/v1/ops/demo", "/api/v1/ops/demo", None, Only(ADMIN), StatusCode::CREATED),
    // settings
    case("GET", "/api/v1/settings", "/api/v1/settings", None, Only(ADMIN), StatusCode::OK),
    case("PATCH", "/api/v1/settings", "/api/v1/settings", Some(|| json!({})), Only(ADMIN), StatusCode::OK),
];

fn allowed(case: &Case, role: Role) -> bool {
    match case.allowed {
        Everyone => true,
        Only(roles) => roles.contains(&role),
    }
}

#[tokio::test]
async fn every_protected_route_for_every_role() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    app.state.live.close();
    let admin = common::admin(&app).await;
    let target = common::user(&app, &admin, "target", "technician").await;
    let mut emails = vec![(Role::Admin, admin.email.clone())];
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Admin) {
        let account = common::user(&app, &admin, role.as_str(), role.as_str()).await;
        emails.push((role, account.email));
    }

    let mut failures = Vec::new();
    for case in CASES {
        let path = case.path.replace("{target}", &target.id);
        let body = case.body.map(|b| b());
        let anonymous = common::call(&app, case.method, &path, None, body.clone()).await;
        if anonymous.status != StatusCode::UNAUTHORIZED {
            failures.push(format!(
                "{} {path} without a token: {}",
                case.method, anonymous.status
            ));
        }
        for (role, email) in &emails {
            // A fresh session per call: some routes end the session they run in.
            let account = common::login(&app, email, common::PASSWORD).await;
            let reply =
                common::call(&app, case.method, &path, Some(&account.token), body.clone()).await;
            let expected = if allowed(case, *role) {
                case.ok
            } else {
                StatusCode::FORBIDDEN
            };
            if reply.status != expected {
                failures.push(format!(
                    "{} {path} as {role}: expected {expected}, got {} {}",
                    case.method,
                    reply.status,
                    String::from_utf8_lossy(&reply.body)
                ));
            } else if expected == StatusCode::FORBIDDEN {
                reply.assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_matrix_covers_every_route_that_needs_a_token() {
    let doc = serde_json::to_value(rpma_sidecar::openapi::document()).unwrap();
    let mut secured = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if operation
                .get("security")
                .is_some_and(|s| !s.as_array().unwrap().is_empty())
            {
                secured.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    let covered: BTreeSet<(String, String)> = CASES
        .iter()
        .map(|c| (c.method.to_owned(), c.template.to_owned()))
        .collect();
    let missing: Vec<_> = secured.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "protected routes missing from the RBAC matrix: {missing:?}"
    );
    let unknown: Vec<_> = covered.difference(&secured).collect();
    assert!(
        unknown.is_empty(),
        "matrix rows for routes the document does not secure: {unknown:?}"
    );
}

#[tokio::test]
async fn public_routes_need_no_token() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    for path in [
        "/api/v1/health",
        "/api/v1/system/info",
        "/api/v1/openapi.json",
        "/api/v1/auth/has-admins",
    ] {
        assert_eq!(
            common::get(&app, path).await.status,
            StatusCode::OK,
            "{path}"
        );
    }
    // Sign-in routes answer on their merits (bad input), not with 401 for a missing token.
    for path in ["/api/v1/auth/login/2fa", "/api/v1/auth/refresh"] {
        let reply = common::call(&app, "POST", path, None, Some(json!({}))).await;
        reply.assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    }
}
