-- A counter per table that SQLite itself bumps in the same transaction as every change to a
-- row of that table, so a reader that sees a version also sees every change it counts.
--
-- The task list keeps finished pages keyed by the version they were read at
-- (`tasks::page_cache`): a page is served again only while `tasks` is still at that version.
-- Because the triggers run inside the writer's transaction, no write path (REST, import,
-- seeding, a migration, another process on the same file) can change a task without moving
-- the version.
CREATE TABLE data_versions (
    name    TEXT PRIMARY KEY,
    version INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO data_versions (name, version) VALUES ('tasks', 0);

CREATE TRIGGER tasks_version_insert AFTER INSERT ON tasks
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'tasks';
END;

CREATE TRIGGER tasks_version_update AFTER UPDATE ON tasks
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'tasks';
END;

CREATE TRIGGER tasks_version_delete AFTER DELETE ON tasks
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'tasks';
END;
