-- Application-wide settings as typed key/value rows (e.g. whether self sign-up is open).
-- A key/value table rather than one wide row: settings are added by later migrations
-- without altering this table, and each row records who changed it and when.
-- Timestamps in RPMA tables are INTEGER milliseconds since the Unix epoch (UTC): they compare
-- and index exactly; the API shows them as RFC 3339.
CREATE TABLE app_settings (
    key         TEXT PRIMARY KEY NOT NULL CHECK (length(key) BETWEEN 1 AND 100),
    -- JSON-encoded value, so booleans, numbers and objects keep their type.
    value       TEXT NOT NULL CHECK (json_valid(value)),
    updated_at  INTEGER NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)),
    updated_by  TEXT
) STRICT;
