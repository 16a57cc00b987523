-- The session cache (`auth::principal::Sessions`) keeps "this session is live, and this is its
-- user" answers keyed by the version of `sessions` they were read at. As for `tasks`, the
-- database moves the version in the writer's own transaction, so no write path can revoke a
-- session or change a user (role, ban, deletion, password, 2FA) without every cached answer
-- going stale: nothing has to remember to empty the cache.
--
-- PostgreSQL form: each trigger is a PL/pgSQL function `<trigger>_fn`; same events and columns.
INSERT INTO data_versions (name, version) VALUES ('sessions', 0);

-- Any change to a user can change what a cached answer holds (role, ban, active, profile).
CREATE FUNCTION users_sessions_version_update_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'sessions';
    RETURN NULL;
END;
$$;
CREATE TRIGGER users_sessions_version_update AFTER UPDATE ON users
FOR EACH ROW EXECUTE FUNCTION users_sessions_version_update_fn();

CREATE FUNCTION users_sessions_version_delete_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'sessions';
    RETURN NULL;
END;
$$;
CREATE TRIGGER users_sessions_version_delete AFTER DELETE ON users
FOR EACH ROW EXECUTE FUNCTION users_sessions_version_delete_fn();

-- A session's end (revocation, expiry moved by a refresh) or owner; not `last_seen_at`, which
-- the check itself writes.
CREATE FUNCTION sessions_version_update_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'sessions';
    RETURN NULL;
END;
$$;
CREATE TRIGGER sessions_version_update AFTER UPDATE OF revoked_at, expires_at, user_id ON sessions
FOR EACH ROW EXECUTE FUNCTION sessions_version_update_fn();

CREATE FUNCTION sessions_version_delete_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'sessions';
    RETURN NULL;
END;
$$;
CREATE TRIGGER sessions_version_delete AFTER DELETE ON sessions
FOR EACH ROW EXECUTE FUNCTION sessions_version_delete_fn();
