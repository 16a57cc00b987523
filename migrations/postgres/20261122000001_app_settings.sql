-- Application-wide settings as typed key/value rows (e.g. whether self sign-up is open).
-- A key/value table rather than one wide row: settings are added by later migrations
-- without altering this table, and each row records who changed it and when.
-- Timestamps in RPMA tables are BIGINT milliseconds since the Unix epoch (UTC): they compare
-- and index exactly; the API shows them as RFC 3339.
--
-- PostgreSQL form (the SQLite file is the reference):
-- - INTEGER is BIGINT: epoch milliseconds exceed 32 bits. No STRICT: columns are always typed.
-- - json_valid(x) is rpma_json(x) IS NOT NULL (below); unlike SQLite it refuses \u0000 and lone \ud800.
-- - The updated_at default is the statement's time in whole ms, as SQLite's 'now' is.

-- `COLLATE NOCASE` (unquoted, so `nocase`) in indexes and queries works as on SQLite: case is
-- ignored. ICU level 2 ignores case beyond ASCII too (SQLite folds A-Z only), also ignores width
-- and invisible characters, and orders non-ASCII letters by the Unicode collation.
CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

-- The parsed JSON of a text, or NULL when it is not JSON: SQLite's json_valid(t) is
-- rpma_json(t) IS NOT NULL, json_type(t) = 'array' is jsonb_typeof(rpma_json(t)) = 'array',
-- json_array_length(t) is jsonb_array_length(rpma_json(t)).
CREATE FUNCTION rpma_json(t text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
    RETURN t::jsonb;
EXCEPTION WHEN others THEN
    RETURN NULL;
END;
$$;

CREATE TABLE app_settings (
    key         TEXT PRIMARY KEY NOT NULL CHECK (length(key) BETWEEN 1 AND 100),
    -- JSON-encoded value, so booleans, numbers and objects keep their type.
    value       TEXT NOT NULL CHECK (rpma_json(value) IS NOT NULL),
    updated_at  BIGINT NOT NULL DEFAULT (trunc(EXTRACT(EPOCH FROM statement_timestamp()) * 1000)::bigint),
    updated_by  TEXT
);
