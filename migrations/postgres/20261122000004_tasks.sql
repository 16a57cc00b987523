-- Workshop tasks, their history and notes, the per-day task number counter, calendar events,
-- and the triggers that keep each client's task counters right under every write.
--
-- PostgreSQL form (the SQLite file is the reference):
-- - INTEGER is BIGINT; the 0/1 flags are BOOLEAN (TRUE/FALSE).
-- - GLOB patterns are anchored regular expressions (`~`) matching the same texts.
-- - date() and unixepoch() are rpma_date and rpma_epoch_ms (below): SQLite 3.46's results, NULLs too.
-- - So, as on SQLite, a scheduled_date with month 00/13-99 or day 00/32-99 passes, with NULL slots.
-- - slot_start/slot_end are STORED: PostgreSQL has no VIRTUAL generated columns. Same values.
-- - CASE guards the year cast and jsonb_array_length, which would raise: AND has no set order here.
-- - task_history, task_notes get a last column `rowid`, for "ORDER BY ..., h.rowid" / "n.rowid".
-- - Triggers are PL/pgSQL functions `<trigger>_fn`; AFTER row triggers run at the statement's end.
-- - The counter triggers lock the clients rows first: SQLite has one writer, PostgreSQL does not.

-- SQLite's date(t) for a text shaped 'YYYY-MM-DD' (NULL for any other text): NULL when the month
-- is not 01-12 or the day not 01-31, else that day with an overflow carried into the next month
-- ('2026-02-30' gives '2026-03-02'), so `rpma_date(x) = x` holds for real dates only.
CREATE FUNCTION rpma_date(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    m int;
    d int;
    v date;
BEGIN
    IF t !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
        RETURN NULL;
    END IF;
    m := substr(t, 6, 2)::int;
    d := substr(t, 9, 2)::int;
    IF m NOT BETWEEN 1 AND 12 OR d NOT BETWEEN 1 AND 31 THEN
        RETURN NULL;
    END IF;
    -- 400 years on (one Gregorian cycle, the same calendar): PostgreSQL has no year 0000.
    v := make_date(substr(t, 1, 4)::int + 400, m, 1) + (d - 1);
    RETURN lpad((extract(year FROM v)::int - 400)::text, 4, '0')
        || '-' || lpad(extract(month FROM v)::int::text, 2, '0')
        || '-' || lpad(extract(day FROM v)::int::text, 2, '0');
END;
$$;

-- SQLite's unixepoch(day || ' ' || hm) * 1000, or with plus_days unixepoch(day, '+N day') * 1000:
-- the epoch milliseconds of a 'YYYY-MM-DD' day and 'HH:MM' time read as UTC. NULL where SQLite
-- gives NULL (month or day out of range, hour above 24, minute above 59, past year 9999), and a
-- day overflow carried into the next month as SQLite does. Self-contained (no call to rpma_date)
-- so that it does not depend on search_path.
CREATE FUNCTION rpma_epoch_ms(day text, hm text, plus_days integer DEFAULT 0) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    m int;
    d int;
    h int;
    mi int;
    ms bigint;
BEGIN
    IF day !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' OR hm !~ '^[0-9]{2}:[0-9]{2}$' THEN
        RETURN NULL;
    END IF;
    m := substr(day, 6, 2)::int;
    d := substr(day, 9, 2)::int;
    h := substr(hm, 1, 2)::int;
    mi := substr(hm, 4, 2)::int;
    IF m NOT BETWEEN 1 AND 12 OR d NOT BETWEEN 1 AND 31 OR h > 24 OR mi > 59 THEN
        RETURN NULL;
    END IF;
    -- Days since 1970-01-01, counted 400 years on (146097 days: one Gregorian cycle) because
    -- PostgreSQL has no year 0000.
    ms := ((make_date(substr(day, 1, 4)::int + 400, m, 1) + (d - 1) - DATE '1970-01-01' - 146097
            + plus_days)::bigint * 86400 + h * 3600 + mi * 60) * 1000;
    -- SQLite's dates end with 9999-12-31 23:59:59.999.
    IF ms > 253402300799999 THEN
        RETURN NULL;
    END IF;
    RETURN ms;
END;
$$;

CREATE TABLE tasks (
    id                   TEXT PRIMARY KEY NOT NULL,
    -- `YYYYMMDD-NNN`, allocated from `task_number_counters` in the creating transaction.
    task_number          TEXT NOT NULL UNIQUE CHECK (task_number ~ '^[0-9]{8}-[0-9]{3}'),
    title                TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    description          TEXT CHECK (description IS NULL OR length(description) <= 1000),
    vehicle_plate        TEXT NOT NULL CHECK (length(vehicle_plate) BETWEEN 1 AND 20),
    vehicle_model        TEXT NOT NULL CHECK (length(vehicle_model) BETWEEN 1 AND 100),
    vehicle_make         TEXT,
    vehicle_year         TEXT CHECK (vehicle_year IS NULL OR CASE WHEN vehicle_year ~ '^[0-9]{4}$'
                                         THEN CAST(vehicle_year AS INTEGER) BETWEEN 1900 AND 2100 ELSE FALSE END),
    vin                  TEXT,
    -- JSON arrays of strings; at least one standard zone.
    ppf_zones            TEXT NOT NULL CHECK (CASE WHEN jsonb_typeof(rpma_json(ppf_zones)) = 'array'
                                                  THEN jsonb_array_length(rpma_json(ppf_zones)) >= 1 ELSE FALSE END),
    custom_ppf_zones     TEXT NOT NULL DEFAULT '[]' CHECK (rpma_json(custom_ppf_zones) IS NOT NULL AND jsonb_typeof(rpma_json(custom_ppf_zones)) = 'array'),
    status               TEXT NOT NULL DEFAULT 'draft' CHECK (status IN (
                             'draft', 'pending', 'scheduled', 'assigned', 'in_progress', 'paused', 'on_hold',
                             'completed', 'cancelled', 'archived', 'failed', 'invalid', 'overdue')),
    priority             TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    technician_id        TEXT REFERENCES users (id),
    assigned_at          BIGINT,
    assigned_by          TEXT REFERENCES users (id),
    -- Workshop-local date and times; the booked slot below reads them as UTC.
    scheduled_date       TEXT NOT NULL CHECK (scheduled_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' AND rpma_date(scheduled_date) = scheduled_date),
    start_time           TEXT CHECK (start_time IS NULL OR (start_time ~ '^[0-2][0-9]:[0-5][0-9]$' AND start_time < '24:00')),
    end_time             TEXT CHECK (end_time IS NULL OR (end_time ~ '^[0-2][0-9]:[0-5][0-9]$' AND end_time < '24:00')),
    client_id            TEXT REFERENCES clients (id),
    customer_name        TEXT,
    customer_email       TEXT,
    customer_phone       TEXT,
    customer_address     TEXT,
    lot_film             TEXT,
    checklist_completed  BOOLEAN NOT NULL DEFAULT FALSE,
    notes                TEXT,
    tags                 TEXT NOT NULL DEFAULT '[]' CHECK (rpma_json(tags) IS NOT NULL AND jsonb_typeof(rpma_json(tags)) = 'array'),
    -- Minutes.
    estimated_duration   BIGINT CHECK (estimated_duration IS NULL OR estimated_duration BETWEEN 0 AND 100000),
    actual_duration      BIGINT CHECK (actual_duration IS NULL OR actual_duration BETWEEN 0 AND 100000),
    started_at           BIGINT,
    completed_at         BIGINT,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL,
    created_by           TEXT REFERENCES users (id),
    updated_by           TEXT REFERENCES users (id),
    deleted_at           BIGINT,
    deleted_by           TEXT REFERENCES users (id),
    -- The booked slot in epoch ms: the times on the scheduled date, or the whole day without them.
    slot_start           BIGINT GENERATED ALWAYS AS (rpma_epoch_ms(scheduled_date, coalesce(start_time, '00:00'))) STORED,
    slot_end             BIGINT GENERATED ALWAYS AS (CASE WHEN end_time IS NULL THEN rpma_epoch_ms(scheduled_date, '00:00', 1)
                                                          ELSE rpma_epoch_ms(scheduled_date, end_time) END) STORED,
    CHECK ((start_time IS NULL) = (end_time IS NULL)),
    CHECK (start_time IS NULL OR start_time < end_time)
);

-- The list's filters (each with the default order), the technician's slot lookups, stats.
CREATE INDEX tasks_status ON tasks (status, scheduled_date) WHERE deleted_at IS NULL;
CREATE INDEX tasks_priority ON tasks (priority, scheduled_date) WHERE deleted_at IS NULL;
CREATE INDEX tasks_technician ON tasks (technician_id, status, scheduled_date) WHERE deleted_at IS NULL;
CREATE INDEX tasks_client ON tasks (client_id, scheduled_date) WHERE deleted_at IS NULL;
CREATE INDEX tasks_scheduled ON tasks (scheduled_date, start_time) WHERE deleted_at IS NULL;
CREATE INDEX tasks_created ON tasks (created_at) WHERE deleted_at IS NULL;
CREATE INDEX tasks_slot ON tasks (technician_id, slot_start, slot_end) WHERE deleted_at IS NULL;

-- Last task number handed out per creation day (`YYYYMMDD`).
CREATE TABLE task_number_counters (
    day   TEXT PRIMARY KEY NOT NULL,
    last  BIGINT NOT NULL CHECK (last >= 1)
);

-- What happened to a task: creation, status changes, delays, assignments.
CREATE TABLE task_history (
    id          TEXT PRIMARY KEY NOT NULL,
    task_id     TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    event       TEXT NOT NULL CHECK (event IN ('created', 'status_changed', 'delayed', 'assigned')),
    old_status  TEXT,
    new_status  TEXT,
    -- For `delayed`: the scheduled dates; for `assigned`: the technician ids.
    old_value   TEXT,
    new_value   TEXT,
    reason      TEXT,
    changed_at  BIGINT NOT NULL,
    changed_by  TEXT REFERENCES users (id),
    -- Insertion order, as SQLite's implicit rowid: the history's tie-break.
    rowid       BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL
);
CREATE INDEX task_history_task ON task_history (task_id, changed_at);

CREATE TABLE task_notes (
    id          TEXT PRIMARY KEY NOT NULL,
    task_id     TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    body        TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    created_at  BIGINT NOT NULL,
    created_by  TEXT REFERENCES users (id),
    -- Insertion order, as SQLite's implicit rowid: the notes' tie-break.
    rowid       BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL
);
CREATE INDEX task_notes_task ON task_notes (task_id, created_at);

-- Client counters, recomputed from the client's live tasks whenever a write can change them:
-- recomputing (rather than adding and subtracting) cannot drift. The row lock taken first makes
-- a concurrent writer wait, and its recount (a new statement, so a new snapshot) see this one.
CREATE FUNCTION tasks_client_counters_insert_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM clients WHERE id = NEW.client_id FOR NO KEY UPDATE;
    UPDATE clients SET
        total_tasks     = (SELECT count(*) FROM tasks WHERE client_id = NEW.client_id AND deleted_at IS NULL),
        active_tasks    = (SELECT count(*) FROM tasks WHERE client_id = NEW.client_id AND deleted_at IS NULL
                               AND status NOT IN ('completed', 'cancelled', 'archived', 'failed', 'invalid')),
        completed_tasks = (SELECT count(*) FROM tasks WHERE client_id = NEW.client_id AND deleted_at IS NULL
                               AND status IN ('completed', 'archived')),
        last_task_date  = (SELECT max(scheduled_date) FROM tasks WHERE client_id = NEW.client_id AND deleted_at IS NULL)
    WHERE id = NEW.client_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER tasks_client_counters_insert AFTER INSERT ON tasks
FOR EACH ROW WHEN (NEW.client_id IS NOT NULL)
EXECUTE FUNCTION tasks_client_counters_insert_fn();

CREATE FUNCTION tasks_client_counters_update_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM clients WHERE id IN (OLD.client_id, NEW.client_id) ORDER BY id FOR NO KEY UPDATE;
    UPDATE clients SET
        total_tasks     = (SELECT count(*) FROM tasks t WHERE t.client_id = clients.id AND t.deleted_at IS NULL),
        active_tasks    = (SELECT count(*) FROM tasks t WHERE t.client_id = clients.id AND t.deleted_at IS NULL
                               AND t.status NOT IN ('completed', 'cancelled', 'archived', 'failed', 'invalid')),
        completed_tasks = (SELECT count(*) FROM tasks t WHERE t.client_id = clients.id AND t.deleted_at IS NULL
                               AND t.status IN ('completed', 'archived')),
        last_task_date  = (SELECT max(t.scheduled_date) FROM tasks t WHERE t.client_id = clients.id AND t.deleted_at IS NULL)
    WHERE id IN (OLD.client_id, NEW.client_id);
    RETURN NULL;
END;
$$;
CREATE TRIGGER tasks_client_counters_update AFTER UPDATE OF status, client_id, scheduled_date, deleted_at ON tasks
FOR EACH ROW
EXECUTE FUNCTION tasks_client_counters_update_fn();

CREATE FUNCTION tasks_client_counters_delete_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM clients WHERE id = OLD.client_id FOR NO KEY UPDATE;
    UPDATE clients SET
        total_tasks     = (SELECT count(*) FROM tasks WHERE client_id = OLD.client_id AND deleted_at IS NULL),
        active_tasks    = (SELECT count(*) FROM tasks WHERE client_id = OLD.client_id AND deleted_at IS NULL
                               AND status NOT IN ('completed', 'cancelled', 'archived', 'failed', 'invalid')),
        completed_tasks = (SELECT count(*) FROM tasks WHERE client_id = OLD.client_id AND deleted_at IS NULL
                               AND status IN ('completed', 'archived')),
        last_task_date  = (SELECT max(scheduled_date) FROM tasks WHERE client_id = OLD.client_id AND deleted_at IS NULL)
    WHERE id = OLD.client_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER tasks_client_counters_delete AFTER DELETE ON tasks
FOR EACH ROW WHEN (OLD.client_id IS NOT NULL)
EXECUTE FUNCTION tasks_client_counters_delete_fn();

-- Calendar events: bookings, meetings, reminders; optionally tied to a task, client, technician.
CREATE TABLE calendar_events (
    id               TEXT PRIMARY KEY NOT NULL,
    title            TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description      TEXT CHECK (description IS NULL OR length(description) <= 2000),
    -- Epoch ms, UTC.
    start_at         BIGINT NOT NULL,
    end_at           BIGINT NOT NULL,
    all_day          BOOLEAN NOT NULL DEFAULT FALSE,
    timezone         TEXT NOT NULL DEFAULT 'UTC',
    event_type       TEXT NOT NULL DEFAULT 'appointment' CHECK (event_type IN ('meeting', 'appointment', 'task', 'reminder', 'other')),
    category         TEXT,
    task_id          TEXT REFERENCES tasks (id),
    client_id        TEXT REFERENCES clients (id),
    technician_id    TEXT REFERENCES users (id),
    location         TEXT,
    -- JSON array of user ids.
    participants     TEXT NOT NULL DEFAULT '[]' CHECK (rpma_json(participants) IS NOT NULL AND jsonb_typeof(rpma_json(participants)) = 'array'),
    recurrence_rule  TEXT,
    parent_event_id  TEXT REFERENCES calendar_events (id),
    -- JSON array of minutes before the start.
    reminders        TEXT NOT NULL DEFAULT '[]' CHECK (rpma_json(reminders) IS NOT NULL AND jsonb_typeof(rpma_json(reminders)) = 'array'),
    status           TEXT NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'tentative', 'cancelled')),
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    created_by       TEXT REFERENCES users (id),
    deleted_at       BIGINT,
    deleted_by       TEXT REFERENCES users (id),
    CHECK (end_at > start_at)
);

CREATE INDEX calendar_events_range ON calendar_events (start_at, end_at) WHERE deleted_at IS NULL;
CREATE INDEX calendar_events_technician ON calendar_events (technician_id, start_at, end_at) WHERE deleted_at IS NULL;
CREATE INDEX calendar_events_task ON calendar_events (task_id) WHERE deleted_at IS NULL;
CREATE INDEX calendar_events_client ON calendar_events (client_id) WHERE deleted_at IS NULL;
