package dev.qfed.server.store;

import dev.qfed.server.jobs.JobStore;
import dev.qfed.server.leases.LeaseStore;
import dev.qfed.server.leases.LeaseStore.LeaseRowState;
import dev.qfed.server.testing.Engine;
import dev.qfed.server.testing.Fixtures;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL: the statements that name many rows by key probe the key's index even when the plan they run was made
 * while the tables were small. A prepared statement keeps its generic plan until the table is analysed, so a plan
 * made in a young broker's first seconds (a join that scans the whole table) would otherwise stay while the table
 * grows (see {@code JobStore.byIds}).
 */
class KeyLookupPlansIT {
    private static final int SMALL = 200;
    private static final int GROWN = 20_000;

    private Database db;
    private final JobStore jobs = new JobStore(Database.Dialect.POSTGRESQL);
    private final LeaseStore leases = new LeaseStore(Database.Dialect.POSTGRESQL);
    private String agent;
    private String backend;

    @BeforeEach
    void open() {
        db = Database.open(Engine.Postgres.newDatabase(), null, null, 2);
        db.migrate();
        agent = Fixtures.unique("agent");
        backend = Fixtures.unique("b");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        db.jdbi().useTransaction(h -> Fixtures.site(h, agent, backend, now));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void lookupsByKeyScanNoTableWithPlansMadeWhileTheTablesWereSmall() {
        db.jdbi().useHandle(h -> {
            // One session throughout, so the plans made below are the ones used after the tables grow; generic
            // plans at once rather than after the driver's and the server's five custom ones.
            h.execute("SET plan_cache_mode = force_generic_plan");
            fill(h, 0, SMALL);
            for (int i = 0; i < 3; i++) {
                h.useTransaction(t -> lookUp(t));
            }
            fill(h, SMALL, GROWN);
            h.useTransaction(t -> {
                long before = seqScans(t);
                lookUp(t);
                assertThat(seqScans(t) - before).as("sequential scans of jobs, leases, results and job_events")
                        .isZero();
                t.rollback();
            });
        });
    }

    @Test
    void theClaimFindsQueuedJobsThroughTheIndexOfJobsInFlight() {
        db.jdbi().useHandle(h -> {
            fill(h, 0, GROWN); // ended jobs: RUNNING rows, then completed below
            h.execute("UPDATE jobs SET state = 'COMPLETED'");
            h.execute("UPDATE jobs SET state = 'QUEUED' WHERE id IN ('job-000007', 'job-000009')");
            h.execute("ANALYZE jobs");
            String plan = String.join("\n", h.createQuery("EXPLAIN SELECT id FROM jobs WHERE backend = :b AND "
                    + "state = 'QUEUED' ORDER BY id LIMIT 10").bind("b", backend).mapTo(String.class).list());
            assertThat(plan).contains("jobs_active").doesNotContain("Seq Scan");
        });
    }

    /** Every statement that names rows by an array of keys, on rows near the start and the end of the ids. */
    private void lookUp(Handle h) {
        List<String> jobIds = List.of(id("job", 3), id("job", 1), id("job", SMALL - 1));
        List<String> leaseIds = List.of(id("lease", 2), id("lease", SMALL - 2));
        assertThat(jobs.briefs(h, jobIds)).hasSize(3);
        assertThat(jobs.findAny(h, jobIds)).hasSize(3);
        assertThat(jobs.findAllForUpdate(h, jobIds)).hasSize(3);
        assertThat(jobs.findResults(h, jobIds)).hasSize(3);
        assertThat(jobs.failures(h, jobIds)).isEmpty();
        assertThat(leases.findAll(h, leaseIds)).hasSize(2);
        leases.extend(h, leaseIds, Instant.now().plusSeconds(600));
        leases.end(h, Map.of(leaseIds.get(0), LeaseRowState.COMPLETED), Instant.now());
    }

    /** Jobs with a lease, a result and events each, ids {@code from} (inclusive) to {@code to}. */
    private void fill(Handle h, int from, int to) {
        h.createUpdate("INSERT INTO jobs (id, member, project, user_name, state, backend, backend_requested, shots, "
                        + "circuit_count, tags, attempt, max_attempts, submitted_at) SELECT 'job-' || lpad(g::text, 6, "
                        + "'0'), 'aurora', 'default', 'ada', 'RUNNING', :b, :b, 100, 1, '{}', 1, 3, now() "
                        + "FROM generate_series(:from, :to - 1) g")
                .bind("b", backend).bind("from", from).bind("to", to).execute();
        h.createUpdate("INSERT INTO leases (id, job_id, agent_id, attempt, state, granted_at, expires_at) "
                        + "SELECT 'lease-' || lpad(g::text, 6, '0'), 'job-' || lpad(g::text, 6, '0'), :a, 1, 'ACTIVE', "
                        + "now(), now() + interval '1 minute' FROM generate_series(:from, :to - 1) g")
                .bind("a", agent).bind("from", from).bind("to", to).execute();
        h.createUpdate("INSERT INTO results (job_id, lease_id, attempt, body, received_at) SELECT 'job-' || "
                        + "lpad(g::text, 6, '0'), 'lease-' || lpad(g::text, 6, '0'), 1, '{}', now() "
                        + "FROM generate_series(:from, :to - 1) g")
                .bind("from", from).bind("to", to).execute();
        h.createUpdate("INSERT INTO job_events (job_id, from_state, to_state, event, attempt, at) SELECT 'job-' || "
                        + "lpad(g::text, 6, '0'), 'QUEUED', 'ASSIGNED', 'LEASE', 1, now() "
                        + "FROM generate_series(:from, :to - 1) g")
                .bind("from", from).bind("to", to).execute();
    }

    private static String id(String kind, int n) {
        return "%s-%06d".formatted(kind, n);
    }

    /** Sequential scans of the tables the look-ups read, so far in this transaction. */
    private static long seqScans(Handle h) {
        return h.createQuery("SELECT sum(pg_stat_get_xact_numscans(CAST(t AS regclass))) FROM unnest(ARRAY"
                        + "['jobs', 'leases', 'results', 'job_events']) AS t")
                .mapTo(Long.class).one();
    }
}
