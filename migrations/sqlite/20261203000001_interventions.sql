-- Interventions: the job done on a task, step by step (`interventions`, `intervention_steps`),
-- the photos of each step, and the intervention reports with their `INT-YYYY-NNNN` numbers.
-- Enums are the Rust enums of `interventions::model`, stored as their snake_case names.

-- The task's link to the intervention it is worked through, and how far that has gone.
ALTER TABLE tasks ADD COLUMN workflow_id TEXT;
ALTER TABLE tasks ADD COLUMN current_workflow_step_id TEXT;
ALTER TABLE tasks ADD COLUMN completed_steps INTEGER NOT NULL DEFAULT 0 CHECK (completed_steps >= 0);

CREATE TABLE interventions (
    id                     TEXT PRIMARY KEY NOT NULL,
    task_id                TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    task_number            TEXT NOT NULL,
    status                 TEXT NOT NULL DEFAULT 'pending' CHECK (status IN (
                               'pending', 'in_progress', 'paused', 'completed', 'cancelled', 'archived')),
    intervention_type      TEXT NOT NULL DEFAULT 'ppf' CHECK (intervention_type IN ('ppf', 'ceramic', 'detailing', 'other')),
    -- Which step list the intervention follows (`interventions::templates`).
    workflow               TEXT NOT NULL CHECK (workflow IN ('standard_ppf', 'express_ppf', 'ceramic')),
    priority               TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    description            TEXT CHECK (description IS NULL OR length(description) <= 1000),
    -- Copied from the task (and its client and technician) when the intervention starts.
    vehicle_plate          TEXT NOT NULL CHECK (length(vehicle_plate) BETWEEN 1 AND 20),
    vehicle_model          TEXT,
    vehicle_make           TEXT,
    vehicle_year           INTEGER CHECK (vehicle_year IS NULL OR vehicle_year BETWEEN 1900 AND 2100),
    vehicle_vin            TEXT,
    client_id              TEXT REFERENCES clients (id),
    client_name            TEXT,
    client_email           TEXT,
    client_phone           TEXT,
    technician_id          TEXT REFERENCES users (id),
    technician_name        TEXT,
    -- Progress: the active step's number and the % of mandatory steps completed.
    current_step           INTEGER NOT NULL DEFAULT 1 CHECK (current_step >= 1),
    completion_percentage  INTEGER NOT NULL DEFAULT 0 CHECK (completion_percentage BETWEEN 0 AND 100),
    -- Film: the zones (a JSON array of strings), type, brand, model.
    ppf_zones_config       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(ppf_zones_config) AND json_type(ppf_zones_config) = 'array'),
    film_type              TEXT CHECK (film_type IS NULL OR film_type IN ('standard', 'premium', 'matte', 'colored')),
    film_brand             TEXT CHECK (film_brand IS NULL OR length(film_brand) <= 100),
    film_model             TEXT CHECK (film_model IS NULL OR length(film_model) <= 100),
    -- Timing (epoch ms; durations in minutes).
    started_at             INTEGER,
    completed_at           INTEGER,
    paused_at              INTEGER,
    estimated_duration     INTEGER CHECK (estimated_duration IS NULL OR estimated_duration BETWEEN 0 AND 100000),
    actual_duration        INTEGER CHECK (actual_duration IS NULL OR actual_duration >= 0),
    -- Conditions; 10-35 °C and at most 80 % humidity are hard limits.
    weather_condition      TEXT CHECK (weather_condition IS NULL OR weather_condition IN ('sunny', 'cloudy', 'rainy', 'foggy', 'windy', 'other')),
    lighting_condition     TEXT CHECK (lighting_condition IS NULL OR lighting_condition IN ('natural', 'artificial', 'mixed')),
    work_location          TEXT CHECK (work_location IS NULL OR work_location IN ('indoor', 'outdoor', 'semi_covered')),
    temperature_celsius    REAL CHECK (temperature_celsius IS NULL OR temperature_celsius BETWEEN 10 AND 35),
    humidity_percentage    REAL CHECK (humidity_percentage IS NULL OR humidity_percentage BETWEEN 0 AND 80),
    start_location_lat     REAL CHECK (start_location_lat IS NULL OR start_location_lat BETWEEN -90 AND 90),
    start_location_lon     REAL CHECK (start_location_lon IS NULL OR start_location_lon BETWEEN -180 AND 180),
    start_location_accuracy REAL CHECK (start_location_accuracy IS NULL OR start_location_accuracy >= 0),
    -- Finalisation.
    customer_satisfaction  INTEGER CHECK (customer_satisfaction IS NULL OR customer_satisfaction BETWEEN 1 AND 10),
    quality_score          INTEGER CHECK (quality_score IS NULL OR quality_score BETWEEN 0 AND 100),
    final_observations     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(final_observations) AND json_type(final_observations) = 'array'),
    -- The customer's signature: sanitised SVG, who signed, what they said.
    customer_signature     TEXT,
    signatory              TEXT,
    customer_comments      TEXT,
    notes                  TEXT,
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL,
    created_by             TEXT REFERENCES users (id),
    deleted_at             INTEGER,
    deleted_by             TEXT REFERENCES users (id)
) STRICT;

-- At most one active intervention per task, whatever the concurrency: a second start fails on
-- this index inside its transaction (`INTERVENTION_ALREADY_ACTIVE`).
CREATE UNIQUE INDEX interventions_one_active ON interventions (task_id)
    WHERE status IN ('pending', 'in_progress', 'paused') AND deleted_at IS NULL;
-- The lists: by task (latest first), by technician, status and start date.
CREATE INDEX interventions_task ON interventions (task_id, created_at) WHERE deleted_at IS NULL;
CREATE INDEX interventions_technician ON interventions (technician_id, started_at) WHERE deleted_at IS NULL;
CREATE INDEX interventions_status ON interventions (status, started_at) WHERE deleted_at IS NULL;

CREATE TABLE intervention_steps (
    id                           TEXT PRIMARY KEY NOT NULL,
    intervention_id              TEXT NOT NULL REFERENCES interventions (id) ON DELETE CASCADE,
    step_number                  INTEGER NOT NULL CHECK (step_number >= 1),
    step_name                    TEXT NOT NULL,
    -- The four PPF types, and the ceramic workflow's `application` and `curing`.
    step_type                    TEXT NOT NULL CHECK (step_type IN (
                                     'inspection', 'preparation', 'installation', 'finalization', 'application', 'curing')),
    step_status                  TEXT NOT NULL DEFAULT 'pending' CHECK (step_status IN (
                                     'pending', 'in_progress', 'paused', 'completed', 'failed', 'skipped', 'rework')),
    description                  TEXT,
    instructions                 TEXT,
    quality_checkpoints          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(quality_checkpoints) AND json_type(quality_checkpoints) = 'array'),
    is_mandatory                 INTEGER NOT NULL DEFAULT 1 CHECK (is_mandatory IN (0, 1)),
    requires_photos              INTEGER NOT NULL DEFAULT 0 CHECK (requires_photos IN (0, 1)),
    min_photos_required          INTEGER NOT NULL DEFAULT 0 CHECK (min_photos_required >= 0),
    max_photos_allowed           INTEGER NOT NULL DEFAULT 20 CHECK (max_photos_allowed >= min_photos_required),
    photo_count                  INTEGER NOT NULL DEFAULT 0 CHECK (photo_count BETWEEN 0 AND max_photos_allowed),
    started_at                   INTEGER,
    completed_at                 INTEGER,
    duration_seconds             INTEGER CHECK (duration_seconds IS NULL OR duration_seconds >= 0),
    estimated_duration_seconds   INTEGER CHECK (estimated_duration_seconds IS NULL OR estimated_duration_seconds >= 0),
    -- What the technician recorded: JSON shaped by the step's type (`interventions::data`).
    collected_data               TEXT CHECK (collected_data IS NULL OR json_valid(collected_data)),
    measurements                 TEXT CHECK (measurements IS NULL OR json_valid(measurements)),
    observations                 TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(observations) AND json_type(observations) = 'array'),
    requires_supervisor_approval INTEGER NOT NULL DEFAULT 0 CHECK (requires_supervisor_approval IN (0, 1)),
    approved_by                  TEXT REFERENCES users (id),
    approved_at                  INTEGER,
    rejection_reason             TEXT,
    notes                        TEXT,
    updated_at                   INTEGER NOT NULL,
    UNIQUE (intervention_id, step_number)
) STRICT;

-- A step's photos, stored under the data dir by the SHA-256 of their (EXIF-free) bytes.
CREATE TABLE intervention_photos (
    id               TEXT PRIMARY KEY NOT NULL,
    intervention_id  TEXT NOT NULL REFERENCES interventions (id) ON DELETE CASCADE,
    step_id          TEXT NOT NULL REFERENCES intervention_steps (id) ON DELETE CASCADE,
    sha256           TEXT NOT NULL CHECK (length(sha256) = 64),
    content_type     TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
    width            INTEGER NOT NULL CHECK (width > 0),
    height           INTEGER NOT NULL CHECK (height > 0),
    bytes            INTEGER NOT NULL CHECK (bytes > 0),
    file_name        TEXT,
    created_at       INTEGER NOT NULL,
    created_by       TEXT REFERENCES users (id)
) STRICT;
CREATE INDEX intervention_photos_step ON intervention_photos (step_id, created_at);

-- Last report number handed out per year.
CREATE TABLE intervention_report_counters (
    year  INTEGER PRIMARY KEY NOT NULL,
    last  INTEGER NOT NULL CHECK (last >= 1)
) STRICT;

CREATE TABLE intervention_reports (
    id               TEXT PRIMARY KEY NOT NULL,
    intervention_id  TEXT NOT NULL REFERENCES interventions (id) ON DELETE CASCADE,
    -- `INT-YYYY-NNNN`.
    report_number    TEXT NOT NULL UNIQUE CHECK (report_number GLOB 'INT-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]*'),
    generated_at     INTEGER NOT NULL,
    -- Relative to the data dir.
    file_path        TEXT NOT NULL,
    format           TEXT NOT NULL DEFAULT 'pdf' CHECK (format = 'pdf'),
    status           TEXT NOT NULL DEFAULT 'generated' CHECK (status IN ('generated', 'failed')),
    generated_by     TEXT REFERENCES users (id)
) STRICT;
CREATE INDEX intervention_reports_intervention ON intervention_reports (intervention_id, generated_at);
