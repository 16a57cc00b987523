//! The demo seeder: valid rows that keep the API's invariants (numbers, counters, bookings),
//! readable through the API; a database with tasks is refused unless forced.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::process::Command;

use axum::http::StatusCode;
use chrono::{TimeDelta, Utc};
use common::call;
use rpma_sidecar::seed::{self, Options, SeedError};
use rpma_sidecar::tasks::TaskStatus;
use sqlx::AnyPool;

const TECH_PASSWORD: &str = "Tech12345";

fn small() -> Options {
    Options {
        clients: 50,
        tasks: 500,
        technicians: 5,
        password: Some(TECH_PASSWORD.into()),
        seed: 7,
        force: false,
    }
}

async fn scalar(pool: &AnyPool, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Open: what a technician's booking check looks at.
const OPEN: &str = "('completed', 'cancelled', 'archived', 'failed', 'invalid')";

/// The invariants the API relies on, checked in SQL over the whole database.
async fn assert_invariants(pool: &AnyPool) {
    let tasks = scalar(pool, "SELECT count(*) FROM tasks").await;

    // Numbers: unique, `YYYYMMDD-NNN` of the creation day, and the day's counter ends at the
    // highest number with no gaps below it.
    assert_eq!(
        scalar(pool, "SELECT count(DISTINCT task_number) FROM tasks").await,
        tasks
    );
    assert_eq!(
        scalar(
            pool,
            "SELECT count(*) FROM tasks WHERE task_number NOT GLOB \
             '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9]' \
             OR substr(task_number, 1, 8) <> strftime('%Y%m%d', created_at / 1000, 'unixepoch')"
        )
        .await,
        0,
        "numbers are YYYYMMDD-NNN of the creation day"
    );
    assert_eq!(
        scalar(
            pool,
            "SELECT count(*) FROM (SELECT substr(task_number, 1, 8) AS day, \
               max(CAST(substr(task_number, 10) AS INTEGER)) AS top, count(*) AS n \
             FROM tasks GROUP BY day) d \
             LEFT JOIN task_number_counters c ON c.day = d.day \
             WHERE c.last IS NOT d.top OR d.n <> d.top"
        )
        .await,
        0,
        "each day's counter is its highest number, and numbers run 1..=last"
    );
    assert_eq!(
        scalar(
            pool,
            "SELECT count(*) FROM task_number_counters c \
             WHERE NOT EXISTS (SELECT 1 FROM tasks WHERE substr(task_number, 1, 8) = c.day)"
        )
        .await,
        0,
        "no counter without tasks"
    );

    // Client counters equal a recomputation from the live tasks.
    let stale = format!(
        "SELECT count(*) FROM clients c WHERE \
           total_tasks <> (SELECT count(*) FROM tasks t WHERE t.client_id = c.id AND t.deleted_at IS NULL) \
           OR active_tasks <> (SELECT count(*) FROM tasks t WHERE t.client_id = c.id AND t.deleted_at IS NULL AND t.status NOT IN {OPEN}) \
           OR completed_tasks <> (SELECT count(*) FROM tasks t WHERE t.client_id = c.id AND t.deleted_at IS NULL AND t.status IN ('completed', 'archived')) \
           OR last_task_date IS NOT (SELECT max(t.scheduled_date) FROM tasks t WHERE t.client_id = c.id AND t.deleted_at IS NULL)"
    );
    assert_eq!(scalar(pool, &stale).await, 0, "client counters");

    // No technician has two open tasks whose slots overlap.
    let overlaps = format!(
        "SELECT count(*) FROM tasks a JOIN tasks b \
           ON a.technician_id = b.technician_id AND a.id < b.id \
         WHERE a.deleted_at IS NULL AND b.deleted_at IS NULL \
           AND a.status NOT IN {OPEN} AND b.status NOT IN {OPEN} \
           AND a.slot_start < b.slot_end AND b.slot_start < a.slot_end"
    );
    assert_eq!(scalar(pool, &overlaps).await, 0, "overlapping open slots");

    // Technicians are technicians; customer fields are the client's.
    assert_eq!(
        scalar(
            pool,
            "SELECT count(*) FROM tasks t JOIN users u ON u.id = t.technician_id \
             WHERE u.role <> 'technician' OR u.is_active <> TRUE"
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            pool,
            "SELECT count(*) FROM tasks t JOIN clients c ON c.id = t.client_id \
             WHERE t.customer_name IS NOT c.name OR t.customer_email IS NOT c.email \
               OR t.customer_phone IS NOT c.phone"
        )
        .await,
        0,
        "customer fields copied from the client"
    );

    // Statuses are the API's, with a realistic mix.
    let statuses: Vec<String> = sqlx::query_scalar("SELECT DISTINCT status FROM tasks")
        .fetch_all(pool)
        .await
        .unwrap();
    for status in &statuses {
        status.parse::<TaskStatus>().unwrap();
    }
    assert!(statuses.len() >= 8, "{statuses:?}");
    let completed = scalar(
        pool,
        "SELECT count(*) FROM tasks WHERE status IN ('completed', 'archived')",
    )
    .await;
    assert!(completed * 2 > tasks, "mostly done: {completed} of {tasks}");
    assert_eq!(
        scalar(
            pool,
            "SELECT count(*) FROM tasks WHERE status IN ('completed', 'archived') \
             AND (actual_duration IS NULL OR technician_id IS NULL OR completed_at IS NULL)"
        )
        .await,
        0,
        "completed work has a technician and a duration"
    );
    assert_eq!(
        scalar(
            pool,
            "SELECT count(*) FROM tasks WHERE status IN ('pending', 'scheduled', 'assigned') \
             AND scheduled_date < date('now')"
        )
        .await,
        0,
        "nothing planned in the past"
    );

    // Times are consistent and never in the future.
    let now = Utc::now().timestamp_millis();
    let wrong_times = format!(
        "SELECT count(*) FROM tasks WHERE created_at > {now} OR updated_at < created_at \
           OR started_at < created_at OR completed_at < started_at OR assigned_at < created_at \
           OR updated_at > {now} OR started_at > {now} OR completed_at > {now}"
    );
    assert_eq!(scalar(pool, &wrong_times).await, 0);
    let today = Utc::now().date_naive();
    let (first, last): (String, String) =
        sqlx::query_as("SELECT min(scheduled_date), max(scheduled_date) FROM tasks")
            .fetch_one(pool)
            .await
            .unwrap();
    assert!(
        first >= (today - TimeDelta::days(560)).to_string(),
        "{first}"
    );
    assert!(last <= (today + TimeDelta::days(190)).to_string(), "{last}");

    // One `created` history row per task.
    assert_eq!(
        scalar(
            pool,
            "SELECT count(*) FROM tasks t WHERE \
             (SELECT count(*) FROM task_history h WHERE h.task_id = t.id AND h.event = 'created' \
                AND h.new_status = t.status AND h.changed_at = t.created_at) <> 1"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn seeds_valid_rows_the_api_reads() {
    let (pool, _db) = common::database().await;
    let summary = seed::seed(&pool, &small()).await.unwrap();
    assert_eq!(
        (
            summary.technicians,
            summary.clients,
            summary.tasks,
            summary.history
        ),
        (5, 50, 500, 500)
    );
    assert_eq!(summary.generated_password, None, "the password was given");
    assert!(
        summary
            .to_string()
            .starts_with("seeded 5 technicians, 50 clients, 500 tasks and 500 history rows in ")
    );
    assert_eq!(
        scalar(
            &pool,
            "SELECT count(*) FROM users WHERE role = 'technician' AND is_active = TRUE"
        )
        .await,
        5
    );
    assert_eq!(scalar(&pool, "SELECT count(*) FROM clients").await, 50);
    assert_eq!(
        scalar(
            &pool,
            "SELECT count(*) FROM clients WHERE customer_type = 'business'"
        )
        .await,
        scalar(
            &pool,
            "SELECT count(*) FROM clients WHERE company_name IS NOT NULL"
        )
        .await
    );
    assert_eq!(scalar(&pool, "SELECT count(*) FROM tasks").await, 500);
    let with_client = scalar(
        &pool,
        "SELECT count(*) FROM tasks WHERE client_id IS NOT NULL",
    )
    .await;
    assert!((400..=490).contains(&with_client), "{with_client}");
    assert_invariants(&pool).await;

    // The API reads it: an admin's list and stats, a technician signing in with the password.
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let page = call(
        &app,
        "GET",
        "/api/v1/tasks?limit=5",
        Some(&admin.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(page["total"], 500);
    assert_eq!(page["items"].as_array().map(Vec::len), Some(5));
    let stats = call(&app, "GET", "/api/v1/tasks/stats", Some(&admin.token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(stats["total"], 500);

    let email = &summary.technician_emails[0];
    let tech = common::login(&app, email, TECH_PASSWORD).await;
    let own = scalar(
        &pool,
        &format!(
            "SELECT count(*) FROM tasks WHERE technician_id = '{}'",
            tech.id
        ),
    )
    .await;
    assert!(own > 0);
    let mine = call(&app, "GET", "/api/v1/tasks", Some(&tech.token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(mine["total"], own);

    // The API's own booking check agrees: an open task's technician is busy in its slot.
    let task: (String, String, String, Option<String>, Option<String>) = sqlx::query_as(
        "SELECT id, technician_id, scheduled_date, start_time, end_time FROM tasks \
         WHERE technician_id IS NOT NULL AND status IN ('assigned', 'in_progress') LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let mut same_slot = common::TaskBuilder::new()
        .plate("AA-001-AA")
        .on(&task.2)
        .technician(&task.1);
    if let (Some(start), Some(end)) = (&task.3, &task.4) {
        same_slot = same_slot.at(start, end);
    }
    let error = same_slot
        .post(&app, &admin.token)
        .await
        .assert_error(StatusCode::CONFLICT, "CONFLICT");
    assert_eq!(error["details"]["conflicts"][0]["id"], task.0);
}

#[tokio::test]
async fn refuses_a_database_with_tasks_unless_forced() {
    let (pool, _db) = common::database().await;
    seed::seed(&pool, &small()).await.unwrap();

    let error = seed::seed(&pool, &small()).await.expect_err("must refuse");
    assert!(matches!(error, SeedError::NotEmpty(500)), "{error:?}");
    assert!(error.to_string().contains("--force"), "{error}");
    assert_eq!(scalar(&pool, "SELECT count(*) FROM tasks").await, 500);
    assert_eq!(scalar(&pool, "SELECT count(*) FROM users").await, 5);

    // Forced, the same seed adds to it: new accounts, numbers that carry on from the counters.
    let forced = Options {
        force: true,
        password: None,
        ..small()
    };
    let summary = seed::seed(&pool, &forced).await.unwrap();
    let password = summary.generated_password.expect("generated");
    assert!(rpma_sidecar::validate::password(&password).is_ok());
    assert_eq!(scalar(&pool, "SELECT count(*) FROM tasks").await, 1000);
    assert_eq!(scalar(&pool, "SELECT count(*) FROM users").await, 10);
    assert_eq!(
        scalar(&pool, "SELECT count(DISTINCT username) FROM users").await,
        10
    );
    assert_invariants(&pool).await;
}

#[tokio::test]
async fn the_command_seeds_a_data_dir_once() {
    let (_, dir) = common::config();
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_rpma-seed"))
            .args(["--clients", "20", "--tasks", "200", "--technicians", "3"])
            .arg("--data-dir")
            .arg(dir.path())
            .env_remove("RPMA_DATABASE_URL")
            .output()
            .unwrap()
    };
    let first = run();
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(first.status.success(), "{first:?}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[0].starts_with("seeded 3 technicians, 20 clients, 200 tasks"),
        "{stdout}"
    );
    assert!(lines[1].starts_with("technician password: "), "{stdout}");
    assert!(dir.path().join("rpma.db").is_file());

    let second = run();
    assert_eq!(second.status.code(), Some(1), "{second:?}");
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("already has 200 tasks") && stderr.contains("--force"),
        "{stderr}"
    );
}
