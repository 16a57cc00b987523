-- Workshop tasks, their history and notes, the per-day task number counter, calendar events,
-- and the triggers that keep each client's task counters right under every write.

CREATE TABLE tasks (
    id                   TEXT PRIMARY KEY NOT NULL,
    -- `YYYYMMDD-NNN`, allocated from `task_number_counters` in the creating transaction.
    task_number          TEXT NOT NULL UNIQUE CHECK (task_number GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9]*'),
    title                TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    description          TEXT CHECK (description IS NULL OR length(description) <= 1000),
    vehicle_plate        TEXT NOT NULL CHECK (length(vehicle_plate) BETWEEN 1 AND 20),
    vehicle_model        TEXT NOT NULL CHECK (length(vehicle_model) BETWEEN 1 AND 100),
    vehicle_make         TEXT,
    vehicle_year         TEXT CHECK (vehicle_year IS NULL OR (vehicle_year GLOB '[0-9][0-9][0-9][0-9]' AND CAST(vehicle_year AS INTEGER) BETWEEN 1900 AND 2100)),
    vin                  TEXT,
    -- JSON arrays of strings; at least one standard zone.
    ppf_zones            TEXT NOT NULL CHECK (json_valid(ppf_zones) AND json_type(ppf_zones) = 'array' AND json_array_length(ppf_zones) >= 1),
    custom_ppf_zones     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(custom_ppf_zones) AND json_type(custom_ppf_zones) = 'array'),
    status               TEXT NOT NULL DEFAULT 'draft' CHECK (status IN (
                             'draft', 'pending', 'scheduled', 'assigned', 'in_progress', 'paused', 'on_hold',
                             'completed', 'cancelled', 'archived', 'failed', 'invalid', 'overdue')),
    priority             TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    technician_id        TEXT REFERENCES users (id),
    assigned_at          INTEGER,
    assigned_by          TEXT REFERENCES users (id),
    -- Workshop-local date and times; the booked slot below reads them as UTC.
    scheduled_date       TEXT NOT NULL CHECK (scheduled_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(scheduled_date) = scheduled_date),
    start_time           TEXT CHECK (start_time IS NULL OR (start_time GLOB '[0-2][0-9]:[0-5][0-9]' AND start_time < '24:00')),
    end_time             TEXT CHECK (end_time IS NULL OR (end_time GLOB '[0-2][0-9]:[0-5][0-9]' AND end_time < '24:00')),
    client_id            TEXT REFERENCES clients (id),
    customer_name        TEXT,
    customer_email       TEXT,
    customer_phone       TEXT,
    customer_address     TEXT,
    lot_film             TEXT,
    checklist_completed  INTEGER NOT NULL DEFAULT 0 CHECK (checklist_completed IN (0, 1)),
    notes                TEXT,
    tags                 TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
    -- Minutes.
    estimated_duration   INTEGER CHECK (estimated_duration IS NULL OR estimated_duration BETWEEN 0 AND 100000),
    actual_duration      INTEGER CHECK (actual_duration IS NULL OR actual_duration BETWEEN 0 AND 100000),
    started_at           INTEGER,
    completed_at         INTEGER,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    created_by           TEXT REFERENCES users (id),
    updated_by           TEXT REFERENCES users (id),
    deleted_at           INTEGER,
    deleted_by           TEXT REFERENCES users (id),
    -- The booked slot in epoch ms: the times on the scheduled date, or the whole day without them.
    slot_start           INTEGER GENERATED ALWAYS AS (unixepoch(scheduled_date || ' ' || coalesce(start_time, '00:00')) * 1000) VIRTUAL,
    slot_end             INTEGER GENERATED ALWAYS AS (CASE WHEN end_time IS NULL THEN unixepoch(scheduled_date, '+1 day')
                                                           ELSE unixepoch(scheduled_date || ' ' || end_time) END * 1000) VIRTUAL,
    CHECK ((start_time IS NULL) = (end_time IS NULL)),
    CHECK (start_time IS NULL OR start_time < end_time)
) STRICT;

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
    last  INTEGER NOT NULL CHECK (last >= 1)
) STRICT;

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
    changed_at  INTEGER NOT NULL,
    changed_by  TEXT REFERENCES users (id)
) STRICT;
CREATE INDEX task_history_task ON task_history (task_id, changed_at);

CREATE TABLE task_notes (
    id          TEXT PRIMARY KEY NOT NULL,
    task_id     TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    body        TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    created_at  INTEGER NOT NULL,
    created_by  TEXT REFERENCES users (id)
) STRICT;
CREATE INDEX task_notes_task ON task_notes (task_id, created_at);

-- Client counters, recomputed from the client's live tasks whenever a write can change them:
-- recomputing (rather than adding and subtracting) cannot drift.
CREATE TRIGGER tasks_client_counters_insert AFTER INSERT ON tasks
WHEN NEW.client_id IS NOT NULL
BEGIN
    UPDATE clients SET
        total_tasks     = (SELECT count(*) FROM tasks WHERE client_id = NEW.client_id AND deleted_at IS NULL),
        active_tasks    = (SELECT count(*) FROM tasks WHERE client_id = NEW.client_id AND deleted_at IS NULL
                               AND status NOT IN ('completed', 'cancelled', 'archived', 'failed', 'invalid')),
        completed_tasks = (SELECT count(*) FROM tasks WHERE client_id = NEW.client_id AND deleted_at IS NULL
                               AND status IN ('completed', 'archived')),
        last_task_date  = (SELECT max(scheduled_date) FROM tasks WHERE client_id = NEW.client_id AND deleted_at IS NULL)
    WHERE id = NEW.client_id;
END;

CREATE TRIGGER tasks_client_counters_update AFTER UPDATE OF status, client_id, scheduled_date, deleted_at ON tasks
BEGIN
    UPDATE clients SET
        total_tasks     = (SELECT count(*) FROM tasks t WHERE t.client_id = clients.id AND t.deleted_at IS NULL),
        active_tasks    = (SELECT count(*) FROM tasks t WHERE t.client_id = clients.id AND t.deleted_at IS NULL
                               AND t.status NOT IN ('completed', 'cancelled', 'archived', 'failed', 'invalid')),
        completed_tasks = (SELECT count(*) FROM tasks t WHERE t.client_id = clients.id AND t.deleted_at IS NULL
                               AND t.status IN ('completed', 'archived')),
        last_task_date  = (SELECT max(t.scheduled_date) FROM tasks t WHERE t.client_id = clients.id AND t.deleted_at IS NULL)
    WHERE id IN (OLD.client_id, NEW.client_id);
END;

CREATE TRIGGER tasks_client_counters_delete AFTER DELETE ON tasks
WHEN OLD.client_id IS NOT NULL
BEGIN
    UPDATE clients SET
        total_tasks     = (SELECT count(*) FROM tasks WHERE client_id = OLD.client_id AND deleted_at IS NULL),
        active_tasks    = (SELECT count(*) FROM tasks WHERE client_id = OLD.client_id AND deleted_at IS NULL
                               AND status NOT IN ('completed', 'cancelled', 'archived', 'failed', 'invalid')),
        completed_tasks = (SELECT count(*) FROM tasks WHERE client_id = OLD.client_id AND deleted_at IS NULL
                               AND status IN ('completed', 'archived')),
        last_task_date  = (SELECT max(scheduled_date) FROM tasks WHERE client_id = OLD.client_id AND deleted_at IS NULL)
    WHERE id = OLD.client_id;
END;

-- Calendar events: bookings, meetings, reminders; optionally tied to a task, client, technician.
CREATE TABLE calendar_events (
    id               TEXT PRIMARY KEY NOT NULL,
    title            TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description      TEXT CHECK (description IS NULL OR length(description) <= 2000),
    -- Epoch ms, UTC.
    start_at         INTEGER NOT NULL,
    end_at           INTEGER NOT NULL,
    all_day          INTEGER NOT NULL DEFAULT 0 CHECK (all_day IN (0, 1)),
    timezone         TEXT NOT NULL DEFAULT 'UTC',
    event_type       TEXT NOT NULL DEFAULT 'appointment' CHECK (event_type IN ('meeting', 'appointment', 'task', 'reminder', 'other')),
    category         TEXT,
    task_id          TEXT REFERENCES tasks (id),
    client_id        TEXT REFERENCES clients (id),
    technician_id    TEXT REFERENCES users (id),
    location         TEXT,
    -- JSON array of user ids.
    participants     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(participants) AND json_type(participants) = 'array'),
    recurrence_rule  TEXT,
    parent_event_id  TEXT REFERENCES calendar_events (id),
    -- JSON array of minutes before the start.
    reminders        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(reminders) AND json_type(reminders) = 'array'),
    status           TEXT NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'tentative', 'cancelled')),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    created_by       TEXT REFERENCES users (id),
    deleted_at       INTEGER,
    deleted_by       TEXT REFERENCES users (id),
    CHECK (end_at > start_at)
) STRICT;

CREATE INDEX calendar_events_range ON calendar_events (start_at, end_at) WHERE deleted_at IS NULL;
CREATE INDEX calendar_events_technician ON calendar_events (technician_id, start_at, end_at) WHERE deleted_at IS NULL;
CREATE INDEX calendar_events_task ON calendar_events (task_id) WHERE deleted_at IS NULL;
CREATE INDEX calendar_events_client ON calendar_events (client_id) WHERE deleted_at IS NULL;
