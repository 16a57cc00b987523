//! The report of one intervention as PDF bytes: what goes on its pages, in order.

use chrono::{DateTime, Utc};

use pdf_writer::Ref;

use crate::interventions::model::{Intervention, Step};
use crate::interventions::photos::Photo;
use crate::materials::consumption::Consumption;
use crate::pdf::{Layout, MARGIN, assemble, money};

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
    materials: &[Consumption],
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
    if materials.is_empty() {
        layout.text("No material consumption recorded.", 10.0, false);
    }
    for used in materials {
        let step = used
            .step_number
            .map(|n| format!("step {n}, "))
            .unwrap_or_default();
        let waste = match (used.waste_quantity > 0.0, &used.waste_reason) {
            (true, Some(reason)) => format!(" + {} wasted ({reason})", used.waste_quantity),
            (true, None) => format!(" + {} wasted", used.waste_quantity),
            _ => String::new(),
        };
        layout.text(
            &format!(
                "- {} {}: {} {}{waste}, {step}{}",
                used.material_sku,
                used.material_name,
                used.quantity_used,
                used.unit_of_measure,
                money(used.total_cost)
            ),
            10.0,
            false,
        );
    }
    if !materials.is_empty() {
        let total = crate::materials::consumption::summary(materials).total_cost;
        layout.field("Materials cost", Some(money(total)));
    }

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

    assemble(layout.finish(), next_ref)
}
