-- Plant operations (BPM-OS): runbooks → stages → gates, exceptions, lines → stations and their
-- telemetry, inventory, pack records, and the hash-chained log. Enum values are BPM-OS's own
-- labels ("In Progress", "Locked"), checked here so no writer can store another. Timestamps are
-- epoch milliseconds; label arrays and small nested objects are JSON text.

CREATE TABLE ops_runbooks (
    id               TEXT PRIMARY KEY,               -- 'material', 'manufacturing', …
    title            TEXT NOT NULL,
    sop_range        TEXT NOT NULL,                  -- 'S4 → S9' (RunbookData.range)
    purpose          TEXT NOT NULL,
    roles            TEXT NOT NULL DEFAULT '[]',     -- BPM-OS role labels
    custody          TEXT,                           -- {custodian, responsibilities[], since}
    warranty_context TEXT,                           -- {entity, status, liabilities[]}
    position         INTEGER NOT NULL UNIQUE,
    updated_at       INTEGER NOT NULL
);

CREATE TABLE ops_stages (
    id               TEXT PRIMARY KEY,               -- 'mfg-02'
    runbook_id       TEXT NOT NULL REFERENCES ops_runbooks (id),
    position         INTEGER NOT NULL,               -- order within the runbook
    sop              INTEGER NOT NULL CHECK (sop BETWEEN 0 AND 17),
    name             TEXT NOT NULL,
    nav_target       TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'Pending'
                     CHECK (status IN ('Pending', 'In Progress', 'Hold', 'Completed')),
    roles            TEXT NOT NULL DEFAULT '[]',
    is_trace_handoff INTEGER NOT NULL DEFAULT 0 CHECK (is_trace_handoff IN (0, 1)),
    trace_activity   TEXT,                           -- {header, description, demoNote}
    updated_at       INTEGER NOT NULL,
    UNIQUE (runbook_id, position)
);

-- At most one gate per stage, so the stage's id is the gate's.
CREATE TABLE ops_gates (
    stage_id   TEXT PRIMARY KEY REFERENCES ops_stages (id),
    type       TEXT NOT NULL
               CHECK (type IN ('Approval', 'Validation', 'Interlock', 'Authorization', 'Handoff')),
    condition  TEXT NOT NULL,
    evidence   TEXT,
    owner      TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'Closed' CHECK (status IN ('Open', 'Closed', 'Locked')),
    impact     TEXT,
    decided_by TEXT,
    decided_at INTEGER,
    -- A locked gate says why.
    CHECK (status <> 'Locked' OR evidence IS NOT NULL)
);

CREATE TABLE ops_exceptions (
    id          TEXT PRIMARY KEY,                    -- 'EX-2026-001'
    year        INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    type        TEXT NOT NULL,
    runbook_id  TEXT NOT NULL REFERENCES ops_runbooks (id),
    stage_id    TEXT NOT NULL REFERENCES ops_stages (id),
    severity    TEXT NOT NULL CHECK (severity IN ('Critical', 'High', 'Medium', 'Low')),
    status      TEXT NOT NULL DEFAULT 'Raised'
                CHECK (status IN ('Raised', 'Triaged', 'In Review', 'Resolved', 'Closed')),
    owner       TEXT NOT NULL,
    description TEXT NOT NULL,
    impact      TEXT,
    escalation  TEXT,
    resolution  TEXT,
    raised_by   TEXT,
    raised_at   INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (year, seq)
);
-- The board and a stage's hold ask "the unresolved exceptions of …".
CREATE INDEX ops_exceptions_stage ON ops_exceptions (stage_id, status);
CREATE INDEX ops_exceptions_raised ON ops_exceptions (raised_at DESC);

-- Each move of an exception, for its detail.
CREATE TABLE ops_exception_history (
    id           INTEGER PRIMARY KEY,
    exception_id TEXT NOT NULL REFERENCES ops_exceptions (id),
    from_status  TEXT,
    to_status    TEXT NOT NULL,
    note         TEXT,
    actor        TEXT NOT NULL,
    at           INTEGER NOT NULL
);
CREATE INDEX ops_exception_history_of ON ops_exception_history (exception_id, id);

CREATE TABLE ops_lines (
    id          TEXT PRIMARY KEY,                    -- 'line-a'
    name        TEXT NOT NULL,
    type        TEXT NOT NULL,
    runbook_id  TEXT REFERENCES ops_runbooks (id),
    maintenance INTEGER NOT NULL DEFAULT 0 CHECK (maintenance IN (0, 1)),
    position    INTEGER NOT NULL UNIQUE,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE ops_stations (
    id             TEXT PRIMARY KEY,
    line_id        TEXT NOT NULL REFERENCES ops_lines (id),
    position       INTEGER NOT NULL,
    name           TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT 'Idle' CHECK (state IN ('Ready', 'Running', 'Blocked', 'Idle')),
    blocked_reason TEXT,
    updated_at     INTEGER NOT NULL,
    UNIQUE (line_id, position),
    -- Only a blocked station has a reason, and it always has one.
    CHECK ((state = 'Blocked') = (blocked_reason IS NOT NULL))
);

-- One row per line and interval; a re-sent interval replaces the first.
CREATE TABLE ops_telemetry (
    line_id        TEXT NOT NULL REFERENCES ops_lines (id),
    interval_start INTEGER NOT NULL,
    interval_end   INTEGER NOT NULL,
    planned_ms     INTEGER NOT NULL CHECK (planned_ms >= 0),
    run_ms         INTEGER NOT NULL CHECK (run_ms >= 0 AND run_ms <= planned_ms),
    ideal_cycle_ms INTEGER NOT NULL CHECK (ideal_cycle_ms > 0),
    total_count    INTEGER NOT NULL CHECK (total_count >= 0),
    good_count     INTEGER NOT NULL CHECK (good_count >= 0 AND good_count <= total_count),
    PRIMARY KEY (line_id, interval_start),
    CHECK (interval_end > interval_start)
);
-- The dashboard sums every line over a window.
CREATE INDEX ops_telemetry_start ON ops_telemetry (interval_start);

CREATE TABLE ops_inventory (
    id            TEXT PRIMARY KEY,                  -- 'CELL-2026-1000'
    category      TEXT NOT NULL CHECK (category IN ('cells', 'modules', 'packs', 'finished', 'deployed')),
    sku           TEXT NOT NULL,
    location      TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'Good' CHECK (status IN ('Good', 'Hold', 'Blocked')),
    batch_ref     TEXT,
    exception_ref TEXT,
    stage_id      TEXT REFERENCES ops_stages (id),   -- the stage whose queue it waits in (WIP)
    received_at   INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX ops_inventory_list ON ops_inventory (category, status, id);
CREATE INDEX ops_inventory_stage ON ops_inventory (stage_id);

-- A pack's passport fields (Battery Aadhaar / EU battery passport).
CREATE TABLE ops_packs (
    id                   TEXT PRIMARY KEY,           -- 'PCK-2026-B-800'
    manufacturer         TEXT,
    chemistry            TEXT,
    capacity_kwh         REAL,
    nominal_voltage      REAL,
    cell_origin          TEXT,
    manufactured_at      INTEGER,
    carbon_footprint_kg  REAL,
    recycled_content_pct REAL,
    epr_registration     TEXT,
    passport_signed      INTEGER NOT NULL DEFAULT 0 CHECK (passport_signed IN (0, 1)),
    custody              TEXT NOT NULL DEFAULT 'Manufacturer'
                         CHECK (custody IN ('Manufacturer', 'Logistics', 'Customer', 'Recycler')),
    created_at           INTEGER NOT NULL
);

-- The append-only log: each row's hash covers the previous row's, so an edit anywhere breaks
-- the chain from that row on (GET /ops/logs/verify). The triggers refuse edits through SQL.
CREATE TABLE ops_log (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    category  TEXT NOT NULL CHECK (category IN ('Workflow', 'System', 'Compliance', 'Security')),
    severity  TEXT NOT NULL CHECK (severity IN ('Info', 'Success', 'Warning', 'Error')),
    event     TEXT NOT NULL,
    entity    TEXT NOT NULL,
    actor     TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE
);
CREATE INDEX ops_log_at ON ops_log (at DESC);

CREATE TRIGGER ops_log_no_update BEFORE UPDATE ON ops_log
BEGIN
    SELECT RAISE(ABORT, 'ops_log is append-only');
END;

CREATE TRIGGER ops_log_no_delete BEFORE DELETE ON ops_log
BEGIN
    SELECT RAISE(ABORT, 'ops_log is append-only');
END;
