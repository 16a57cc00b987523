//! The intervention report: made on finalise, numbered `INT-YYYY-NNNN`, a PDF that holds the
//! job (read back with `pdftotext`).

use axum::http::StatusCode;
use serde_json::json;

use crate::common::{ClientBuilder, TaskBuilder, Workshop, call, pdf_text};
use crate::photos::{jpeg_with_gps, upload};
use crate::{advance, finalize_body, path, start};

#[tokio::test]
async fn finalising_makes_a_numbered_pdf_report_of_the_whole_job() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, token) = (&w.app.router, w.technician.token.as_str());
    let client = ClientBuilder::new("Claire Martin")
        .email("claire@example.com")
        .create(app, &w.admin.token)
        .await;
    let task = TaskBuilder::new()
        .plate("GH-456-IJ")
        .on("2026-12-12")
        .zones(&["hood", "bumper", "mirrors"])
        .technician(&w.technician.id)
        .client(client["id"].as_str().unwrap())
        .status("assigned")
        .create(app, &w.admin.token)
        .await;
    let detail = start(app, token, task["id"].as_str().unwrap()).await;
    let report_uri = path(&detail, "/report.pdf");
    call(app, "GET", &report_uri, Some(token), None)
        .await
        .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
    upload(app, token, &detail, 1, "hood.jpg", &jpeg_with_gps(400, 300))
        .await
        .assert_ok(StatusCode::CREATED);
    let mut detail = detail;
    for n in 1..=4 {
        detail = advance(app, token, &detail, n, json!({}))
            .await
            .assert_ok(StatusCode::OK);
    }
    call(
        app,
        "POST",
        &path(&detail, "/finalize"),
        Some(token),
        Some(finalize_body()),
    )
    .await
    .assert_ok(StatusCode::OK);

    let pdf = call(app, "GET", &report_uri, Some(token), None).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    let year = chrono::Utc::now().format("%Y").to_string();
    let number = format!("INT-{year}-0001");
    assert_eq!(
        pdf.header("content-disposition"),
        Some(format!("attachment; filename=\"{number}.pdf\"").as_str())
    );
    let text = pdf_text(&pdf.body);
    for expected in [
        number.as_str(),
        "GH-456-IJ",
        "Claire Martin",
        "Inspection",
        "Préparation",
        "Installation",
        "Finalisation",
        "Signed by: Claire Martin",
        "Customer satisfaction: 9/10",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    // The photo is in it, as an image.
    assert!(
        pdf.body.windows(9).any(|w| w == b"DCTDecode"),
        "no JPEG image in the PDF"
    );

    // On demand: the next number.
    let again = call(app, "POST", &path(&detail, "/report"), Some(token), None)
        .await
        .assert_ok(StatusCode::CREATED);
    assert_eq!(again["report_number"], format!("INT-{year}-0002"));
    let viewer = call(app, "GET", &report_uri, Some(&w.viewer.token), None).await;
    assert_eq!(viewer.status, StatusCode::FORBIDDEN);
}
