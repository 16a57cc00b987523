//! The list filters shared by the task list, the CSV export and the statistics.

use serde::{Deserialize, Serialize};

use crate::db::Sql;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::list::{self, Piece};
use crate::tasks::model::{Priority, TaskStatus, parse_date};

/// Filters of the task list and the CSV export.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskListQuery {
    /// Statuses, comma-separated (`pending,scheduled`).
    #[param(
        max_length = 500,
        pattern = r"^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(draft|pending|scheduled|assigned|in_progress|paused|on_hold|completed|cancelled|archived|failed|invalid|overdue)?[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(,[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(draft|pending|scheduled|assigned|in_progress|paused|on_hold|completed|cancelled|archived|failed|invalid|overdue)?[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*)*$"
    )]
    pub status: Option<String>,
    /// Priority.
    pub priority: Option<Priority>,
    /// Assigned technician (technicians always see only their own tasks).
    pub technician_id: Option<Uuid>,
    /// Client.
    pub client_id: Option<Uuid>,
    /// Scheduled on or after this date (`YYYY-MM-DD`).
    #[param(format = Date, max_length = 10, pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub from: Option<String>,
    /// Scheduled on or before this date (`YYYY-MM-DD`).
    #[param(format = Date, max_length = 10, pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub to: Option<String>,
    /// Text in the number, title, plate, model or customer name or email.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Order: `-scheduled_date` (default), `scheduled_date`, `created_at`, `-created_at`,
    /// `task_number`, `-task_number`, `priority` (most urgent first), `-priority`.
    #[param(value_type = Option<TaskSort>)]
    pub sort: Option<String>,
    /// Page size (1–500, default 50); not used by the export.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Rows to skip; not used by the export.
    #[param(minimum = 0, maximum = 2147483647)]
    pub offset: Option<u32>,
}

/// Checked filters, ready to become SQL.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    statuses: Vec<TaskStatus>,
    priority: Option<Priority>,
    technician: Option<Uuid>,
    client: Option<Uuid>,
    from: Option<String>,
    to: Option<String>,
    q: Option<String>,
    /// Only this technician's tasks (the caller is that technician).
    scope: Option<Uuid>,
}

/// `from`/`to` as checked dates; each names its own field when wrong.
pub fn date_range(
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(Option<String>, Option<String>)> {
    let check = |field: &str, value: Option<&str>| -> Result<Option<String>> {
        value
            .map(|v| {
                parse_date(v)
                    .map(|d| d.to_string())
                    .map_err(|m| Error::invalid(field, m))
            })
            .transpose()
    };
    let (from, to) = (check("from", from)?, check("to", to)?);
    if let (Some(from), Some(to)) = (&from, &to)
        && from > to
    {
        return Err(Error::invalid("to", "must not be before `from`"));
    }
    Ok((from, to))
}

impl TaskFilter {
    /// Check the query's filters; `scope` limits a technician to their own tasks.
    pub fn new(query: &TaskListQuery, scope: Option<Uuid>) -> Result<Self> {
        let statuses = query
            .status
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<TaskStatus>()
                    .map_err(|m| Error::invalid("status", m))
            })
            .collect::<Result<Vec<_>>>()?;
        // The export takes no page, but a page out of bounds is refused there too.
        crate::list::bounds(query.limit, query.offset)?;
        let (from, to) = date_range(query.from.as_deref(), query.to.as_deref())?;
        Ok(Self {
            statuses,
            priority: query.priority,
            technician: query.technician_id,
            client: query.client_id,
            from,
            to,
            q: query.q.clone(),
            scope,
        })
    }

    /// Only tasks scheduled in `[from, to]`, optionally limited to a technician (stats).
    pub fn range(from: Option<String>, to: Option<String>, scope: Option<Uuid>) -> Self {
        Self {
            from,
            to,
            scope,
            ..Self::default()
        }
    }

    /// ` FROM tasks WHERE ...` with the filters' values, as pieces.
    pub fn pieces(&self) -> Vec<Piece> {
        let mut sql = vec![Piece::Sql(" FROM tasks WHERE deleted_at IS NULL")];
        if !self.statuses.is_empty() {
            sql.push(Piece::Sql(" AND status IN ("));
            for (i, status) in self.statuses.iter().enumerate() {
                if i > 0 {
                    sql.push(Piece::Sql(", "));
                }
                sql.push(Piece::Bind(status.as_str().to_owned()));
            }
            sql.push(Piece::Sql(")"));
        }
        if let Some(priority) = self.priority {
            sql.extend([
                Piece::Sql(" AND priority = "),
                Piece::Bind(priority.as_str().to_owned()),
            ]);
        }
        for technician in [self.scope, self.technician].into_iter().flatten() {
            sql.extend([
                Piece::Sql(" AND technician_id = "),
                Piece::Bind(technician.hyphenated().to_string()),
            ]);
        }
        if let Some(client) = self.client {
            sql.extend([
                Piece::Sql(" AND client_id = "),
                Piece::Bind(client.hyphenated().to_string()),
            ]);
        }
        if let Some(from) = &self.from {
            sql.extend([
                Piece::Sql(" AND scheduled_date >= "),
                Piece::Bind(from.clone()),
            ]);
        }
        if let Some(to) = &self.to {
            sql.extend([
                Piece::Sql(" AND scheduled_date <= "),
                Piece::Bind(to.clone()),
            ]);
        }
        if let Some(text) = &self.q {
            sql.extend(list::search_pieces(
                &[
                    "task_number",
                    "title",
                    "vehicle_plate",
                    "vehicle_model",
                    "customer_name",
                    "customer_email",
                ],
                text,
            ));
        }
        sql
    }

    /// Push ` FROM tasks WHERE ...` with the filters' binds.
    pub fn push(&self, q: &mut Sql) {
        list::push_pieces(q, &self.pieces());
    }
}

/// How the task list and the export are ordered (the `sort` parameter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub enum TaskSort {
    /// Latest day first (the default).
    #[default]
    #[serde(rename = "-scheduled_date")]
    ScheduledDateDesc,
    /// Earliest day first.
    #[serde(rename = "scheduled_date")]
    ScheduledDate,
    /// Oldest first.
    #[serde(rename = "created_at")]
    CreatedAt,
    /// Newest first.
    #[serde(rename = "-created_at")]
    CreatedAtDesc,
    /// By number.
    #[serde(rename = "task_number")]
    TaskNumber,
    /// By number, last first.
    #[serde(rename = "-task_number")]
    TaskNumberDesc,
    /// Most urgent first.
    #[serde(rename = "priority")]
    Priority,
    /// Least urgent first.
    #[serde(rename = "-priority")]
    PriorityDesc,
}

impl TaskSort {
    /// Every order.
    pub const ALL: [Self; 8] = [
        Self::ScheduledDateDesc,
        Self::ScheduledDate,
        Self::CreatedAt,
        Self::CreatedAtDesc,
        Self::TaskNumber,
        Self::TaskNumberDesc,
        Self::Priority,
        Self::PriorityDesc,
    ];

    /// The `sort` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ScheduledDateDesc => "-scheduled_date",
            Self::ScheduledDate => "scheduled_date",
            Self::CreatedAt => "created_at",
            Self::CreatedAtDesc => "-created_at",
            Self::TaskNumber => "task_number",
            Self::TaskNumberDesc => "-task_number",
            Self::Priority => "priority",
            Self::PriorityDesc => "-priority",
        }
    }

    /// The `ORDER BY` clause.
    pub fn order_by(self) -> &'static str {
        match self {
            Self::ScheduledDateDesc => "scheduled_date DESC, start_time DESC, task_number DESC",
            Self::ScheduledDate => "scheduled_date ASC, start_time ASC, task_number ASC",
            Self::CreatedAt => "created_at ASC, task_number ASC",
            Self::CreatedAtDesc => "created_at DESC, task_number DESC",
            Self::TaskNumber => "task_number ASC",
            Self::TaskNumberDesc => "task_number DESC",
            Self::Priority => {
                "CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, \
                 scheduled_date ASC, task_number ASC"
            }
            Self::PriorityDesc => {
                "CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END DESC, \
                 scheduled_date ASC, task_number ASC"
            }
        }
    }
}

/// `ORDER BY` for a `sort` value.
pub fn order_by(sort: Option<&str>) -> Result<&'static str> {
    let Some(sort) = sort else {
        return Ok(TaskSort::default().order_by());
    };
    TaskSort::ALL
        .into_iter()
        .find(|order| order.as_str() == sort)
        .map(TaskSort::order_by)
        .ok_or_else(|| {
            let names: Vec<&str> = TaskSort::ALL.iter().map(|o| o.as_str()).collect();
            Error::invalid("sort", format!("must be one of {}", names.join(", ")))
        })
}
