-- A counter per table that the database itself bumps in the same transaction as every change
-- to a row of that table, so a reader that sees a version also sees every change it counts.
--
-- The task list keeps finished pages keyed by the version they were read at
-- (`tasks::page_cache`): a page is served again only while `tasks` is still at that version.
-- Because the triggers run inside the writer's transaction, no write path (REST, import,
-- seeding, a migration, another process on the same database) can change a task without
-- moving the version.
--
-- PostgreSQL form (the SQLite file is the reference):
-- - No WITHOUT ROWID (PostgreSQL has no rowid); INTEGER is BIGINT.
-- - Each trigger is a PL/pgSQL function `<trigger>_fn`; like any row trigger, none fires on TRUNCATE.
CREATE TABLE data_versions (
    name    TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);

INSERT INTO data_versions (name, version) VALUES ('tasks', 0);

CREATE FUNCTION tasks_version_insert_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'tasks';
    RETURN NULL;
END;
$$;
CREATE TRIGGER tasks_version_insert AFTER INSERT ON tasks
FOR EACH ROW EXECUTE FUNCTION tasks_version_insert_fn();

CREATE FUNCTION tasks_version_update_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'tasks';
    RETURN NULL;
END;
$$;
CREATE TRIGGER tasks_version_update AFTER UPDATE ON tasks
FOR EACH ROW EXECUTE FUNCTION tasks_version_update_fn();

CREATE FUNCTION tasks_version_delete_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'tasks';
    RETURN NULL;
END;
$$;
CREATE TRIGGER tasks_version_delete AFTER DELETE ON tasks
FOR EACH ROW EXECUTE FUNCTION tasks_version_delete_fn();
