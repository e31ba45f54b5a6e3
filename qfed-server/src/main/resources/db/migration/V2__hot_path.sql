-- QFed broker schema, version 2: fewer checks and index updates on the statements every job goes through.
-- Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode, like V1.
--
-- Foreign keys from the job's own tables to jobs (circuits, tags, events, leases, results, idempotency keys) only
-- re-checked ids the broker had just written or locked in the same transaction, at the price of an index probe on
-- jobs for every insert (about ten per job). The keys that guard names coming from outside stay: jobs to projects
-- and backends, leases to agents, and those of members, users, agents and backends.
--
-- V1 declared these keys without names, so each engine named them: PostgreSQL TABLE_COLUMN_fkey, H2
-- "CONSTRAINT_…" (upper case, derived from the table). Both spellings are dropped IF EXISTS, so each engine drops
-- its own and ignores the other's. MigrationIT checks that none is left on either engine.
ALTER TABLE job_circuits DROP CONSTRAINT IF EXISTS job_circuits_job_id_fkey;
ALTER TABLE job_circuits DROP CONSTRAINT IF EXISTS "CONSTRAINT_E";
ALTER TABLE job_tags DROP CONSTRAINT IF EXISTS job_tags_job_id_fkey;
ALTER TABLE job_tags DROP CONSTRAINT IF EXISTS "CONSTRAINT_9";
ALTER TABLE job_events DROP CONSTRAINT IF EXISTS job_events_job_id_fkey;
ALTER TABLE job_events DROP CONSTRAINT IF EXISTS "CONSTRAINT_88";
ALTER TABLE leases DROP CONSTRAINT IF EXISTS leases_job_id_fkey;
ALTER TABLE leases DROP CONSTRAINT IF EXISTS "CONSTRAINT_BE";
ALTER TABLE results DROP CONSTRAINT IF EXISTS results_job_id_fkey;
ALTER TABLE results DROP CONSTRAINT IF EXISTS "CONSTRAINT_41";
ALTER TABLE idempotency_keys DROP CONSTRAINT IF EXISTS idempotency_keys_job_id_fkey;
ALTER TABLE idempotency_keys DROP CONSTRAINT IF EXISTS "CONSTRAINT_5";

-- Nothing looks jobs up by their current lease (a lease names its job), and lease_id changes on every lease and
-- every end of an attempt, so the index cost an entry per transition and served no query.
DROP INDEX IF EXISTS jobs_lease;
