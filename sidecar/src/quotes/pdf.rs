//! `GET /quotes/{id}/pdf`: the quote as the client receives it (a quote is shared only as a
//! PDF), laid out with the same PDF module as the intervention report. Its figures are
//! [`Totals`](crate::quotes::totals::Totals), the ones the API and the list show.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use crate::auth::{Authorized, Workshop};
use crate::error::{ErrorEnvelope, Result};
use crate::extract::Path;
use crate::pdf::{Layout, assemble, money};
use crate::quotes::model::{DiscountType, ItemKind};
use crate::quotes::store::{self, QuoteDetail};
use crate::state::AppState;

/// The PDF of `detail`.
pub fn render(detail: &QuoteDetail) -> Vec<u8> {
    let (q, t) = (&detail.quote, &detail.totals);
    let mut layout = Layout::new();
    layout.text(&format!("Quote {}", q.quote_number), 18.0, true);
    layout.field("Status", Some(q.status.to_string()));
    layout.field("Date", Some(q.created_at.format("%Y-%m-%d").to_string()));
    layout.field(
        "Valid until",
        Some(q.valid_until.format("%Y-%m-%d").to_string()),
    );

    layout.heading("Client");
    layout.field("Name", Some(q.client_name.clone()));

    layout.heading("Vehicle");
    layout.field("Plate", q.vehicle_plate.clone());
    let vehicle = [&q.vehicle_make, &q.vehicle_model, &q.vehicle_year];
    let vehicle: Vec<&str> = vehicle.iter().filter_map(|v| v.as_deref()).collect();
    layout.field("Vehicle", (!vehicle.is_empty()).then(|| vehicle.join(" ")));
    layout.field("VIN", q.vehicle_vin.clone());
    layout.field(
        "Zones",
        (!q.ppf_zones.is_empty()).then(|| q.ppf_zones.join(", ")),
    );
    layout.field("Work", q.description.clone());

    layout.heading("Lines");
    for (item, amount) in detail.items.iter().zip(&t.lines) {
        let unit = if item.kind == ItemKind::Labor {
            " h"
        } else {
            ""
        };
        layout.text(
            &format!(
                "{}. {} ({}): {}{unit} x {} = {} (tax {} %)",
                item.position,
                item.label,
                item.kind,
                item.qty,
                money(item.unit_price),
                money(*amount),
                item.tax_rate
            ),
            10.0,
            false,
        );
    }
    if detail.items.is_empty() {
        layout.text("No lines yet.", 10.0, false);
    }

    layout.heading("Totals");
    layout.field("Subtotal", Some(money(t.subtotal)));
    if t.discount_amount > 0 {
        let how = match q.discount_type {
            Some(DiscountType::Percentage) => format!(" ({} %)", q.discount_value as f64 / 100.0),
            _ => String::new(),
        };
        layout.field(
            &format!("Discount{how}"),
            Some(format!("-{}", money(t.discount_amount))),
        );
    }
    for tax in &t.taxes {
        layout.field(
            &format!(
                "Tax {} % on {}",
                tax.rate_bp as f64 / 100.0,
                money(tax.base)
            ),
            Some(money(tax.tax)),
        );
    }
    layout.field("Total", Some(money(t.total)));
    layout.field("Notes", q.notes.clone());
    layout.field("Terms", q.terms.clone());
    assemble(layout.finish(), 10)
}

/// The quote as a PDF download, `DEV-00001.pdf` (everyone in the workshop).
#[utoipa::path(
    get,
    path = "/quotes/{id}/pdf",
    params(("id" = Uuid, Path, description = "Quote id")),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf", body = [u8]),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn quote_pdf(
    _caller: Authorized<Workshop>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    store::expire_due(&state).await?;
    let detail = store::detail(&mut *state.db.acquire().await?, id).await?;
    let name = format!("attachment; filename=\"{}.pdf\"", detail.quote.quote_number);
    let pdf = tokio::task::spawn_blocking(move || render(&detail))
        .await
        .map_err(anyhow::Error::from)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, name),
        ],
        pdf,
    )
        .into_response())
}
