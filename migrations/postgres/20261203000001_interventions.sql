-- Interventions: the job done on a task, step by step (`interventions`, `intervention_steps`),
-- the photos of each step, and the intervention reports with their `INT-YYYY-NNNN` numbers.
-- Enums are the Rust enums of `interventions::model`, stored as their snake_case names.
--
-- PostgreSQL form (the SQLite file is the reference):
-- - INTEGER is BIGINT, REAL is DOUBLE PRECISION; the 0/1 flags are BOOLEAN (TRUE/FALSE).
-- - json_valid/json_type are rpma_json(x) IS NOT NULL / jsonb_typeof(rpma_json(x)) (first migration).
-- - The report number's GLOB is an anchored regular expression matching the same texts.
-- - intervention_report_counters.year is a plain BIGINT key: the code always supplies it.

-- The task's link to the intervention it is worked through, and how far that has gone.
ALTER TABLE tasks ADD COLUMN workflow_id TEXT;
ALTER TABLE tasks ADD COLUMN current_workflow_step_id TEXT;
ALTER TABLE tasks ADD COLUMN completed_steps BIGINT NOT NULL DEFAULT 0 CHECK (completed_steps >= 0);

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
    vehicle_year           BIGINT CHECK (vehicle_year IS NULL OR vehicle_year BETWEEN 1900 AND 2100),
    vehicle_vin            TEXT,
    client_id              TEXT REFERENCES clients (id),
    client_name            TEXT,
    client_email           TEXT,
    client_phone           TEXT,
    technician_id          TEXT REFERENCES users (id),
    technician_name        TEXT,
    -- Progress: the active step's number and the % of mandatory steps completed.
    current_step           BIGINT NOT NULL DEFAULT 1 CHECK (current_step >= 1),
    completion_percentage  BIGINT NOT NULL DEFAULT 0 CHECK (completion_percentage BETWEEN 0 AND 100),
    -- Film: the zones (a JSON array of strings), type, brand, model.
    ppf_zones_config       TEXT NOT NULL DEFAULT '[]' CHECK (rpma_json(ppf_zones_config) IS NOT NULL AND jsonb_typeof(rpma_json(ppf_zones_config)) = 'array'),
    film_type              TEXT CHECK (film_type IS NULL OR film_type IN ('standard', 'premium', 'matte', 'colored')),
    film_brand             TEXT CHECK (film_brand IS NULL OR length(film_brand) <= 100),
    film_model             TEXT CHECK (film_model IS NULL OR length(film_model) <= 100),
    -- Timing (epoch ms; durations in minutes).
    started_at             BIGINT,
    completed_at           BIGINT,
    paused_at              BIGINT,
    estimated_duration     BIGINT CHECK (estimated_duration IS NULL OR estimated_duration BETWEEN 0 AND 100000),
    actual_duration        BIGINT CHECK (actual_duration IS NULL OR actual_duration >= 0),
    -- Conditions; 10-35 °C and at most 80 % humidity are hard limits.
    weather_condition      TEXT CHECK (weather_condition IS NULL OR weather_condition IN ('sunny', 'cloudy', 'rainy', 'foggy', 'windy', 'other')),
    lighting_condition     TEXT CHECK (lighting_condition IS NULL OR lighting_condition IN ('natural', 'artificial', 'mixed')),
    work_location          TEXT CHECK (work_location IS NULL OR work_location IN ('indoor', 'outdoor', 'semi_covered')),
    temperature_celsius    DOUBLE PRECISION CHECK (temperature_celsius IS NULL OR temperature_celsius BETWEEN 10 AND 35),
    humidity_percentage    DOUBLE PRECISION CHECK (humidity_percentage IS NULL OR humidity_percentage BETWEEN 0 AND 80),
    start_location_lat     DOUBLE PRECISION CHECK (start_location_lat IS NULL OR start_location_lat BETWEEN -90 AND 90),
    start_location_lon     DOUBLE PRECISION CHECK (start_location_lon IS NULL OR start_location_lon BETWEEN -180 AND 180),
    start_location_accuracy DOUBLE PRECISION CHECK (start_location_accuracy IS NULL OR start_location_accuracy >= 0),
    -- Finalisation.
    customer_satisfaction  BIGINT CHECK (customer_satisfaction IS NULL OR customer_satisfaction BETWEEN 1 AND 10),
    quality_score          BIGINT CHECK (quality_score IS NULL OR quality_score BETWEEN 0 AND 100),
    final_observations     TEXT NOT NULL DEFAULT '[]' CHECK (rpma_json(final_observations) IS NOT NULL AND jsonb_typeof(rpma_json(final_observations)) = 'array'),
    -- The customer's signature: sanitised SVG, who signed, what they said.
    customer_signature     TEXT,
    signatory              TEXT,
    customer_comments      TEXT,
    notes                  TEXT,
    created_at             BIGINT NOT NULL,
    updated_at             BIGINT NOT NULL,
    created_by             TEXT REFERENCES users (id),
    deleted_at             BIGINT,
    deleted_by             TEXT REFERENCES users (id)
);

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
    step_number                  BIGINT NOT NULL CHECK (step_number >= 1),
    step_name                    TEXT NOT NULL,
    -- The four PPF types, and the ceramic workflow's `application` and `curing`.
    step_type                    TEXT NOT NULL CHECK (step_type IN (
                                     'inspection', 'preparation', 'installation', 'finalization', 'application', 'curing')),
    step_status                  TEXT NOT NULL DEFAULT 'pending' CHECK (step_status IN (
                                     'pending', 'in_progress', 'paused', 'completed', 'failed', 'skipped', 'rework')),
    description                  TEXT,
    instructions                 TEXT,
    quality_checkpoints          TEXT NOT NULL DEFAULT '[]' CHECK (rpma_json(quality_checkpoints) IS NOT NULL AND jsonb_typeof(rpma_json(quality_checkpoints)) = 'array'),
    is_mandatory                 BOOLEAN NOT NULL DEFAULT TRUE,
    requires_photos              BOOLEAN NOT NULL DEFAULT FALSE,
    min_photos_required          BIGINT NOT NULL DEFAULT 0 CHECK (min_photos_required >= 0),
    max_photos_allowed           BIGINT NOT NULL DEFAULT 20 CHECK (max_photos_allowed >= min_photos_required),
    photo_count                  BIGINT NOT NULL DEFAULT 0 CHECK (photo_count BETWEEN 0 AND max_photos_allowed),
    started_at                   BIGINT,
    completed_at                 BIGINT,
    duration_seconds             BIGINT CHECK (duration_seconds IS NULL OR duration_seconds >= 0),
    estimated_duration_seconds   BIGINT CHECK (estimated_duration_seconds IS NULL OR estimated_duration_seconds >= 0),
    -- What the technician recorded: JSON shaped by the step's type (`interventions::data`).
    collected_data               TEXT CHECK (collected_data IS NULL OR rpma_json(collected_data) IS NOT NULL),
    measurements                 TEXT CHECK (measurements IS NULL OR rpma_json(measurements) IS NOT NULL),
    observations                 TEXT NOT NULL DEFAULT '[]' CHECK (rpma_json(observations) IS NOT NULL AND jsonb_typeof(rpma_json(observations)) = 'array'),
    requires_supervisor_approval BOOLEAN NOT NULL DEFAULT FALSE,
    approved_by                  TEXT REFERENCES users (id),
    approved_at                  BIGINT,
    rejection_reason             TEXT,
    notes                        TEXT,
    updated_at                   BIGINT NOT NULL,
    UNIQUE (intervention_id, step_number)
);

-- A step's photos, stored under the data dir by the SHA-256 of their (EXIF-free) bytes.
CREATE TABLE intervention_photos (
    id               TEXT PRIMARY KEY NOT NULL,
    intervention_id  TEXT NOT NULL REFERENCES interventions (id) ON DELETE CASCADE,
    step_id          TEXT NOT NULL REFERENCES intervention_steps (id) ON DELETE CASCADE,
    sha256           TEXT NOT NULL CHECK (length(sha256) = 64),
    content_type     TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
    width            BIGINT NOT NULL CHECK (width > 0),
    height           BIGINT NOT NULL CHECK (height > 0),
    bytes            BIGINT NOT NULL CHECK (bytes > 0),
    file_name        TEXT,
    created_at       BIGINT NOT NULL,
    created_by       TEXT REFERENCES users (id)
);
CREATE INDEX intervention_photos_step ON intervention_photos (step_id, created_at);

-- Last report number handed out per year.
CREATE TABLE intervention_report_counters (
    year  BIGINT PRIMARY KEY NOT NULL,
    last  BIGINT NOT NULL CHECK (last >= 1)
);

CREATE TABLE intervention_reports (
    id               TEXT PRIMARY KEY NOT NULL,
    intervention_id  TEXT NOT NULL REFERENCES interventions (id) ON DELETE CASCADE,
    -- `INT-YYYY-NNNN`.
    report_number    TEXT NOT NULL UNIQUE CHECK (report_number ~ '^INT-[0-9]{4}-[0-9]{4}'),
    generated_at     BIGINT NOT NULL,
    -- Relative to the data dir.
    file_path        TEXT NOT NULL,
    format           TEXT NOT NULL DEFAULT 'pdf' CHECK (format = 'pdf'),
    status           TEXT NOT NULL DEFAULT 'generated' CHECK (status IN ('generated', 'failed')),
    generated_by     TEXT REFERENCES users (id)
);
CREATE INDEX intervention_reports_intervention ON intervention_reports (intervention_id, generated_at);
