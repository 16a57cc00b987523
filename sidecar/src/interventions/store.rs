//! The interventions' SQL: lookups scoped to the caller, the insert of an intervention with its
//! steps, and the writes of their changeable columns.

use sqlx::{SqliteConnection, SqliteExecutor};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::{Error, Result};
use crate::interventions::model::{INTERVENTION_COLUMNS, Intervention, STEP_COLUMNS, Step};
use crate::scheduling::scope;

fn not_found() -> Error {
    Error::NotFound("no such intervention".into())
}

/// A live intervention by id, whoever asks.
pub async fn find(db: impl SqliteExecutor<'_>, id: Uuid) -> Result<Intervention> {
    let sql = format!(
        "SELECT {INTERVENTION_COLUMNS} FROM interventions WHERE id = ? AND deleted_at IS NULL"
    );
    sqlx::query_as::<_, Intervention>(sqlx::AssertSqlSafe(sql))
        .bind(id.hyphenated())
        .fetch_optional(db)
        .await?
        .ok_or_else(not_found)
}

/// A live intervention the caller may see: a technician knows only those of their own tasks
/// (others are "not found").
pub async fn find_for(
    db: impl SqliteExecutor<'_>,
    id: Uuid,
    user: &CurrentUser,
) -> Result<Intervention> {
    let intervention = find(db, id).await?;
    match scope(user) {
        Some(me) if intervention.technician_id != Some(me) => Err(not_found()),
        _ => Ok(intervention),
    }
}

/// The steps of an intervention, in order.
pub async fn steps(db: impl SqliteExecutor<'_>, intervention: Uuid) -> Result<Vec<Step>> {
    let sql = format!(
        "SELECT {STEP_COLUMNS} FROM intervention_steps WHERE intervention_id = ? ORDER BY step_number"
    );
    Ok(sqlx::query_as::<_, Step>(sqlx::AssertSqlSafe(sql))
        .bind(intervention.hyphenated())
        .fetch_all(db)
        .await?)
}

/// Insert an intervention and its steps. A second active intervention for the task breaks the
/// `interventions_one_active` index: `INTERVENTION_ALREADY_ACTIVE`, whatever the concurrency.
pub async fn insert(conn: &mut SqliteConnection, i: &Intervention, steps: &[Step]) -> Result<()> {
    let insert = sqlx::query(
        "INSERT INTO interventions (id, task_id, task_number, status, intervention_type, workflow, \
         priority, description, vehicle_plate, vehicle_model, vehicle_make, vehicle_year, vehicle_vin, \
         client_id, client_name, client_email, client_phone, technician_id, technician_name, \
         current_step, completion_percentage, ppf_zones_config, film_type, film_brand, film_model, \
         started_at, estimated_duration, weather_condition, lighting_condition, work_location, \
         temperature_celsius, humidity_percentage, start_location_lat, start_location_lon, \
         start_location_accuracy, notes, created_at, updated_at, created_by) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(i.id.hyphenated())
    .bind(i.task_id.hyphenated())
    .bind(&i.task_number)
    .bind(i.status)
    .bind(i.intervention_type)
    .bind(i.workflow)
    .bind(i.priority)
    .bind(&i.description)
    .bind(&i.vehicle_plate)
    .bind(&i.vehicle_model)
    .bind(&i.vehicle_make)
    .bind(i.vehicle_year)
    .bind(&i.vehicle_vin)
    .bind(i.client_id.map(|id| id.hyphenated()))
    .bind(&i.client_name)
    .bind(&i.client_email)
    .bind(&i.client_phone)
    .bind(i.technician_id.map(|id| id.hyphenated()))
    .bind(&i.technician_name)
    .bind(i.current_step)
    .bind(i.completion_percentage)
    .bind(sqlx::types::Json(&i.ppf_zones_config))
    .bind(i.film_type)
    .bind(&i.film_brand)
    .bind(&i.film_model)
    .bind(i.started_at.map(|t| t.timestamp_millis()))
    .bind(i.estimated_duration)
    .bind(i.weather_condition)
    .bind(i.lighting_condition)
    .bind(i.work_location)
    .bind(i.temperature_celsius)
    .bind(i.humidity_percentage)
    .bind(i.start_location_lat)
    .bind(i.start_location_lon)
    .bind(i.start_location_accuracy)
    .bind(&i.notes)
    .bind(i.created_at.timestamp_millis())
    .bind(i.updated_at.timestamp_millis())
    .bind(i.created_by.map(|id| id.hyphenated()))
    .execute(&mut *conn)
    .await;
    match insert {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(Error::InterventionAlreadyActive(
                "this task already has an active intervention".into(),
            ));
        }
        other => {
            other?;
        }
    }
    for step in steps {
        sqlx::query(
            "INSERT INTO intervention_steps (id, intervention_id, step_number, step_name, step_type, \
             step_status, description, instructions, quality_checkpoints, is_mandatory, requires_photos, \
             min_photos_required, max_photos_allowed, started_at, estimated_duration_seconds, \
             requires_supervisor_approval, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(step.id.hyphenated())
        .bind(step.intervention_id.hyphenated())
        .bind(step.step_number)
        .bind(&step.step_name)
        .bind(step.step_type)
        .bind(step.step_status)
        .bind(&step.description)
        .bind(&step.instructions)
        .bind(sqlx::types::Json(&step.quality_checkpoints))
        .bind(step.is_mandatory)
        .bind(step.requires_photos)
        .bind(step.min_photos_required)
        .bind(step.max_photos_allowed)
        .bind(step.started_at.map(|t| t.timestamp_millis()))
        .bind(step.estimated_duration_seconds)
        .bind(step.requires_supervisor_approval)
        .bind(step.updated_at.timestamp_millis())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Write the columns of an intervention that change after it starts.
pub async fn update(conn: &mut SqliteConnection, i: &Intervention) -> Result<()> {
    let updated = sqlx::query(
        "UPDATE interventions SET status = ?, current_step = ?, completion_percentage = ?, \
         started_at = ?, completed_at = ?, paused_at = ?, actual_duration = ?, \
         customer_satisfaction = ?, quality_score = ?, final_observations = ?, \
         customer_signature = ?, signatory = ?, customer_comments = ?, notes = ?, updated_at = ? \
         WHERE id = ? AND deleted_at IS NULL",
    )
    .bind(i.status)
    .bind(i.current_step)
    .bind(i.completion_percentage)
    .bind(i.started_at.map(|t| t.timestamp_millis()))
    .bind(i.completed_at.map(|t| t.timestamp_millis()))
    .bind(i.paused_at.map(|t| t.timestamp_millis()))
    .bind(i.actual_duration)
    .bind(i.customer_satisfaction)
    .bind(i.quality_score)
    .bind(sqlx::types::Json(&i.final_observations))
    .bind(&i.customer_signature)
    .bind(&i.signatory)
    .bind(&i.customer_comments)
    .bind(&i.notes)
    .bind(i.updated_at.timestamp_millis())
    .bind(i.id.hyphenated())
    .execute(conn)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(not_found());
    }
    Ok(())
}

/// Write the columns of a step that change as it is worked.
pub async fn update_step(conn: &mut SqliteConnection, step: &Step) -> Result<()> {
    sqlx::query(
        "UPDATE intervention_steps SET step_status = ?, photo_count = ?, started_at = ?, \
         completed_at = ?, duration_seconds = ?, collected_data = ?, measurements = ?, \
         observations = ?, approved_by = ?, approved_at = ?, rejection_reason = ?, notes = ?, \
         updated_at = ? WHERE id = ?",
    )
    .bind(step.step_status)
    .bind(step.photo_count)
    .bind(step.started_at.map(|t| t.timestamp_millis()))
    .bind(step.completed_at.map(|t| t.timestamp_millis()))
    .bind(step.duration_seconds)
    .bind(step.collected_data.as_ref().map(sqlx::types::Json))
    .bind(step.measurements.as_ref().map(sqlx::types::Json))
    .bind(sqlx::types::Json(&step.observations))
    .bind(step.approved_by.map(|id| id.hyphenated()))
    .bind(step.approved_at.map(|t| t.timestamp_millis()))
    .bind(&step.rejection_reason)
    .bind(&step.notes)
    .bind(step.updated_at.timestamp_millis())
    .bind(step.id.hyphenated())
    .execute(conn)
    .await?;
    Ok(())
}

/// The display name of a user, for the intervention's copy of its technician.
pub async fn user_name(db: impl SqliteExecutor<'_>, id: Uuid) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT first_name || ' ' || last_name FROM users WHERE id = ?")
            .bind(id.hyphenated())
            .fetch_optional(db)
            .await?,
    )
}
