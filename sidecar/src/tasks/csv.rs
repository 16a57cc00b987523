//! CSV import: every row checked like a create, then written in one transaction (the columns
//! are the export's, [`CSV_COLUMNS`]).
//!
//! Lists (`ppf_zones`, `custom_ppf_zones`, `tags`) are `;`-separated in a cell; empty cells are
//! absent values; `checklist_completed` is `true` or `false`; timestamps are RFC 3339.

use std::collections::{HashMap, HashSet};

use crate::db::stored::StoredId;
use axum::body::Bytes;
use axum::extract::State;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{Authorized, Managers};
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::Query;
use crate::live::{Audience, EventKind};
use crate::response::ApiResponse;
use crate::scheduling::{self, Except};
use crate::spreadsheet::cell_text;
use crate::state::AppState;
use crate::tasks::columns::CSV_COLUMNS;
use crate::tasks::fields::TaskFields;
use crate::tasks::model::{Priority, TaskStatus, slot, text};
use crate::tasks::store;

/// How an import treats bad rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    /// Create the valid rows, report the others (default).
    #[default]
    Partial,
    /// Create nothing if any row fails.
    AllOrNothing,
}

/// Options of an import.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `partial` (default) or `all_or_nothing`.
    pub mode: Option<ImportMode>,
}

/// One problem in an imported row.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RowError {
    /// Data row, 1 for the first row after the header.
    pub row: u64,
    /// Line of the file where the row starts.
    pub line: u64,
    /// Column, or `row` for the row as a whole.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// What an import did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    /// Mode used.
    pub mode: ImportMode,
    /// Data rows read.
    pub rows: u64,
    /// Tasks created (0 in `all_or_nothing` when any row failed).
    pub created: u64,
    /// Problems, by row.
    pub errors: Vec<RowError>,
}

/// A parsed row, or its problems.
type Parsed = std::result::Result<TaskFields, Vec<(String, String)>>;

fn parse_row(columns: &[String], record: &csv::StringRecord) -> Parsed {
    let mut fields = TaskFields::default();
    let mut errors = Vec::new();
    let mut status = None;
    for (name, value) in columns.iter().zip(record.iter()) {
        let Some(value) = text(cell_text(value)) else {
            continue;
        };
        let list = || value.split(';').map(str::to_owned).collect::<Vec<_>>();
        let mut fail = |message: String| errors.push((name.clone(), message));
        match name.as_str() {
            "title" => fields.title = Some(value),
            "description" => fields.description = Some(value),
            "status" => match value.parse::<TaskStatus>() {
                Ok(s) => status = Some(s),
                Err(m) => fail(m),
            },
            "priority" => match value.parse::<Priority>() {
                Ok(p) => fields.priority = Some(p),
                Err(m) => fail(m),
            },
            "vehicle_plate" => fields.vehicle_plate = Some(value),
            "vehicle_model" => fields.vehicle_model = Some(value),
            "vehicle_make" => fields.vehicle_make = Some(value),
            "vehicle_year" => fields.vehicle_year = Some(value),
            "vin" => fields.vin = Some(value),
            "ppf_zones" => fields.ppf_zones = Some(list()),
            "custom_ppf_zones" => fields.custom_ppf_zones = Some(list()),
            "tags" => fields.tags = Some(list()),
            "scheduled_date" => fields.scheduled_date = Some(value),
            "start_time" => fields.start_time = Some(value),
            "end_time" => fields.end_time = Some(value),
            "technician_id" | "client_id" => match value.parse::<Uuid>() {
                Ok(id) if name == "technician_id" => fields.technician_id = Some(id),
                Ok(id) => fields.client_id = Some(id),
                Err(_) => fail(format!("`{value}` is not a UUID")),
            },
            "customer_name" => fields.customer_name = Some(value),
            "customer_email" => fields.customer_email = Some(value),
            "customer_phone" => fields.customer_phone = Some(value),
            "customer_address" => fields.customer_address = Some(value),
            "lot_film" => fields.lot_film = Some(value),
            "notes" => fields.notes = Some(value),
            "checklist_completed" => match value.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => fields.checklist_completed = Some(true),
                "false" | "0" | "no" => fields.checklist_completed = Some(false),
                _ => fail("must be true or false".into()),
            },
            "estimated_duration" | "actual_duration" => match value.parse::<i64>() {
                Ok(n) if name == "estimated_duration" => fields.estimated_duration = Some(n),
                Ok(n) => fields.actual_duration = Some(n),
                Err(_) => fail("must be a whole number of minutes".into()),
            },
            // `task_number`, `id`, `created_at`, `updated_at`: the server assigns them.
            _ => {}
        }
    }
    fields.status = status;
    if let Err(Error::Validation { details, .. }) = fields.validate(true) {
        for (field, messages) in details {
            errors.extend(messages.into_iter().map(|m| (field.clone(), m)));
        }
    }
    match (fields.start_time.is_some(), fields.end_time.is_some()) {
        (true, false) => errors.push(("end_time".into(), "is required with start_time".into())),
        (false, true) => errors.push(("start_time".into(), "is required with end_time".into())),
        (true, true) if fields.start_time >= fields.end_time => {
            errors.push(("end_time".into(), "must be after start_time".into()));
        }
        _ => {}
    }
    if errors.is_empty() {
        Ok(fields)
    } else {
        Err(errors)
    }
}

/// What the database knows that rows refer to.
struct Known {
    technicians: HashSet<Uuid>,
    clients: HashMap<Uuid, (String, Option<String>, Option<String>)>,
}

async fn known(db: &sqlx::AnyPool) -> Result<Known> {
    let technicians: Vec<StoredId> = sqlx::query_scalar(
        "SELECT id FROM users WHERE role = 'technician' AND deleted_at IS NULL AND is_active = TRUE AND banned_at IS NULL",
    )
    .fetch_all(db)
    .await?;
    let clients: Vec<(StoredId, String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT id, name, email, phone FROM clients WHERE deleted_at IS NULL")
            .fetch_all(db)
            .await?;
    Ok(Known {
        technicians: technicians
            .into_iter()
            .map(StoredId::into_uuid)
            .collect::<std::result::Result<_, _>>()?,
        clients: clients
            .into_iter()
            .map(|(id, name, email, phone)| Ok((id.into_uuid()?, (name, email, phone))))
            .collect::<std::result::Result<_, sqlx::Error>>()?,
    })
}

/// Import tasks from CSV (admin, supervisor). The body is UTF-8 CSV with a header row of
/// export column names (any order; `vehicle_plate`, `vehicle_model`, `ppf_zones` and
/// `scheduled_date` required; `id`, `task_number`, `created_at`, `updated_at` ignored). Every
/// row is checked like a created task (any status is accepted); technicians must be free. The
/// report lists each problem by row and column.
#[utoipa::path(
    post,
    path = "/tasks/import",
    params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "CSV with a header row"),
    responses(
        (status = 200, description = "What was created and what failed", body = ApiResponse<ImportReport>),
        (status = 400, description = "`VALIDATION_ERROR`: not UTF-8 CSV, or a bad header", body = ErrorEnvelope),
        (status = 413, description = "`PAYLOAD_TOO_LARGE`", body = ErrorEnvelope),
    )
)]
pub async fn import(
    caller: Authorized<Managers>,
    State(state): State<AppState>,
    Query(query): Query<ImportQuery>,
    body: Bytes,
) -> Result<ApiResponse<ImportReport>> {
    let mode = query.mode.unwrap_or_default();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(body.as_ref());
    let columns: Vec<String> = reader
        .headers()
        .map_err(|e| Error::invalid("body", format!("not a CSV header row: {e}")))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
        .collect();
    check_header(&columns)?;

    let known = known(&state.db).await?;
    let by = caller.user.id();
    let now = Utc::now();
    let mut report = ImportReport {
        mode,
        rows: 0,
        created: 0,
        errors: Vec::new(),
    };
    let mut tx = write_transaction(&state.writer).await?;
    for (index, record) in reader.records().enumerate() {
        let row = index as u64 + 1;
        report.rows = row;
        let mut fail = |line: u64, field: &str, message: String| {
            report.errors.push(RowError {
                row,
                line,
                field: field.to_owned(),
                message,
            });
        };
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                fail(line, "row", e.to_string());
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let fields = match parse_row(&columns, &record) {
            Ok(fields) => fields,
            Err(problems) => {
                for (field, message) in problems {
                    fail(line, &field, message);
                }
                continue;
            }
        };
        if let Some(technician) = fields.technician_id
            && !known.technicians.contains(&technician)
        {
            fail(
                line,
                "technician_id",
                "no active technician has this id".into(),
            );
            continue;
        }
        let client_contact = match fields.client_id {
            Some(client) => match known.clients.get(&client) {
                Some(contact) => Some(contact.clone()),
                None => {
                    fail(line, "client_id", "no live client has this id".into());
                    continue;
                }
            },
            None => None,
        };
        let status = fields.status.unwrap_or(TaskStatus::Draft);
        if let (Some(technician), false) = (fields.technician_id, status.is_closed()) {
            let date = fields.scheduled_date.as_deref().unwrap_or_default();
            let booked = slot(
                date,
                fields.start_time.as_deref(),
                fields.end_time.as_deref(),
            )
            .unwrap_or_default();
            let conflicts =
                scheduling::bookings(&mut *tx, technician, booked, Except::default()).await?;
            if let Some(first) = conflicts.first() {
                fail(
                    line,
                    "technician_id",
                    format!("the technician is already booked ({})", first.title),
                );
                continue;
            }
        }
        if mode == ImportMode::AllOrNothing && !report.errors.is_empty() {
            continue; // Nothing will be written; keep checking for the report.
        }
        let number = store::allocate_number(&mut tx, now).await?;
        let task = fields.new_task(number, status, client_contact, by, now);
        store::insert(&mut tx, std::slice::from_ref(&task), Some(by)).await?;
        report.created += 1;
    }
    if mode == ImportMode::AllOrNothing && !report.errors.is_empty() {
        tx.rollback().await?;
        report.created = 0;
        return Ok(ApiResponse::ok(report));
    }
    tx.commit().await?;
    if report.created > 0 {
        state.live.publish(
            EventKind::TaskImported,
            Audience::Workshop,
            Some(by),
            serde_json::json!({ "created": report.created }),
        );
    }
    Ok(ApiResponse::ok(report))
}

fn check_header(columns: &[String]) -> Result<()> {
    let mut seen = HashSet::new();
    for column in columns {
        if !CSV_COLUMNS.contains(&column.as_str()) {
            return Err(Error::invalid(
                "header",
                format!(
                    "unknown column `{column}`; columns are: {}",
                    CSV_COLUMNS.join(", ")
                ),
            ));
        }
        if !seen.insert(column.as_str()) {
            return Err(Error::invalid(
                "header",
                format!("column `{column}` appears twice"),
            ));
        }
    }
    for required in [
        "vehicle_plate",
        "vehicle_model",
        "ppf_zones",
        "scheduled_date",
    ] {
        if !seen.contains(required) {
            return Err(Error::invalid(
                "header",
                format!("column `{required}` is required"),
            ));
        }
    }
    Ok(())
}
