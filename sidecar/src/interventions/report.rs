//! The intervention report: a PDF of the whole job (domain facts' `ReportViewModel`: summary,
//! client, vehicle, conditions, steps with their checkpoints and data, materials, photos,
//! quality, the customer's validation and signature), numbered `INT-YYYY-NNNN`, stored under
//! the data dir and listed in `intervention_reports`. Made when an intervention is finalised,
//! and on demand.
//!
//! The PDF is written directly with `pdf-writer`: text in the standard Helvetica (no font to
//! embed), photos as the JPEG bytes of their thumbnails (no decoding or re-encoding), the
//! signature's strokes as PDF paths.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Datelike, Utc};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Authorized, WorkshopStaff};
use crate::clock::{now_ms, to_datetime};
use crate::db::stored::{Millis, StoredId, StoredOptId};
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::Path;
use crate::interventions::model::{Intervention, Step};
use crate::interventions::photos::{self, Photo};
use crate::interventions::store;
use crate::response::ApiResponse;
use crate::state::AppState;

/// A generated report.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct InterventionReport {
    /// Id.
    #[sqlx(try_from = "StoredId")]
    pub id: Uuid,
    /// The intervention.
    #[sqlx(try_from = "StoredId")]
    pub intervention_id: Uuid,
    /// `INT-YYYY-NNNN`.
    #[schema(example = "INT-2026-0001")]
    pub report_number: String,
    /// When.
    #[sqlx(try_from = "Millis")]
    pub generated_at: DateTime<Utc>,
    /// `pdf`.
    pub format: String,
    /// By.
    #[sqlx(try_from = "StoredOptId")]
    pub generated_by: Option<Uuid>,
}

const A4: (f32, f32) = (595.0, 842.0);
const MARGIN: f32 = 50.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// Text as Helvetica's WinAnsi bytes (Latin-1 here; anything else becomes `?`).
fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| {
            u8::try_from(u32::from(c))
                .ok()
                .filter(|b| *b >= 0x20)
                .unwrap_or(b'?')
        })
        .collect()
}

/// One page: what it draws, and the photos (JPEG bytes and object id) it shows.
struct Page {
    content: Content,
    images: Vec<(Vec<u8>, Ref)>,
}

impl Page {
    fn new() -> Self {
        Self {
            content: Content::new(),
            images: Vec::new(),
        }
    }
}

/// Pages being laid out top to bottom: those done, and the one being filled.
struct Layout {
    done: Vec<Page>,
    current: Page,
    y: f32,
}

impl Layout {
    fn new() -> Self {
        Self {
            done: Vec::new(),
            current: Page::new(),
            y: A4.1 - MARGIN,
        }
    }

    fn page(&mut self) {
        self.done
            .push(std::mem::replace(&mut self.current, Page::new()));
        self.y = A4.1 - MARGIN;
    }

    fn finish(mut self) -> Vec<Page> {
        self.done.push(self.current);
        self.done
    }

    fn room(&mut self, height: f32) {
        if self.y - height < MARGIN {
            self.page();
        }
    }

    fn text(&mut self, text: &str, size: f32, bold: bool) {
        // About 0.5 em a character: wrap at the width of the page.
        let per_line = ((A4.0 - 2.0 * MARGIN) / (size * 0.5)) as usize;
        let mut line = String::new();
        let mut lines = Vec::new();
        for word in text.split_whitespace() {
            if !line.is_empty() && line.chars().count() + word.chars().count() >= per_line {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
        for line in lines {
            self.room(size * 1.4);
            self.y -= size * 1.4;
            self.current
                .content
                .begin_text()
                .set_font(if bold { BOLD } else { REGULAR }, size)
                .next_line(MARGIN, self.y)
                .show(Str(&latin1(&line)))
                .end_text();
        }
    }

    fn heading(&mut self, text: &str) {
        self.y -= 8.0;
        self.text(text, 14.0, true);
    }

    fn field(&mut self, label: &str, value: Option<String>) {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            self.text(&format!("{label}: {value}"), 10.0, false);
        }
    }

    /// A photo `width` points wide, in a row of photos (a new row when the line is full).
    fn photo(&mut self, jpeg: Vec<u8>, id: Ref, size: (f32, f32), x: &mut f32) {
        let (w, h) = size;
        if *x + w > A4.0 - MARGIN {
            *x = MARGIN;
            self.y -= h + 8.0;
        }
        if *x == MARGIN {
            self.room(h + 8.0);
        }
        let name = format!("Im{}", id.get());
        self.current
            .content
            .save_state()
            .transform([w, 0.0, 0.0, h, *x, self.y - h])
            .x_object(Name(name.as_bytes()))
            .restore_state();
        self.current.images.push((jpeg, id));
        *x += w + 8.0;
    }

    /// The signature's strokes (`M x y L x y …` and `C` curves of the pad's SVG), in a box.
    fn signature(&mut self, svg: &str) {
        let (w, h) = (300.0, 112.5);
        self.room(h + 10.0);
        let top = self.y - 4.0;
        let scale = w / 400.0;
        let content = &mut self.current.content;
        content.save_state().set_line_width(1.0);
        content.rect(MARGIN, top - h, w, h).stroke();
        for d in svg
            .split("d=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
        {
            let mut tokens = d.split_whitespace().peekable();
            let number = |tokens: &mut std::iter::Peekable<std::str::SplitWhitespace<'_>>| {
                tokens
                    .next()
                    .and_then(|t| t.trim_end_matches(',').parse::<f32>().ok())
            };
            let at = |x: f32, y: f32| (MARGIN + x * scale, top - y * scale);
            while let Some(command) = tokens.next() {
                match command {
                    "M" | "L" => {
                        let (Some(x), Some(y)) = (number(&mut tokens), number(&mut tokens)) else {
                            break;
                        };
                        let (x, y) = at(x, y);
                        if command == "M" {
                            content.move_to(x, y);
                        } else {
                            content.line_to(x, y);
                        }
                    }
                    _ => break,
                }
            }
            content.stroke();
        }
        content.restore_state();
        self.y = top - h - 6.0;
    }
}

/// What a step recorded, as `key: value` lines.
fn data_lines(value: &serde_json::Value, prefix: &str, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                let name = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                data_lines(value, &name, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                data_lines(item, &format!("{prefix}[{i}]"), out);
            }
        }
        serde_json::Value::Null => {}
        serde_json::Value::String(s) => out.push(format!("{prefix}: {s}")),
        other => out.push(format!("{prefix}: {other}")),
    }
}

fn when(time: Option<DateTime<Utc>>) -> Option<String> {
    time.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
}

/// Write the report of `intervention` as PDF bytes. `photos` holds each step's photos with the
/// JPEG bytes of their thumbnails.
pub fn render(
    number: &str,
    intervention: &Intervention,
    steps: &[Step],
    photos: Vec<(Photo, Vec<u8>)>,
) -> Vec<u8> {
    let i = intervention;
    let mut layout = Layout::new();
    layout.text(&format!("Intervention report {number}"), 18.0, true);
    layout.field("Task", Some(i.task_number.clone()));
    layout.field("Status", Some(i.status.to_string()));
    layout.field("Workflow", Some(i.workflow.to_string()));
    layout.field("Started", when(i.started_at));
    layout.field("Completed", when(i.completed_at));
    layout.field("Duration", i.actual_duration.map(|m| format!("{m} min")));
    layout.field("Technician", i.technician_name.clone());

    layout.heading("Client");
    layout.field("Name", i.client_name.clone());
    layout.field("Email", i.client_email.clone());
    layout.field("Phone", i.client_phone.clone());

    layout.heading("Vehicle");
    layout.field("Plate", Some(i.vehicle_plate.clone()));
    let vehicle = [
        i.vehicle_make.clone(),
        i.vehicle_model.clone(),
        i.vehicle_year.map(|y| y.to_string()),
    ];
    layout.field(
        "Vehicle",
        Some(vehicle.into_iter().flatten().collect::<Vec<_>>().join(" ")),
    );
    layout.field("VIN", i.vehicle_vin.clone());
    layout.field("Zones", Some(i.ppf_zones_config.join(", ")));
    let film = [
        i.film_type.map(|f| f.to_string()),
        i.film_brand.clone(),
        i.film_model.clone(),
    ];
    layout.field(
        "Film",
        Some(film.into_iter().flatten().collect::<Vec<_>>().join(" ")),
    );

    layout.heading("Work conditions");
    layout.field("Weather", i.weather_condition.map(|w| w.to_string()));
    layout.field("Lighting", i.lighting_condition.map(|l| l.to_string()));
    layout.field("Location", i.work_location.map(|l| l.to_string()));
    layout.field(
        "Temperature",
        i.temperature_celsius.map(|t| format!("{t} °C")),
    );
    layout.field("Humidity", i.humidity_percentage.map(|h| format!("{h} %")));

    layout.heading("Materials");
    layout.text("No material consumption recorded.", 10.0, false);

    let mut next_ref = 10;
    let mut photos = photos.into_iter().peekable();
    for step in steps {
        layout.heading(&format!("Step {}: {}", step.step_number, step.step_name));
        layout.field("Status", Some(step.step_status.to_string()));
        layout.field(
            "Duration",
            step.duration_seconds.map(|s| format!("{} min", s / 60)),
        );
        for checkpoint in &step.quality_checkpoints {
            layout.text(&format!("- {checkpoint}"), 10.0, false);
        }
        let mut lines = Vec::new();
        if let Some(data) = &step.collected_data {
            data_lines(data, "", &mut lines);
        }
        for line in lines.iter().take(80) {
            layout.text(line, 9.0, false);
        }
        for observation in &step.observations {
            layout.text(&format!("Observation: {observation}"), 10.0, false);
        }
        layout.field("Notes", step.notes.clone());
        layout.field("Approved", when(step.approved_at));
        let mut x = MARGIN;
        let mut any = false;
        while let Some((photo, jpeg)) = photos.next_if(|(photo, _)| photo.step_id == step.id) {
            let scale = 120.0 / (photo.width.max(photo.height) as f32).max(1.0);
            let size = (photo.width as f32 * scale, photo.height as f32 * scale);
            // The thumbnail's own size is at most 320 px; its proportions are the photo's.
            layout.photo(jpeg, Ref::new(next_ref), size, &mut x);
            next_ref += 1;
            any = true;
        }
        if any {
            layout.y -= 128.0;
        }
    }

    layout.heading("Quality");
    layout.field(
        "Customer satisfaction",
        i.customer_satisfaction.map(|s| format!("{s}/10")),
    );
    layout.field("Quality score", i.quality_score.map(|q| format!("{q}/100")));
    for observation in &i.final_observations {
        layout.text(&format!("- {observation}"), 10.0, false);
    }

    layout.heading("Customer validation");
    layout.field("Signed by", i.signatory.clone());
    layout.field("Comments", i.customer_comments.clone());
    if let Some(svg) = &i.customer_signature {
        layout.signature(svg);
    }

    let mut pdf = Pdf::new();
    let (catalog, tree, regular, bold) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4));
    let pages = layout.finish();
    let first_page = next_ref;
    let page_ids: Vec<Ref> = (0..pages.len())
        .map(|n| Ref::new(first_page + 2 * n as i32))
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    for (Page { content, images }, page_id) in pages.into_iter().zip(&page_ids) {
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, A4.0, A4.1))
            .parent(tree)
            .contents(content_id);
        let mut resources = page.resources();
        resources.fonts().pair(REGULAR, regular).pair(BOLD, bold);
        let names: Vec<String> = images
            .iter()
            .map(|(_, id)| format!("Im{}", id.get()))
            .collect();
        let mut objects = resources.x_objects();
        for (name, (_, id)) in names.iter().zip(&images) {
            objects.pair(Name(name.as_bytes()), *id);
        }
        objects.finish();
        resources.finish();
        page.finish();
        pdf.stream(content_id, &content.finish());
        for (jpeg, id) in images {
            let (width, height) = image::ImageReader::new(std::io::Cursor::new(&jpeg))
                .with_guessed_format()
                .ok()
                .and_then(|r| r.into_dimensions().ok())
                .unwrap_or((1, 1));
            let mut xobject = pdf.image_xobject(id, &jpeg);
            xobject.filter(Filter::DctDecode);
            xobject.width(width as i32).height(height as i32);
            xobject.color_space().device_rgb();
            xobject.bits_per_component(8);
        }
    }
    pdf.finish()
}

/// Make a report of intervention `id` now: numbered, stored and listed.
pub async fn generate(state: &AppState, id: Uuid, by: Uuid) -> Result<InterventionReport> {
    let (intervention, steps, photos) = {
        let mut conn = state.db.acquire().await?;
        let intervention = store::find(&mut *conn, id).await?;
        let steps = store::steps(&mut *conn, id).await?;
        let photos = photos::of_intervention(&mut conn, id).await?;
        (intervention, steps, photos)
    };
    let mut files = Vec::with_capacity(photos.len());
    for photo in photos {
        let path = photos::file(&state.config.data_dir, &photo.sha256, true);
        if let Ok(jpeg) = tokio::fs::read(&path).await {
            files.push((photo, jpeg));
        }
    }
    let now = now_ms();
    let year = to_datetime(now).year();
    let mut tx = write_transaction(&state.writer).await?;
    let last: i64 = sqlx::query_scalar(
        "INSERT INTO intervention_report_counters (year, last) VALUES (?, 1) \
         ON CONFLICT (year) DO UPDATE SET last = intervention_report_counters.last + 1 RETURNING last",
    )
    .bind(year)
    .fetch_one(&mut *tx)
    .await?;
    let number = format!("INT-{year}-{last:04}");
    let pdf = {
        let number = number.clone();
        tokio::task::spawn_blocking(move || render(&number, &intervention, &steps, files))
            .await
            .map_err(anyhow::Error::from)?
    };
    let relative = format!("reports/{number}.pdf");
    let path = state.config.data_dir.join(&relative);
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(anyhow::Error::from)?;
    }
    tokio::fs::write(&path, &pdf)
        .await
        .map_err(anyhow::Error::from)?;
    let report = InterventionReport {
        id: Uuid::new_v4(),
        intervention_id: id,
        report_number: number,
        generated_at: to_datetime(now),
        format: "pdf".into(),
        generated_by: Some(by),
    };
    sqlx::query(
        "INSERT INTO intervention_reports (id, intervention_id, report_number, generated_at, file_path, format, status, generated_by) \
         VALUES (?, ?, ?, ?, ?, 'pdf', 'generated', ?)",
    )
    .bind(report.id.hyphenated())
    .bind(id.hyphenated())
    .bind(&report.report_number)
    .bind(now)
    .bind(&relative)
    .bind(by.hyphenated())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(report)
}

/// Make the intervention's report now (staff; a technician on their own interventions).
#[utoipa::path(
    post,
    path = "/interventions/{id}/report",
    params(("id" = Uuid, Path, description = "Intervention id")),
    responses(
        (status = 201, description = "The new report", body = ApiResponse<InterventionReport>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn create_report(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<(StatusCode, ApiResponse<InterventionReport>)> {
    store::find_for(&mut *state.db.acquire().await?, id, &caller.user).await?;
    let report = generate(&state, id, caller.user.id()).await?;
    Ok((StatusCode::CREATED, ApiResponse::ok(report)))
}

/// The intervention's latest report, as a PDF download.
#[utoipa::path(
    get,
    path = "/interventions/{id}/report.pdf",
    params(("id" = Uuid, Path, description = "Intervention id")),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf", body = [u8]),
        (status = 404, description = "`NOT_FOUND`: no such intervention, or no report yet", body = ErrorEnvelope),
    )
)]
pub async fn download_report(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    let mut conn = state.db.acquire().await?;
    store::find_for(&mut *conn, id, &caller.user).await?;
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT report_number, file_path FROM intervention_reports WHERE intervention_id = ? \
         ORDER BY generated_at DESC, report_number DESC LIMIT 1",
    )
    .bind(id.hyphenated())
    .fetch_optional(&mut *conn)
    .await?;
    drop(conn);
    let (number, relative) = row.ok_or_else(|| Error::NotFound("no report yet".into()))?;
    let bytes = tokio::fs::read(state.config.data_dir.join(relative))
        .await
        .map_err(|_| Error::NotFound("the report's file is missing".into()))?;
    let disposition = format!("attachment; filename=\"{number}.pdf\"");
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
