//! Demo data for `rpma-seed` and the benchmark: technicians, clients and tasks written straight
//! to the database, with the invariants the API keeps everywhere else.
//!
//! - tasks are written by the store's own insert, and their numbers reserved by its allocation
//!   ([`crate::tasks::store::allocate_numbers`]), a day's block at a time;
//! - a technician never has two open tasks whose slots overlap: each technician's day is a grid
//!   of half-hour cells and an open task only takes free cells;
//! - the clients' counters are left to the `tasks` triggers.
//!
//! Everything is written in one `BEGIN IMMEDIATE` transaction with multi-row inserts: a failed
//! run leaves the database as it was, and 100,000 tasks take seconds, not minutes.

mod details;
mod people;
mod plan;
mod words;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::{AnyConnection, AnyPool, Connection};

use crate::db::Sql;
use uuid::Uuid;

use crate::auth::{Role, password};
use crate::tasks::Task;
use crate::tasks::store;
use crate::validate;
use people::{Client, Technician};
use plan::Plan;

/// Seed of the random generator when none is given.
pub const DEFAULT_SEED: u64 = 20_261_122;
/// Rows per `INSERT`: 500 tasks × 32 columns stays under SQLite's 32,766 bound parameters.
const BATCH: usize = 500;

/// What to create.
#[derive(Debug, Clone, clap::Args)]
pub struct Options {
    /// Clients to create.
    #[arg(long, default_value_t = 5000)]
    pub clients: usize,
    /// Tasks to create, scheduled over about two years around today.
    #[arg(long, default_value_t = 100_000)]
    pub tasks: usize,
    /// Technician accounts to create.
    #[arg(long, default_value_t = 20)]
    pub technicians: usize,
    /// Password of the technician accounts; when absent, a random one is generated and printed.
    #[arg(long, env = "RPMA_SEED_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
    /// Seed of the random generator: on an empty database, a seed always gives the same data
    /// (relative to today).
    #[arg(long, default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// Add demo data even though the database already has tasks.
    #[arg(long)]
    pub force: bool,
}

/// What a run created.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Technician accounts.
    pub technicians: usize,
    /// Clients.
    pub clients: usize,
    /// Tasks.
    pub tasks: usize,
    /// `task_history` rows.
    pub history: usize,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// The technicians' emails, in creation order.
    pub technician_emails: Vec<String>,
    /// The technicians' password when it was generated rather than given.
    pub generated_password: Option<String>,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "seeded {} technicians, {} clients, {} tasks and {} history rows in {:.1} s",
            self.technicians,
            self.clients,
            self.tasks,
            self.history,
            self.elapsed.as_secs_f64()
        )
    }
}

/// Why seeding stopped; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The database has tasks and `force` was not given.
    #[error("the database already has {0} tasks; pass --force to add demo data anyway")]
    NotEmpty(i64),
    /// The given password would not be accepted by the API.
    #[error("the password {0}")]
    WeakPassword(String),
    /// Hashing the password failed.
    #[error("cannot hash the password: {0}")]
    Hash(#[source] crate::Error),
    /// The database refused a statement.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The task store refused the demo tasks.
    #[error("cannot write the demo tasks: {0}")]
    Store(#[from] crate::Error),
}

/// Fill the database with demo data, in one transaction; refuses a database that has tasks
/// unless `options.force`.
pub async fn seed(db: &AnyPool, options: &Options) -> Result<Summary, SeedError> {
    let began = Instant::now();
    let (password, generated_password) = match &options.password {
        Some(given) => {
            validate::password(given).map_err(SeedError::WeakPassword)?;
            (given.clone(), None)
        }
        None => {
            let fresh = random_password();
            (fresh.clone(), Some(fresh))
        }
    };
    // One hash for every technician: Argon2id is slow on purpose.
    let hash = password::hash(password).await.map_err(SeedError::Hash)?;

    // The indexes of 100,000 tasks outgrow SQLite's default 2 MB page cache many times over;
    // a bigger cache for this connection, for this run only, makes the write about 40% faster.
    let mut conn = db.acquire().await?;
    let cache: i64 = sqlx::query_scalar("PRAGMA cache_size")
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "PRAGMA cache_size = -{BULK_CACHE_KIB}"
    )))
    .execute(&mut *conn)
    .await?;
    let written = write(&mut conn, options, &hash).await;
    sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA cache_size = {cache}")))
        .execute(&mut *conn)
        .await?;
    let (technicians, clients, tasks) = written?;
    Ok(Summary {
        technicians: technicians.len(),
        clients,
        tasks,
        history: tasks,
        elapsed: began.elapsed(),
        technician_emails: technicians.into_iter().map(|t| t.email).collect(),
        generated_password,
    })
}

/// Page cache of the seeding connection, in KiB.
const BULK_CACHE_KIB: i64 = 128 * 1024;

/// Generate and insert everything in one `BEGIN IMMEDIATE` transaction; returns the
/// technicians and the numbers of clients and tasks.
async fn write(
    conn: &mut AnyConnection,
    options: &Options,
    hash: &str,
) -> Result<(Vec<Technician>, usize, usize), SeedError> {
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let (had_tasks, had_clients, had_users): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM tasks), (SELECT count(*) FROM clients), \
           (SELECT count(*) FROM users)",
    )
    .fetch_one(&mut *tx)
    .await?;
    if had_tasks > 0 && !options.force {
        return Err(SeedError::NotEmpty(had_tasks));
    }

    // A seed gives the same data on the same database: an empty one uses the seed as is, a
    // forced run on a filled one mixes in what is there, so its ids differ from the first run's.
    let existing = [had_tasks, had_clients, had_users]
        .into_iter()
        .zip([
            0x9E37_79B9_7F4A_7C15_u64,
            0xC2B2_AE3D_27D4_EB4F,
            0x1656_67B1_9E37_79F9,
        ])
        .fold(0, |mix, (count, odd)| {
            mix ^ (count as u64).wrapping_mul(odd)
        });
    let mut rng = StdRng::seed_from_u64(options.seed ^ existing);
    let now = Utc::now();
    let taken: Vec<(String, String)> =
        sqlx::query_as("SELECT lower(username), email FROM users WHERE deleted_at IS NULL")
            .fetch_all(&mut *tx)
            .await?;
    let technicians = people::technicians(&mut rng, options.technicians, taken, now);
    let mut clients = people::clients(&mut rng, options.clients, now);
    let mut plans = plan::plan(&mut rng, options, &technicians, clients.len(), now);
    // A client exists before its first task.
    for task in &plans {
        if let Some(client) = task.client.and_then(|c| clients.get_mut(c)) {
            client.created_at = client.created_at.min(task.created_at - HOUR_MS);
        }
    }

    insert_technicians(&mut tx, &technicians, hash).await?;
    insert_clients(&mut tx, &clients).await?;
    number(&mut tx, &mut plans).await?;
    for batch in plans.chunks(BATCH) {
        let rows: Vec<Task> = batch
            .iter()
            .map(|task| details::details(&mut rng, task, &clients, &technicians, now))
            .collect();
        store::insert(&mut tx, &rows, None).await?;
    }
    tx.commit().await?;
    Ok((technicians, clients.len(), plans.len()))
}

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// 16 letters and digits with at least one upper, one lower and one digit, from the OS's
/// generator (not the seeded one: a known seed must not give a known password).
fn random_password() -> String {
    let mut rng = rand::rng();
    loop {
        let candidate: String = (&mut rng)
            .sample_iter(rand::distr::Alphanumeric)
            .take(16)
            .map(char::from)
            .collect();
        if validate::password(&candidate).is_ok() {
            return candidate;
        }
    }
}

/// A random item of a non-empty list.
fn one<T: Copy>(rng: &mut StdRng, list: &[T]) -> T {
    list[rng.random_range(0..list.len())]
}

/// An item drawn by weight from a non-empty table.
fn weighted<T: Copy>(rng: &mut StdRng, table: &[(T, u32)]) -> T {
    let total: u32 = table.iter().map(|&(_, w)| w).sum();
    let mut roll = rng.random_range(0..total.max(1));
    for &(item, weight) in table {
        if roll < weight {
            return item;
        }
        roll -= weight;
    }
    table[table.len() - 1].0
}

/// A v4 UUID from the seeded generator, so a seed gives the same ids.
fn uuid(rng: &mut StdRng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.random()).into_uuid()
}

/// Lowercase ASCII letters and digits of a name (`Hélène` → `helene`), for emails and handles.
fn slug(name: &str) -> String {
    name.chars()
        .filter_map(|c| {
            let c = match c {
                'à' | 'â' | 'ä' | 'À' | 'Â' => 'a',
                'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' => 'e',
                'î' | 'ï' | 'Î' => 'i',
                'ô' | 'ö' | 'Ô' => 'o',
                'ù' | 'û' | 'ü' => 'u',
                'ç' | 'Ç' => 'c',
                c => c,
            };
            c.is_ascii_alphanumeric().then(|| c.to_ascii_lowercase())
        })
        .collect()
}

/// A French mobile number (`06 12 34 56 78`).
fn phone(rng: &mut StdRng) -> String {
    let pairs: Vec<String> = (0..4)
        .map(|_| format!("{:02}", rng.random_range(0..100)))
        .collect();
    format!("0{} {}", one(rng, &[6, 7]), pairs.join(" "))
}

fn ms(date: NaiveDate, minutes: u32) -> i64 {
    date.and_hms_opt(minutes / 60, minutes % 60, 0)
        .map(|t| t.and_utc().timestamp_millis())
        .unwrap_or_default()
}

/// Give each planned task its `YYYYMMDD-NNN` number in creation order: each day's block is
/// reserved at once through the store's allocation, so the counter ends at the highest number
/// used and an existing day carries on from its count.
async fn number(conn: &mut AnyConnection, plans: &mut [Plan]) -> Result<(), SeedError> {
    plans.sort_by_key(|p| p.created_at);
    let mut days: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, plan) in plans.iter().enumerate() {
        let day = DateTime::from_timestamp_millis(plan.created_at)
            .unwrap_or_default()
            .format("%Y%m%d")
            .to_string();
        days.entry(day).or_default().push(index);
    }
    for (day, indexes) in days {
        let first = store::allocate_numbers(conn, &day, indexes.len() as i64).await?;
        for (n, index) in (first..).zip(indexes) {
            plans[index].number = store::number(&day, n);
        }
    }
    Ok(())
}

async fn insert_technicians(
    conn: &mut AnyConnection,
    technicians: &[Technician],
    hash: &str,
) -> Result<(), sqlx::Error> {
    for batch in technicians.chunks(BATCH) {
        let mut q = Sql::new(
            "INSERT INTO users (id, email, username, first_name, last_name, role, phone, \
             password_hash, created_at, updated_at) ",
        );
        q.push_values(batch, |mut row, t| {
            row.push_bind(t.id.hyphenated().to_string())
                .push_bind(t.email.clone())
                .push_bind(t.username.clone())
                .push_bind(t.first_name)
                .push_bind(t.last_name)
                .push_bind(Role::Technician)
                .push_bind(t.phone.clone())
                .push_bind(hash.to_owned())
                .push_bind(t.created_at)
                .push_bind(t.created_at);
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

async fn insert_clients(conn: &mut AnyConnection, clients: &[Client]) -> Result<(), sqlx::Error> {
    for batch in clients.chunks(BATCH) {
        let mut q = Sql::new(
            "INSERT INTO clients (id, name, email, phone, customer_type, address_street, address_city, \
             address_state, address_zip, address_country, tax_id, company_name, contact_person, notes, \
             tags, created_at, updated_at) ",
        );
        q.push_values(batch, |mut row, c| {
            let (city, zip, region) = c.town;
            row.push_bind(c.id.hyphenated().to_string())
                .push_bind(c.name.clone())
                .push_bind(c.email.clone())
                .push_bind(c.phone.clone())
                .push_bind(c.kind)
                .push_bind(c.street.clone())
                .push_bind(city)
                .push_bind(region)
                .push_bind(zip)
                .push_bind("France")
                .push_bind(c.tax_id.clone())
                .push_bind(c.company.clone())
                .push_bind(c.contact.clone())
                .push_bind(c.notes)
                .push_bind(c.tags.clone())
                .push_bind(c.created_at)
                .push_bind(c.created_at);
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}
