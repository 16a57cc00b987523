-- Indexes that let the busiest task reads stay inside one index.
--
-- The list's default order is `scheduled_date DESC, start_time DESC, task_number DESC`. With
-- only `(status, scheduled_date)` SQLite had to fetch every row of a day and sort it in a
-- temporary b-tree for each page; with the whole order in the index a page of a status (or of
-- a technician's status) is read in order and stops after `LIMIT` rows.
--
-- `deleted_at` is the last column although a partial index holds only rows where it is NULL:
-- SQLite still tests the query's `deleted_at IS NULL` against a column, and without the
-- column in the index each `count(*)` of a page total reads every matching table row.
--
-- PostgreSQL form: the same indexes, kept identical on both databases.
DROP INDEX tasks_status;
CREATE INDEX tasks_status ON tasks (status, scheduled_date, start_time, task_number, deleted_at)
    WHERE deleted_at IS NULL;

DROP INDEX tasks_technician;
CREATE INDEX tasks_technician ON tasks (technician_id, status, scheduled_date, start_time, task_number, deleted_at)
    WHERE deleted_at IS NULL;

-- `GET /tasks/stats` groups live tasks by status and priority and sums their durations: every
-- column it reads, in group order, so the statistics scan this index and never the table.
CREATE INDEX tasks_stats ON tasks (status, priority, scheduled_date, actual_duration, deleted_at)
    WHERE deleted_at IS NULL;
