//! Test databases on a PostgreSQL server: each test gets a database of its own, copied from a
//! template that one test process migrates for everyone (the suite's processes run at once, so
//! they take turns through an advisory lock to make it).

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};

/// The template's name: it changes with the migrations, so a server kept between runs never
/// hands out a schema older than the code.
fn template() -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for migration in rpma_sidecar::POSTGRES_MIGRATOR.iter() {
        for byte in migration.checksum.iter() {
            hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("rpma_template_{hash:016x}")
}

/// `server` with `database` as its database.
fn url_of(server: &str, database: &str) -> String {
    let mut url: url::Url = server.parse().expect("a PostgreSQL URL");
    url.set_path(database);
    url.to_string()
}

/// A new database copied from the migrated template.
pub async fn database(server: &str) -> AnyPool {
    sqlx::any::install_default_drivers();
    let admin = AnyPoolOptions::new()
        .max_connections(1)
        .connect(server)
        .await
        .expect("the test PostgreSQL server");
    let template = template();
    let mut conn = admin.acquire().await.expect("admin connection");
    conn.execute("SELECT 1 FROM (SELECT pg_advisory_lock(5250)) AS locked")
        .await
        .expect("template lock");
    let exists: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_database WHERE datname = $1")
        .bind(&template)
        .fetch_one(&mut *conn)
        .await
        .expect("template lookup");
    if exists == 0 {
        let building = format!("{template}_building");
        conn.execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {building}"
        )))
        .await
        .expect("drop a half-built template");
        conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {building}")))
            .await
            .expect("create the template");
        let pool = AnyPoolOptions::new()
            .max_connections(1)
            .connect(&url_of(server, &building))
            .await
            .expect("template connection");
        rpma_sidecar::POSTGRES_MIGRATOR
            .run(&pool)
            .await
            .expect("migrate the template");
        pool.close().await;
        conn.execute(sqlx::AssertSqlSafe(format!(
            "ALTER DATABASE {building} RENAME TO {template}"
        )))
        .await
        .expect("name the template");
    }
    // Databases of runs more than an hour old go (a run's tests are over long before): a
    // server kept between runs does not fill its disk.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let old: Vec<String> = sqlx::query_scalar(
        "SELECT datname::text FROM pg_database WHERE datname LIKE 'rpma\\_test\\_%'",
    )
    .fetch_all(&mut *conn)
    .await
    .expect("list test databases");
    for name in old {
        let made = name.split('_').nth(2).and_then(|s| s.parse::<u64>().ok());
        if made.is_some_and(|made| made + 3600 < now) {
            let _ = conn
                .execute(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .await;
        }
    }
    let name = format!("rpma_test_{now}_{}", uuid::Uuid::new_v4().simple());
    conn.execute(sqlx::AssertSqlSafe(format!(
        "CREATE DATABASE {name} TEMPLATE {template}"
    )))
    .await
    .expect("create the test database");
    conn.execute("SELECT 1 FROM (SELECT pg_advisory_unlock(5250)) AS unlocked")
        .await
        .expect("template unlock");
    drop(conn);
    admin.close().await;
    AnyPoolOptions::new()
        .max_connections(4)
        .connect(&url_of(server, &name))
        .await
        .expect("test database")
}
