//! The ledger: each move is a row with the stock before and after, a move past zero is refused
//! and writes nothing, rows cannot be edited, and — for many random sequences of moves and
//! consumptions — every material's stock is the sum of its ledger and never went negative.

use axum::http::StatusCode;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

use crate::common::{Workshop, id};
use crate::{consume, intervention, ledger_of, material, move_stock};

#[tokio::test]
async fn each_move_writes_a_row_with_the_stock_before_and_after() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, token) = (&w.app.router, w.technician.token.as_str());
    let film = material(app, token, json!({ "initial_stock": 10 })).await;
    let film_id = id(&film);
    let moves = [
        (
            json!({ "transaction_type": "stock_in", "quantity": 2.25, "reference_number": "BL-778" }),
            12.25,
        ),
        (
            json!({ "transaction_type": "stock_out", "quantity": 4 }),
            8.25,
        ),
        (
            json!({ "transaction_type": "waste", "quantity": 0.25, "notes": "Creased on the roll" }),
            8.0,
        ),
        (json!({ "transaction_type": "return", "quantity": 1 }), 9.0),
        (
            json!({ "transaction_type": "adjustment", "quantity": 8.5, "notes": "Counted" }),
            8.5,
        ),
        (
            json!({ "transaction_type": "transfer", "quantity": 0, "to_location": "Shelf B" }),
            8.5,
        ),
    ];
    for (body, after) in moves {
        let moved = move_stock(app, token, &film_id, body.clone())
            .await
            .assert_ok(StatusCode::CREATED);
        assert_eq!(moved["material"]["current_stock"], after, "{body}");
        assert_eq!(moved["transaction"]["new_stock"], after, "{body}");
        assert_eq!(
            moved["transaction"]["transaction_type"],
            body["transaction_type"]
        );
    }
    let rows = ledger_of(app, token, &film_id).await;
    assert_eq!(rows.len(), 7);
    assert_eq!(rows[0]["transaction_type"], "transfer");
    assert_eq!(rows[0]["reference_type"], "transfer");
    assert_eq!(rows[1]["notes"], "Counted");
    assert_eq!(rows[5]["reference_number"], "BL-778");
    // Newest first, and each row starts where the one before it ended.
    for pair in rows.windows(2) {
        assert_eq!(pair[0]["previous_stock"], pair[1]["new_stock"]);
    }
    let film = crate::common::call(
        app,
        "GET",
        &format!("/api/v1/materials/{film_id}"),
        Some(token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(film["storage_location"], "Shelf B");
}

#[tokio::test]
async fn a_move_past_zero_is_refused_and_the_ledger_cannot_be_edited() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, token) = (&w.app.router, w.technician.token.as_str());
    let film = material(app, token, json!({ "initial_stock": 3 })).await;
    let error = move_stock(
        app,
        token,
        &id(&film),
        json!({ "transaction_type": "stock_out", "quantity": 3.5 }),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "CONFLICT");
    assert_eq!(error["details"]["current_stock"], 3.0);
    assert_eq!(error["details"]["requested"], 3.5);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("3 meter in stock"),
        "{error}"
    );
    // Bad moves name their field.
    for (body, field) in [
        (
            json!({ "transaction_type": "stock_out", "quantity": 0 }),
            "quantity",
        ),
        (
            json!({ "transaction_type": "stock_in", "quantity": 1.0001 }),
            "quantity",
        ),
        (
            json!({ "transaction_type": "adjustment", "quantity": 1 }),
            "notes",
        ),
        (
            json!({ "transaction_type": "transfer", "quantity": 0 }),
            "to_location",
        ),
        (
            json!({ "transaction_type": "stock_in", "quantity": 1, "to_location": "B" }),
            "to_location",
        ),
    ] {
        let error = move_stock(app, token, &id(&film), body.clone())
            .await
            .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert!(error["details"].get(field).is_some(), "{body}: {error}");
    }
    assert_eq!(ledger_of(app, token, &id(&film)).await.len(), 1);

    // Append-only, whoever writes: the database itself refuses an edit or a delete.
    let writer = &w.app.state.writer;
    for sql in [
        "UPDATE inventory_transactions SET quantity = 99",
        "DELETE FROM inventory_transactions",
    ] {
        let error = sqlx::query(sql).execute(writer).await.unwrap_err();
        assert!(error.to_string().contains("append-only"), "{error}");
    }
    let stock: f64 = sqlx::query_scalar("SELECT current_stock FROM materials")
        .fetch_one(writer)
        .await
        .unwrap();
    assert_eq!(stock, 3.0);
    let negative = sqlx::query("UPDATE materials SET current_stock = -1")
        .execute(writer)
        .await;
    assert!(
        negative.is_err(),
        "the CHECK keeps the stock at or above zero"
    );
}

/// What the test expects of a material: its stock in thousandths.
fn apply_model(stock: i64, kind: &str, milli: i64) -> Option<i64> {
    let after = match kind {
        "stock_in" | "return" => stock + milli,
        "stock_out" | "waste" => stock - milli,
        "adjustment" => milli,
        _ => stock,
    };
    (after >= 0).then_some(after)
}

#[tokio::test]
async fn after_random_moves_and_consumptions_each_stock_is_the_sum_of_its_ledger() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, token) = (&w.app.router, w.technician.token.as_str());
    let job = intervention(&w).await;
    let kinds = [
        "stock_in",
        "stock_out",
        "adjustment",
        "waste",
        "return",
        "consume",
    ];
    // 40 seeds × 3 materials × 12 operations; a failure names its seed.
    for seed in 0..40_u64 {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut materials: Vec<(String, i64)> = Vec::new();
        for n in 0..3 {
            let start = rng.random_range(0..5_000_i64);
            let body =
                json!({ "sku": format!("S{seed}-{n}"), "initial_stock": start as f64 / 1000.0 });
            materials.push((id(&material(app, token, body).await), start));
        }
        for _ in 0..12 {
            let which = rng.random_range(0..materials.len());
            let kind = kinds[rng.random_range(0..kinds.len())];
            let milli = rng.random_range(1..3_000_i64);
            let quantity = milli as f64 / 1000.0;
            let (material_id, stock) = materials[which].clone();
            let (reply, expected) = if kind == "consume" {
                let waste = rng.random_range(0..2_i64) * 250;
                let body = json!({ "material_id": material_id, "quantity_used": quantity, "waste_quantity": waste as f64 / 1000.0, "waste_reason": "offcut" });
                (
                    consume(app, token, &job, body).await,
                    (stock - milli - waste >= 0).then_some(stock - milli - waste),
                )
            } else {
                let body: Value =
                    json!({ "transaction_type": kind, "quantity": quantity, "notes": "random" });
                (
                    move_stock(app, token, &material_id, body).await,
                    apply_model(stock, kind, milli),
                )
            };
            match expected {
                Some(after) => {
                    assert_eq!(
                        reply.status,
                        StatusCode::CREATED,
                        "seed {seed}: {kind} {quantity}: {}",
                        reply.json()
                    );
                    materials[which].1 = after;
                }
                None => {
                    reply.assert_error(StatusCode::CONFLICT, "CONFLICT");
                }
            }
        }
        for (material_id, expected) in &materials {
            let rows = ledger_of(app, token, material_id).await;
            let milli = |v: &Value| (v.as_f64().unwrap() * 1000.0).round() as i64;
            let sum: i64 = rows
                .iter()
                .map(|r| milli(&r["new_stock"]) - milli(&r["previous_stock"]))
                .sum();
            assert!(
                rows.iter().all(|r| milli(&r["new_stock"]) >= 0),
                "seed {seed}: a negative stock"
            );
            for pair in rows.windows(2) {
                assert_eq!(
                    pair[0]["previous_stock"], pair[1]["new_stock"],
                    "seed {seed}: the chain breaks"
                );
            }
            let now = crate::common::call(
                app,
                "GET",
                &format!("/api/v1/materials/{material_id}"),
                Some(token),
                None,
            )
            .await
            .assert_ok(StatusCode::OK);
            assert_eq!(
                milli(&now["current_stock"]),
                sum,
                "seed {seed}: stock ≠ Σ ledger"
            );
            assert_eq!(sum, *expected, "seed {seed}: stock ≠ the model's");
        }
    }
}

#[tokio::test]
async fn fifty_parallel_consumptions_against_ten_leave_exactly_zero() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let job = intervention(&w).await;
    let film = material(&w.app, &w.technician.token, json!({ "initial_stock": 10 })).await;
    let mut calls = Vec::new();
    for _ in 0..50 {
        let (app, token, job) = (
            w.app.router.clone(),
            w.technician.token.clone(),
            job.clone(),
        );
        let body = json!({ "material_id": id(&film), "quantity_used": 1 });
        calls.push(tokio::spawn(async move {
            consume(&app, &token, &job, body).await.status
        }));
    }
    let mut statuses = Vec::new();
    for call in calls {
        statuses.push(call.await.unwrap());
    }
    let won = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((won, refused), (10, 40), "{statuses:?}");
    let rows = ledger_of(&w.app, &w.technician.token, &id(&film)).await;
    assert_eq!(rows.len(), 11);
    assert_eq!(rows[0]["new_stock"], 0.0);
    let stock: f64 = sqlx::query_scalar("SELECT current_stock FROM materials")
        .fetch_one(&w.app.state.db)
        .await
        .unwrap();
    assert_eq!(stock, 0.0);
}
