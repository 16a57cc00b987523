//! Step photos: checked by content, stored without EXIF, thumbnailed, counted against the
//! step's limits, fetched and deleted.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};

use crate::common::{Reply, Workshop, call, send};
use crate::{advance, path, start_with, step, task_for_technician};

/// A `width` × `height` JPEG with an EXIF block holding a GPS latitude.
pub fn jpeg_with_gps(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(picture)
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    // TIFF (little-endian): IFD0 with a GPSInfo pointer, a GPS IFD with GPSLatitude 48/1 51/1 24/1.
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    tiff.extend(1u16.to_le_bytes());
    tiff.extend([0x25, 0x88, 4, 0]);
    tiff.extend(1u32.to_le_bytes());
    tiff.extend(26u32.to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(1u16.to_le_bytes());
    tiff.extend([0x02, 0x00, 5, 0]);
    tiff.extend(3u32.to_le_bytes());
    tiff.extend(44u32.to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    for (n, d) in [(48u32, 1u32), (51, 1), (24, 1)] {
        tiff.extend(n.to_le_bytes());
        tiff.extend(d.to_le_bytes());
    }
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let mut out = jpeg[..2].to_vec(); // SOI
    out.extend([0xFF, 0xE1]);
    out.extend(((app1.len() + 2) as u16).to_be_bytes());
    out.extend(app1);
    out.extend(&jpeg[2..]);
    out
}

/// `POST …/steps/{n}/photos` with `bytes` as the `photo` part named `name`.
pub async fn upload(
    app: &axum::Router,
    token: &str,
    detail: &Value,
    n: usize,
    name: &str,
    bytes: &[u8],
) -> Reply {
    let boundary = "rpma-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"{name}\"\r\nContent-Type: image/jpeg\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let uri = path(detail, &format!("/steps/{}/photos", step(detail, n)));
    let request = Request::post(uri)
        .header("authorization", format!("Bearer {token}"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    send(app, request).await
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn a_photo_is_stored_without_its_exif_and_counts_toward_the_steps_minimum() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, token) = (&w.app.router, w.technician.token.as_str());
    let id = task_for_technician(&w, &["hood"]).await;
    let detail = start_with(
        app,
        token,
        &id,
        json!({ "photo_minimums": { "inspection": 1 } }),
    )
    .await
    .assert_ok(StatusCode::CREATED);
    advance(app, token, &detail, 1, json!({}))
        .await
        .assert_error(StatusCode::CONFLICT, "INTERVENTION_INVALID_STATE");

    let original = jpeg_with_gps(640, 480);
    assert!(contains(&original, b"Exif\0\0"));
    let photo = upload(app, token, &detail, 1, "hood.jpg", &original)
        .await
        .assert_ok(StatusCode::CREATED);
    assert_eq!(photo["content_type"], "image/jpeg");
    assert_eq!(
        (photo["width"].as_i64(), photo["height"].as_i64()),
        (Some(640), Some(480))
    );
    assert_eq!(photo["file_name"], "hood.jpg");

    // The stored file is a JPEG without an EXIF block (so without its GPS tag).
    let photo_uri = path(
        &detail,
        &format!("/photos/{}", photo["id"].as_str().unwrap()),
    );
    let stored = call(app, "GET", &photo_uri, Some(token), None).await;
    assert_eq!(stored.status, StatusCode::OK);
    assert_eq!(stored.header("content-type"), Some("image/jpeg"));
    assert_eq!(&stored.body[..2], &[0xFF, 0xD8]);
    assert!(!contains(&stored.body, b"Exif"), "EXIF kept");
    assert!(!contains(&stored.body, &[0x25, 0x88]), "GPS pointer kept");
    let thumb = call(
        app,
        "GET",
        &format!("{photo_uri}?size=thumb"),
        Some(token),
        None,
    )
    .await;
    assert_eq!(thumb.status, StatusCode::OK);
    let small = image::load_from_memory(&thumb.body).unwrap();
    assert!(
        small.width() <= 320 && small.height() <= 320,
        "{}x{}",
        small.width(),
        small.height()
    );

    let listed = call(
        app,
        "GET",
        &path(&detail, &format!("/steps/{}/photos", step(&detail, 1))),
        Some(token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let detail = advance(app, token, &detail, 1, json!({}))
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(detail["steps"][0]["photo_count"], 1);
    assert_eq!(detail["steps"][0]["step_status"], "completed");
}

#[tokio::test]
async fn a_file_named_jpg_that_is_not_an_image_is_refused_and_the_limit_holds() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, token) = (&w.app.router, w.technician.token.as_str());
    let id = task_for_technician(&w, &["hood"]).await;
    let detail = crate::start(app, token, &id).await;

    for spoof in [
        &b"<$1php system($_GET['c']); $2>"[..],
        b"\xFF\xD8\xFF\xE0 not really a jpeg",
        b"",
    ] {
        let error = upload(app, token, &detail, 1, "photo.jpg", spoof)
            .await
            .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert!(error["details"].get("photo").is_some(), "{error}");
    }
    let uri = path(&detail, &format!("/steps/{}/photos", step(&detail, 1)));
    call(
        app,
        "POST",
        &uri,
        Some(token),
        Some(json!({ "photo": "x" })),
    )
    .await
    .assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE");
    let none = call(app, "GET", &uri, Some(token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(none, json!([]), "nothing stored");
    let files = std::fs::read_dir(w.app.dir.path().join("photos"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(files, 0, "no file left behind");

    // The inspection takes 10 photos; the 11th is refused until one is deleted.
    let picture = jpeg_with_gps(32, 24);
    let mut last = Value::Null;
    for _ in 0..10 {
        last = upload(app, token, &detail, 1, "p.jpg", &picture)
            .await
            .assert_ok(StatusCode::CREATED);
    }
    upload(app, token, &detail, 1, "p.jpg", &picture)
        .await
        .assert_error(StatusCode::CONFLICT, "INTERVENTION_INVALID_STATE");
    let gone = path(
        &detail,
        &format!("/photos/{}", last["id"].as_str().unwrap()),
    );
    call(app, "DELETE", &gone, Some(token), None)
        .await
        .assert_ok(StatusCode::OK);
    call(app, "GET", &gone, Some(token), None)
        .await
        .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
    let after = call(app, "GET", &path(&detail, ""), Some(token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(after["steps"][0]["photo_count"], 9);
    upload(app, token, &detail, 1, "p.jpg", &picture)
        .await
        .assert_ok(StatusCode::CREATED);
    // Another technician sees none of it.
    let other = crate::common::user(app, &w.admin, "tech2", "technician").await;
    call(app, "GET", &uri, Some(&other.token), None)
        .await
        .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
}
