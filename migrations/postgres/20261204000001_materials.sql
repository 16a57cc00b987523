-- Materials: the catalogue (`materials`, `material_categories`, `suppliers`), the stock ledger
-- (`inventory_transactions`) and what each intervention used (`material_consumption`).
-- Enums are the Rust enums of `materials::model`, stored as their snake_case names.
--
-- Quantities are DOUBLE PRECISION in the material's unit (3.5 metres of film) and always whole
-- thousandths: the server rounds every quantity and every new stock to 0.001, so a ledger sums
-- exactly. Money is BIGINT cents, like the quotes.
--
-- PostgreSQL form (the SQLite file is the reference):
-- - INTEGER is BIGINT, REAL is DOUBLE PRECISION; the 0/1 flags are BOOLEAN (TRUE/FALSE).
-- - The append-only triggers are PL/pgSQL functions `<trigger>_fn` raising the same message (P0001).
-- - Row triggers do not fire on TRUNCATE (SQLite has none): TRUNCATE bypasses the append-only guard.

CREATE TABLE material_categories (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    code        TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 20),
    parent_id   TEXT REFERENCES material_categories (id) ON DELETE RESTRICT,
    -- 1 for a root, the parent's level + 1 below it (kept by the server on write).
    level       BIGINT NOT NULL DEFAULT 1 CHECK (level BETWEEN 1 AND 10),
    -- `#rrggbb`.
    color       TEXT CHECK (color IS NULL OR (length(color) = 7 AND substr(color, 1, 1) = '#')),
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

INSERT INTO material_categories (id, name, code, parent_id, level, color, created_at, updated_at) VALUES
    ('cat_ppf_films',   'PPF films',          'PPF', NULL, 1, '#2563eb', 0, 0),
    ('cat_adhesives',   'Adhesives',          'ADH', NULL, 1, '#d97706', 0, 0),
    ('cat_cleaning',    'Cleaning solutions', 'CLN', NULL, 1, '#059669', 0, 0),
    ('cat_tools',       'Tools',              'TLS', NULL, 1, '#6b7280', 0, 0),
    ('cat_consumables', 'Consumables',        'CON', NULL, 1, '#7c3aed', 0, 0);

CREATE TABLE suppliers (
    id              TEXT PRIMARY KEY NOT NULL,
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    contact_person  TEXT CHECK (contact_person IS NULL OR length(contact_person) <= 200),
    email           TEXT CHECK (email IS NULL OR length(email) <= 254),
    phone           TEXT CHECK (phone IS NULL OR length(phone) <= 20),
    website         TEXT CHECK (website IS NULL OR length(website) <= 200),
    notes           TEXT CHECK (notes IS NULL OR length(notes) <= 2000),
    is_active       BOOLEAN NOT NULL DEFAULT TRUE,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX suppliers_name ON suppliers (name);

CREATE TABLE materials (
    id                TEXT PRIMARY KEY NOT NULL,
    sku               TEXT NOT NULL CHECK (length(sku) BETWEEN 1 AND 50),
    name              TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description       TEXT CHECK (description IS NULL OR length(description) <= 2000),
    material_type     TEXT NOT NULL CHECK (material_type IN ('ppf_film', 'adhesive', 'cleaning_solution', 'tool', 'consumable')),
    category_id       TEXT REFERENCES material_categories (id) ON DELETE RESTRICT,
    brand             TEXT CHECK (brand IS NULL OR length(brand) <= 100),
    model             TEXT CHECK (model IS NULL OR length(model) <= 100),
    unit_of_measure   TEXT NOT NULL CHECK (unit_of_measure IN ('piece', 'meter', 'liter', 'gram', 'roll')),
    -- Stock levels, never negative: a move that would take `current_stock` below zero is
    -- refused by the ledger, and this CHECK refuses it again whatever writes.
    current_stock     DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (current_stock >= 0),
    minimum_stock     DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (minimum_stock >= 0),
    maximum_stock     DOUBLE PRECISION CHECK (maximum_stock IS NULL OR maximum_stock >= 0),
    -- At or below this the material is low on stock (`material.low_stock` when a move crosses it).
    reorder_point     DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (reorder_point >= 0),
    unit_cost         BIGINT NOT NULL DEFAULT 0 CHECK (unit_cost >= 0),
    currency          TEXT NOT NULL DEFAULT 'EUR' CHECK (length(currency) = 3),
    supplier_id       TEXT REFERENCES suppliers (id) ON DELETE RESTRICT,
    -- `YYYY-MM-DD`.
    expiry_date       TEXT CHECK (expiry_date IS NULL OR length(expiry_date) = 10),
    batch_number      TEXT CHECK (batch_number IS NULL OR length(batch_number) <= 100),
    storage_location  TEXT CHECK (storage_location IS NULL OR length(storage_location) <= 100),
    is_active         BOOLEAN NOT NULL DEFAULT TRUE,
    is_discontinued   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    created_by        TEXT REFERENCES users (id),
    deleted_at        BIGINT,
    deleted_by        TEXT REFERENCES users (id)
);

-- A SKU names one live material; a deleted one frees its SKU.
CREATE UNIQUE INDEX materials_sku ON materials (sku) WHERE deleted_at IS NULL;
-- The list's filters and order.
CREATE INDEX materials_name ON materials (name COLLATE NOCASE) WHERE deleted_at IS NULL;
CREATE INDEX materials_category ON materials (category_id) WHERE deleted_at IS NULL;
CREATE INDEX materials_supplier ON materials (supplier_id) WHERE deleted_at IS NULL;

-- The ledger: one row per stock change, written in the transaction that changes the stock.
-- Append-only: the triggers below refuse any UPDATE or DELETE, so a mistake is corrected by an
-- adjustment. `quantity` is the size of the move (an adjustment's is the counted stock);
-- `new_stock - previous_stock` is its effect.
CREATE TABLE inventory_transactions (
    id                TEXT PRIMARY KEY NOT NULL,
    material_id       TEXT NOT NULL REFERENCES materials (id) ON DELETE RESTRICT,
    transaction_type  TEXT NOT NULL CHECK (transaction_type IN ('stock_in', 'stock_out', 'adjustment', 'transfer', 'waste', 'return')),
    quantity          DOUBLE PRECISION NOT NULL CHECK (quantity >= 0),
    previous_stock    DOUBLE PRECISION NOT NULL CHECK (previous_stock >= 0),
    new_stock         DOUBLE PRECISION NOT NULL CHECK (new_stock >= 0),
    reference_number  TEXT CHECK (reference_number IS NULL OR length(reference_number) <= 100),
    reference_type    TEXT CHECK (reference_type IS NULL OR length(reference_type) <= 50),
    notes             TEXT CHECK (notes IS NULL OR length(notes) <= 1000),
    intervention_id   TEXT REFERENCES interventions (id) ON DELETE RESTRICT,
    step_id           TEXT REFERENCES intervention_steps (id) ON DELETE RESTRICT,
    performed_by      TEXT NOT NULL REFERENCES users (id),
    performed_at      BIGINT NOT NULL,
    -- The order of the ledger: a material's rows by `seq` chain previous_stock to new_stock.
    seq               BIGINT NOT NULL
);
CREATE UNIQUE INDEX inventory_transactions_material ON inventory_transactions (material_id, seq);
CREATE INDEX inventory_transactions_performed ON inventory_transactions (performed_at);

CREATE FUNCTION inventory_transactions_append_only_update_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the stock ledger is append-only: correct it with an adjustment';
END;
$$;
CREATE TRIGGER inventory_transactions_append_only_update BEFORE UPDATE ON inventory_transactions
FOR EACH ROW EXECUTE FUNCTION inventory_transactions_append_only_update_fn();

CREATE FUNCTION inventory_transactions_append_only_delete_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the stock ledger is append-only: correct it with an adjustment';
END;
$$;
CREATE TRIGGER inventory_transactions_append_only_delete BEFORE DELETE ON inventory_transactions
FOR EACH ROW EXECUTE FUNCTION inventory_transactions_append_only_delete_fn();

-- What an intervention's step used; each row's stock moves are in the ledger.
CREATE TABLE material_consumption (
    id               TEXT PRIMARY KEY NOT NULL,
    intervention_id  TEXT NOT NULL REFERENCES interventions (id) ON DELETE RESTRICT,
    material_id      TEXT NOT NULL REFERENCES materials (id) ON DELETE RESTRICT,
    step_id          TEXT REFERENCES intervention_steps (id) ON DELETE RESTRICT,
    step_number      BIGINT CHECK (step_number IS NULL OR step_number >= 1),
    quantity_used    DOUBLE PRECISION NOT NULL CHECK (quantity_used >= 0),
    -- Cents: the material's unit cost when recorded, and (used + waste) × that cost.
    unit_cost        BIGINT NOT NULL CHECK (unit_cost >= 0),
    total_cost       BIGINT NOT NULL CHECK (total_cost >= 0),
    waste_quantity   DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (waste_quantity >= 0),
    waste_reason     TEXT CHECK (waste_reason IS NULL OR length(waste_reason) <= 500),
    batch_used       TEXT CHECK (batch_used IS NULL OR length(batch_used) <= 100),
    expiry_used      TEXT CHECK (expiry_used IS NULL OR length(expiry_used) = 10),
    quality_notes    TEXT CHECK (quality_notes IS NULL OR length(quality_notes) <= 1000),
    recorded_by      TEXT NOT NULL REFERENCES users (id),
    recorded_at      BIGINT NOT NULL,
    CHECK (quantity_used + waste_quantity > 0)
);
CREATE INDEX material_consumption_intervention ON material_consumption (intervention_id, recorded_at);
CREATE INDEX material_consumption_material ON material_consumption (material_id, recorded_at);
CREATE INDEX material_consumption_recorded ON material_consumption (recorded_at);
