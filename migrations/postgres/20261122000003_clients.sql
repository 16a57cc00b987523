-- Workshop clients. Soft delete keeps a client's history readable; the counters are kept
-- correct by the tasks migration's triggers (every task write updates its client's row).
--
-- PostgreSQL form (the SQLite file is the reference):
-- - INTEGER is BIGINT.
-- - json_valid/json_type are rpma_json(x) IS NOT NULL / jsonb_typeof(rpma_json(x)) (first migration).
-- - lower() folds all of Unicode here, ASCII only on SQLite (the emails are ASCII).
CREATE TABLE clients (
    id               TEXT PRIMARY KEY NOT NULL,
    name             TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    email            TEXT CHECK (email IS NULL OR (length(email) <= 254 AND email = lower(email))),
    phone            TEXT,
    customer_type    TEXT NOT NULL DEFAULT 'individual' CHECK (customer_type IN ('individual', 'business')),
    address_street   TEXT,
    address_city     TEXT,
    address_state    TEXT,
    address_zip      TEXT,
    address_country  TEXT NOT NULL DEFAULT 'France',
    tax_id           TEXT,
    company_name     TEXT,
    contact_person   TEXT,
    notes            TEXT,
    -- JSON array of strings.
    tags             TEXT NOT NULL DEFAULT '[]' CHECK (rpma_json(tags) IS NOT NULL AND jsonb_typeof(rpma_json(tags)) = 'array'),
    total_tasks      BIGINT NOT NULL DEFAULT 0 CHECK (total_tasks >= 0),
    active_tasks     BIGINT NOT NULL DEFAULT 0 CHECK (active_tasks >= 0),
    completed_tasks  BIGINT NOT NULL DEFAULT 0 CHECK (completed_tasks >= 0),
    last_task_date   TEXT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    created_by       TEXT REFERENCES users (id),
    deleted_at       BIGINT,
    deleted_by       TEXT REFERENCES users (id),
    -- A business client is known by its company.
    CHECK (customer_type = 'individual' OR company_name IS NOT NULL)
);

-- The list's filters and search, on live rows.
CREATE INDEX clients_name ON clients (name COLLATE NOCASE) WHERE deleted_at IS NULL;
CREATE INDEX clients_email ON clients (email) WHERE deleted_at IS NULL;
CREATE INDEX clients_phone ON clients (phone) WHERE deleted_at IS NULL;
CREATE INDEX clients_company ON clients (company_name COLLATE NOCASE) WHERE deleted_at IS NULL;
CREATE INDEX clients_type ON clients (customer_type, created_at) WHERE deleted_at IS NULL;
