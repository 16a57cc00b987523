-- Quotes: what the workshop offers a client before the job (`quotes`, `quote_items`), the
-- status history of each quote, and the counter of `DEV-NNNNN` numbers. Enums are the Rust
-- enums of `quotes::model`, stored as their snake_case names.
--
-- Money is BIGINT cents. `subtotal`, `discount_amount`, `tax_total` and `total` are written
-- by the server from the items on every change (`quotes::totals`, the one function the API,
-- the list and the PDF use), so the list sorts and shows them without recomputing.
--
-- PostgreSQL form: INTEGER is BIGINT, REAL is DOUBLE PRECISION; otherwise as on SQLite.

CREATE TABLE quote_counter (
    name  TEXT PRIMARY KEY NOT NULL,
    last  BIGINT NOT NULL CHECK (last >= 0)
);

CREATE TABLE quotes (
    id               TEXT PRIMARY KEY NOT NULL,
    quote_number     TEXT NOT NULL UNIQUE,
    client_id        TEXT NOT NULL REFERENCES clients (id) ON DELETE RESTRICT,
    -- The task it became (`converted`), or the task it was made for.
    task_id          TEXT REFERENCES tasks (id) ON DELETE SET NULL,
    status           TEXT NOT NULL DEFAULT 'draft' CHECK (status IN (
                         'draft', 'sent', 'accepted', 'rejected', 'expired', 'converted', 'changes_requested')),
    -- `YYYY-MM-DD`: a draft or sent quote past this day is expired on the next read.
    valid_until      TEXT NOT NULL CHECK (length(valid_until) = 10),
    description      TEXT CHECK (description IS NULL OR length(description) <= 2000),
    notes            TEXT CHECK (notes IS NULL OR length(notes) <= 2000),
    terms            TEXT CHECK (terms IS NULL OR length(terms) <= 4000),
    vehicle_plate    TEXT CHECK (vehicle_plate IS NULL OR length(vehicle_plate) <= 20),
    vehicle_make     TEXT CHECK (vehicle_make IS NULL OR length(vehicle_make) <= 100),
    vehicle_model    TEXT CHECK (vehicle_model IS NULL OR length(vehicle_model) <= 100),
    vehicle_year     TEXT CHECK (vehicle_year IS NULL OR length(vehicle_year) = 4),
    vehicle_vin      TEXT CHECK (vehicle_vin IS NULL OR length(vehicle_vin) <= 17),
    -- The zones the job covers (a JSON array of names), carried to the task on conversion.
    ppf_zones        TEXT NOT NULL DEFAULT '[]',
    -- The quote-level discount: a percentage in hundredths of a percent (1000 = 10 %) or a
    -- fixed amount in cents.
    discount_type    TEXT CHECK (discount_type IS NULL OR discount_type IN ('percentage', 'fixed')),
    discount_value   BIGINT NOT NULL DEFAULT 0 CHECK (discount_value >= 0),
    subtotal         BIGINT NOT NULL DEFAULT 0,
    discount_amount  BIGINT NOT NULL DEFAULT 0 CHECK (discount_amount >= 0),
    tax_total        BIGINT NOT NULL DEFAULT 0,
    total            BIGINT NOT NULL DEFAULT 0,
    sent_at          BIGINT,
    answered_at      BIGINT,
    converted_at     BIGINT,
    created_by       TEXT REFERENCES users (id),
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    deleted_at       BIGINT,
    deleted_by       TEXT REFERENCES users (id),
    CHECK (discount_type IS NOT NULL OR discount_value = 0),
    CHECK (discount_type IS NULL OR discount_type <> 'percentage' OR discount_value <= 10000)
);
-- The list: newest first, by status, by client, by total, and the expiry of open quotes. Each
-- order ends on `id` (the list's tie-break), so a page is read off the index in order instead of
-- sorting every quote: at 10,000 quotes that sort was most of a page's time.
CREATE INDEX quotes_created ON quotes (created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX quotes_status ON quotes (status, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX quotes_client ON quotes (client_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX quotes_total ON quotes (total, id) WHERE deleted_at IS NULL;
-- Expiry on read asks for draft and sent quotes past their day: a range of this index per status.
CREATE INDEX quotes_open_until ON quotes (status, valid_until) WHERE deleted_at IS NULL;

CREATE TABLE quote_items (
    id           TEXT PRIMARY KEY NOT NULL,
    quote_id     TEXT NOT NULL REFERENCES quotes (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('labor', 'material', 'service', 'discount')),
    label        TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
    -- A labour line's quantity is hours.
    qty          DOUBLE PRECISION NOT NULL CHECK (qty > 0),
    unit_price   BIGINT NOT NULL CHECK (unit_price >= 0),
    -- Percent (20 = 20 %).
    tax_rate     DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (tax_rate BETWEEN 0 AND 100),
    material_id  TEXT REFERENCES materials (id) ON DELETE SET NULL,
    position     BIGINT NOT NULL CHECK (position >= 1),
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX quote_items_quote ON quote_items (quote_id, position);

-- Each status move, as tasks keep theirs.
CREATE TABLE quote_history (
    id          TEXT PRIMARY KEY NOT NULL,
    quote_id    TEXT NOT NULL REFERENCES quotes (id) ON DELETE CASCADE,
    old_status  TEXT NOT NULL,
    new_status  TEXT NOT NULL,
    reason      TEXT CHECK (reason IS NULL OR length(reason) <= 500),
    changed_at  BIGINT NOT NULL,
    changed_by  TEXT REFERENCES users (id)
);
CREATE INDEX quote_history_quote ON quote_history (quote_id, changed_at);
