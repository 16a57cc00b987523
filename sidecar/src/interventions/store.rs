//! The interventions' SQL: lookups scoped to the caller, the insert of an intervention with its
//! steps, and the writes of their changeable columns.

use sqlx::{AnyConnection, AnyExecutor};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::{Error, Result};
use crate::interventions::model::{INTERVENTION_COLUMNS, Intervention, STEP_COLUMNS, Step};
use crate::scheduling::scope;

fn not_found() -> Error {
    Error::NotFound("no such intervention".into())
}

/// A live intervention by id, whoever asks.
pub async fn find(db: impl AnyExecutor<'_>, id: Uuid) -> Result<Intervention> {
    let sql = format!(
        "SELECT {INTERVENTION_COLUMNS} FROM interventions WHERE id = $1 AND deleted_at IS NULL"
    );
    sqlx::query_as::<_, Intervention>(sqlx::AssertSqlSafe(sql))
        .bind(id.hyphenated().to_string())
        .fetch_optional(db)
        .await?
        .ok_or_else(not_found)
}

/// A live intervention the caller may see: a technician knows only those of their own tasks
/// (others are "not found").
pub async fn find_for(
    db: impl AnyExecutor<'_>,
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
pub async fn steps(db: impl AnyExecutor<'_>, intervention: Uuid) -> Result<Vec<Step>> {
    let sql = format!(
        "SELECT {STEP_COLUMNS} FROM intervention_steps WHERE intervention_id = $1 ORDER BY step_number"
    );
    Ok(sqlx::query_as::<_, Step>(sqlx::AssertSqlSafe(sql))
        .bind(intervention.hyphenated().to_string())
        .fetch_all(db)
        .await?)
}

/// Insert an intervention and its steps. A second active intervention for the task breaks the
/// `interventions_one_active` index: `INTERVENTION_ALREADY_ACTIVE`, whatever the concurrency.
pub async fn insert(conn: &mut AnyConnection, i: &Intervention, steps: &[Step]) -> Result<()> {
    let insert = sqlx::query(
        "INSERT INTO interventions (id, task_id, task_number, status, intervention_type, workflow, \
         priority, description, vehicle_plate, vehicle_model, vehicle_make, vehicle_year, vehicle_vin, \
         client_id, client_name, client_email, client_phone, technician_id, technician_name, \
         current_step, completion_percentage, ppf_zones_config, film_type, film_brand, film_model, \
         started_at, estimated_duration, weather_condition, lighting_condition, work_location, \
         temperature_celsius, humidity_percentage, start_location_lat, start_location_lon, \
         start_location_accuracy, notes, created_at, updated_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39)",
    )
    .bind(i.id.hyphenated().to_string())
    .bind(i.task_id.hyphenated().to_string())
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
    .bind(i.client_id.map(|id| id.hyphenated().to_string()))
    .bind(&i.client_name)
    .bind(&i.client_email)
    .bind(&i.client_phone)
    .bind(i.technician_id.map(|id| id.hyphenated().to_string()))
    .bind(&i.technician_name)
    .bind(i.current_step)
    .bind(i.completion_percentage)
    .bind(crate::db::stored::JsonText(&i.ppf_zones_config))
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
    .bind(i.created_by.map(|id| id.hyphenated().to_string()))
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
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        )
        .bind(step.id.hyphenated().to_string())
        .bind(step.intervention_id.hyphenated().to_string())
        .bind(step.step_number)
        .bind(&step.step_name)
        .bind(step.step_type)
        .bind(step.step_status)
        .bind(&step.description)
        .bind(&step.instructions)
        .bind(crate::db::stored::JsonText(&step.quality_checkpoints))
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
pub async fn update(conn: &mut AnyConnection, i: &Intervention) -> Result<()> {
    let updated = sqlx::query(
        "UPDATE interventions SET status = $1, current_step = $2, completion_percentage = $3, \
         started_at = $4, completed_at = $5, paused_at = $6, actual_duration = $7, \
         customer_satisfaction = $8, quality_score = $9, final_observations = $10, \
         customer_signature = $11, signatory = $12, customer_comments = $13, notes = $14, updated_at = $15 \
         WHERE id = $16 AND deleted_at IS NULL",
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
    .bind(crate::db::stored::JsonText(&i.final_observations))
    .bind(&i.customer_signature)
    .bind(&i.signatory)
    .bind(&i.customer_comments)
    .bind(&i.notes)
    .bind(i.updated_at.timestamp_millis())
    .bind(i.id.hyphenated().to_string())
    .execute(conn)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(not_found());
    }
    Ok(())
}

/// Write the columns of a step that change as it is worked.
pub async fn update_step(conn: &mut AnyConnection, step: &Step) -> Result<()> {
    sqlx::query(
        "UPDATE intervention_steps SET step_status = $1, photo_count = $2, started_at = $3, \
         completed_at = $4, duration_seconds = $5, collected_data = $6, measurements = $7, \
         observations = $8, approved_by = $9, approved_at = $10, rejection_reason = $11, notes = $12, \
         updated_at = $13 WHERE id = $14",
    )
    .bind(step.step_status)
    .bind(step.photo_count)
    .bind(step.started_at.map(|t| t.timestamp_millis()))
    .bind(step.completed_at.map(|t| t.timestamp_millis()))
    .bind(step.duration_seconds)
    .bind(step.collected_data.as_ref().map(crate::db::stored::JsonText))
    .bind(step.measurements.as_ref().map(crate::db::stored::JsonText))
    .bind(crate::db::stored::JsonText(&step.observations))
    .bind(step.approved_by.map(|id| id.hyphenated().to_string()))
    .bind(step.approved_at.map(|t| t.timestamp_millis()))
    .bind(&step.rejection_reason)
    .bind(&step.notes)
    .bind(step.updated_at.timestamp_millis())
    .bind(step.id.hyphenated().to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// The display name of a user, for the intervention's copy of its technician.
pub async fn user_name(db: impl AnyExecutor<'_>, id: Uuid) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT first_name || ' ' || last_name FROM users WHERE id = $1")
            .bind(id.hyphenated().to_string())
            .fetch_optional(db)
            .await?,
    )
}
