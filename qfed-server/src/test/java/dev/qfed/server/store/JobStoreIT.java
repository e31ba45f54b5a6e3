package dev.qfed.server.store;

import dev.qfed.api.CircuitSpec;
import dev.qfed.server.jobs.IllegalTransitionException;
import dev.qfed.server.jobs.JobEvent;
import dev.qfed.server.jobs.JobRow;
import dev.qfed.server.jobs.JobState;
import dev.qfed.server.jobs.JobStore;
import dev.qfed.server.testing.Engine;
import dev.qfed.server.testing.Fixtures;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The job store against both engines: the claim query's locking, and transitions with their event rows. */
@ParameterizedClass
@EnumSource(Engine.class)
class JobStoreIT {
    @Parameter
    Engine engine;

    @TempDir
    Path dir;

    private Database db;
    private JobStore jobs;
    private final Ids ids = new Ids(Clock.systemUTC());
    private String backend;
    private String agent;

    @BeforeEach
    void open() {
        db = Database.open(engine.newDatabaseUrl(dir), null, null, 4);
        db.migrate();
        jobs = new JobStore(db.dialect());
        backend = Fixtures.unique("b");
        Instant now = now();
        agent = ids.next();
        db.jdbi().useTransaction(h -> Fixtures.site(h, agent, backend, now));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private List<JobStore.EventRow> events(String id) {
        return db.jdbi().withHandle(h -> jobs.events(h, id));
    }

    private Optional<Map.Entry<String, String>> key() {
        return db.jdbi().withHandle(h -> jobs.findIdempotencyKey(h, "aurora", "alice", "k"));
    }

    private Optional<JobStore.StoredResult> result(String id) {
        return db.jdbi().withHandle(h -> jobs.findResult(h, id));
    }

    private String insertJob() {
        return insertJob(Optional.empty());
    }

    private String insertJob(Optional<Long> seed) {
        String id = ids.next();
        assertThat(insert(id, Optional.empty(), List.of(new JobStore.NewCircuit(CircuitSpec.of("x"), 2)), seed))
                .isTrue();
        return id;
    }

    private boolean insert(String id, Optional<JobStore.IdempotencyKey> key, List<JobStore.NewCircuit> circuits) {
        return insert(id, key, circuits, Optional.empty());
    }

    /** Inserts on a handle in auto-commit mode, as the submit does. */
    private boolean insert(String id, Optional<JobStore.IdempotencyKey> key, List<JobStore.NewCircuit> circuits,
                           Optional<Long> seed) {
        return db.jdbi().withHandle(h -> jobs.insert(h, new JobStore.NewJob(id, "aurora", "default", "alice",
                backend, "auto", 100, Map.of("k", "v", "run", "7"), 3, now(), seed), circuits, key));
    }

    private List<JobStore.Claimed> claim(int n) {
        List<String> leaseIds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leaseIds.add(ids.next());
        }
        Instant now = now();
        return db.jdbi().withHandle(h -> jobs.claim(h, backend, leaseIds, agent, now, now.plusSeconds(60)));
    }

    private long count(String sql, String id) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).bind(0, id).mapTo(Long.class).one());
    }

    @Test
    void aJobReadsBackAsItWasWrittenWithItsFirstEvent() {
        String id = insertJob();
        JobRow row = db.jdbi().withHandle(h -> jobs.find(h, id)).orElseThrow();
        assertThat(row.state()).isEqualTo(JobState.QUEUED);
        assertThat(row.tags()).containsEntry("k", "v");
        assertThat(row.leaseId()).isEmpty();
        var events = events(id);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.from()).isEmpty();
            assertThat(e.to()).isEqualTo(JobState.QUEUED);
            assertThat(e.event()).isEqualTo(JobEvent.SUBMIT);
        });
    }

    @Test
    void claimersSkipRowsAnotherTransactionHoldsInsteadOfWaiting() throws Exception {
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            all.add(insertJob());
        }
        try (Handle first = db.jdbi().open()) {
            first.begin();
            List<String> mine = jobs.lockQueued(first, backend, 2).stream().map(JobRow::id).toList();
            // A second transaction on another connection while the first still holds its rows: with SKIP LOCKED it
            // returns the other two at once; without it, it would wait for the first (which waits for it) and fail.
            List<String> theirs = CompletableFuture.supplyAsync(() -> db.jdbi().inTransaction(h ->
                    jobs.lockQueued(h, backend, 4).stream().map(JobRow::id).toList())).get();
            first.commit();
            assertThat(mine).hasSize(2);
            assertThat(theirs).hasSize(2).doesNotContainAnyElementsOf(mine);
            Set<String> union = new HashSet<>(mine);
            union.addAll(theirs);
            assertThat(union).isEqualTo(all);
        }
    }

    @Test
    void queuedJobsAreClaimedOldestFirst() {
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            submitted.add(insertJob());
        }
        List<String> claimed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            claimed.add(db.jdbi().inTransaction(h -> {
                JobRow row = jobs.lockQueued(h, backend, 1).getFirst();
                jobs.transition(h, row, JobEvent.CANCEL, Optional.empty(), now());
                return row.id();
            }));
        }
        assertThat(claimed).containsExactlyElementsOf(submitted);
    }

    @Test
    void aTransitionAndItsEventRowCommitOrRollBackTogether() {
        String id = insertJob();
        try (Handle h = db.jdbi().open()) {
            h.begin();
            JobRow row = jobs.findForUpdate(h, id).orElseThrow();
            jobs.transition(h, row, JobEvent.CANCEL, Optional.of("changed my mind"), now());
            h.rollback();
        }
        assertThat(db.jdbi().withHandle(h -> jobs.find(h, id)).orElseThrow().state()).isEqualTo(JobState.QUEUED);
        assertThat(events(id)).hasSize(1);

        db.jdbi().useTransaction(h -> jobs.transition(h, jobs.findForUpdate(h, id).orElseThrow(), JobEvent.CANCEL,
                Optional.of("changed my mind"), now()));
        JobRow cancelled = db.jdbi().withHandle(h -> jobs.find(h, id)).orElseThrow();
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.finishedAt()).isPresent();
        assertThat(events(id)).extracting(JobStore.EventRow::event)
                .containsExactly(JobEvent.SUBMIT, JobEvent.CANCEL);
    }

    @Test
    void aTransitionTheLifecycleDoesNotAllowChangesNothing() {
        String id = insertJob();
        assertThatThrownBy(() -> db.jdbi().useTransaction(h ->
                jobs.transition(h, jobs.findForUpdate(h, id).orElseThrow(), JobEvent.COMPLETE, Optional.empty(), now())))
                .isInstanceOf(IllegalTransitionException.class);
        assertThat(events(id)).hasSize(1);
    }

    @Test
    void aStaleRowCannotBeMovedTwice() {
        String id = insertJob();
        JobRow stale = db.jdbi().withHandle(h -> jobs.find(h, id)).orElseThrow();
        db.jdbi().useTransaction(h -> jobs.transition(h, stale, JobEvent.CANCEL, Optional.empty(), now()));
        assertThatThrownBy(() -> db.jdbi().useTransaction(h ->
                jobs.transition(h, stale, JobEvent.CANCEL, Optional.empty(), now())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("lock it first");
    }

    @Test
    void transitionsAppliedTogetherUpdateEachJobOnceAndKeepEveryEventInOrder() {
        String first = insertJob();
        String second = insertJob();
        claim(2);
        Instant started = now();
        Instant done = started.plusMillis(3);
        db.jdbi().useTransaction(h -> {
            JobStore.Transitions t = jobs.transitions();
            List<JobRow> locked = jobs.findAllForUpdate(h, List.of(first, second));
            JobRow running = t.apply(locked.get(0), JobEvent.START, Optional.empty(), started);
            t.apply(running, JobEvent.COMPLETE, Optional.empty(), done);
            t.apply(locked.get(1), JobEvent.RETRY, Optional.of("agent lost"), started);
            t.write(h);
        });
        JobRow completed = db.jdbi().withHandle(h -> jobs.find(h, first)).orElseThrow();
        assertThat(completed.state()).isEqualTo(JobState.COMPLETED);
        assertThat(completed.startedAt()).contains(started);
        assertThat(completed.finishedAt()).contains(done);
        assertThat(completed.leaseId()).isEmpty();
        assertThat(events(first)).extracting(JobStore.EventRow::event)
                .containsExactly(JobEvent.SUBMIT, JobEvent.LEASE, JobEvent.START, JobEvent.COMPLETE);
        JobRow requeued = db.jdbi().withHandle(h -> jobs.find(h, second)).orElseThrow();
        assertThat(requeued.state()).isEqualTo(JobState.QUEUED);
        assertThat(requeued.leaseId()).isEmpty();
        assertThat(events(second).getLast().reason()).contains("agent lost");
    }

    @Test
    void aSetOfTransitionsWithOneStaleJobWritesNothing() {
        String fresh = insertJob();
        String moved = insertJob();
        JobRow stale = db.jdbi().withHandle(h -> jobs.find(h, moved)).orElseThrow();
        db.jdbi().useTransaction(h -> jobs.transition(h, stale, JobEvent.CANCEL, Optional.empty(), now()));
        assertThatThrownBy(() -> db.jdbi().useTransaction(h -> {
            JobStore.Transitions t = jobs.transitions();
            t.apply(jobs.findForUpdate(h, fresh).orElseThrow(), JobEvent.CANCEL, Optional.empty(), now());
            t.apply(stale, JobEvent.CANCEL, Optional.empty(), now());
            t.write(h);
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("lock it first");
        assertThat(db.jdbi().withHandle(h -> jobs.find(h, fresh)).orElseThrow().state()).isEqualTo(JobState.QUEUED);
        assertThat(events(fresh)).hasSize(1);
    }

    @Test
    void manyJobsAreReadByIdsWithUnknownIdsLeftOut() {
        List<String> known = List.of(insertJob(), insertJob(), insertJob());
        List<String> asked = new ArrayList<>(known);
        for (int i = 0; i < 200; i++) {
            asked.add(ids.next());
        }
        db.jdbi().useTransaction(h -> jobs.insertResults(h, List.of(
                new JobStore.StoredResult(known.get(1), "lease-1", 1, "{}", now()))));
        db.jdbi().useHandle(h -> {
            assertThat(jobs.briefs(h, asked)).extracting(JobStore.JobBrief::id)
                    .containsExactlyInAnyOrderElementsOf(known);
            assertThat(jobs.findAny(h, asked)).extracting(JobRow::id).containsExactlyInAnyOrderElementsOf(known);
            assertThat(jobs.findResults(h, asked)).containsOnlyKeys(known.get(1));
        });
    }

    @Test
    void aJobIsWrittenWithAllItsCircuitsAndTags() {
        String id = ids.next();
        insert(id, Optional.empty(), List.of(new JobStore.NewCircuit(CircuitSpec.of("a"), 1),
                new JobStore.NewCircuit(new CircuitSpec("b", Optional.of("second"), Map.of("theta", 0.5)), 2),
                new JobStore.NewCircuit(CircuitSpec.of("c"), 3)));
        assertThat(db.jdbi().withHandle(h -> jobs.circuits(h, List.of(id))).get(id)).containsExactly(
                CircuitSpec.of("a"), new CircuitSpec("b", Optional.of("second"), Map.of("theta", 0.5)),
                CircuitSpec.of("c"));
        assertThat(count("SELECT COUNT(*) FROM job_tags WHERE job_id = ?", id)).isEqualTo(2);
        assertThat(db.jdbi().withHandle(h -> jobs.find(h, id)).orElseThrow().circuitCount()).isEqualTo(3);
    }

    @Test
    void aUsedIdempotencyKeyWritesNothingAndTheFirstJobKeepsIt() {
        String first = ids.next();
        String second = ids.next();
        var circuits = List.of(new JobStore.NewCircuit(CircuitSpec.of("x"), 2));
        assertThat(insert(first, Optional.of(new JobStore.IdempotencyKey("k", "h1")), circuits)).isTrue();
        assertThat(insert(second, Optional.of(new JobStore.IdempotencyKey("k", "h2")), circuits)).isFalse();
        assertThat(key()).contains(Map.entry("h1", first));
        Optional<JobRow> notWritten = db.jdbi().withHandle(h -> jobs.find(h, second));
        assertThat(notWritten).isEmpty();
        for (String table : List.of("job_circuits", "job_tags", "job_events")) {
            assertThat(count("SELECT COUNT(*) FROM " + table + " WHERE job_id = ?", second)).as(table).isZero();
        }
    }

    @Test
    void aSubmittersSeedIsStoredAndComesBackWithTheClaim() {
        String seeded = insertJob(Optional.of(Long.MAX_VALUE));
        String unseeded = insertJob();
        assertThat(db.jdbi().withHandle(h -> jobs.find(h, seeded)).orElseThrow().seed()).contains(Long.MAX_VALUE);
        assertThat(claim(2)).extracting(c -> c.job().id(), c -> c.job().seed())
                .containsExactly(tuple(seeded, Optional.of(Long.MAX_VALUE)), tuple(unseeded, Optional.empty()));
    }

    @Test
    void aClaimLeasesTheOldestJobsWithTheirLeaseRowsEventsAndCircuits() {
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            submitted.add(insertJob());
        }
        List<JobStore.Claimed> claimed = claim(2);
        assertThat(claimed).extracting(c -> c.job().id()).containsExactlyElementsOf(submitted.subList(0, 2));
        for (JobStore.Claimed c : claimed) {
            assertThat(c.attempt()).isEqualTo(1);
            assertThat(c.job().attempt()).isZero();
            assertThat(c.job().state()).isEqualTo(JobState.QUEUED);
            assertThat(c.circuits()).containsExactly(CircuitSpec.of("x"));
            JobRow now = db.jdbi().withHandle(h -> jobs.find(h, c.job().id())).orElseThrow();
            assertThat(now.state()).isEqualTo(JobState.ASSIGNED);
            assertThat(now.leaseId()).contains(c.leaseId());
            assertThat(now.attempt()).isEqualTo(1);
            assertThat(events(c.job().id())).extracting(JobStore.EventRow::event)
                    .containsExactly(JobEvent.SUBMIT, JobEvent.LEASE);
            assertThat(count("SELECT COUNT(*) FROM leases WHERE id = ? AND state = 'ACTIVE'", c.leaseId()))
                    .isEqualTo(1);
        }
        assertThat(claimed.stream().map(JobStore.Claimed::leaseId).distinct()).hasSize(2);
        assertThat(claim(5)).extracting(c -> c.job().id()).containsExactly(submitted.get(2));
        assertThat(claim(5)).isEmpty();
    }

    @Test
    void aJobQueuedAgainIsClaimedUnderItsNextAttempt() {
        String id = insertJob();
        JobStore.Claimed first = claim(1).getFirst();
        db.jdbi().useTransaction(h -> {
            JobRow row = jobs.findForUpdate(h, id).orElseThrow();
            jobs.transition(h, row, JobEvent.RETRY, Optional.of("agent lost"), now());
        });
        JobStore.Claimed second = claim(1).getFirst();
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.job().attempt()).isEqualTo(1);
        assertThat(second.job().assignedAt()).isPresent();
        assertThat(second.leaseId()).isNotEqualTo(first.leaseId());
    }

    @Test
    void theJobsOwnTablesKeepNoForeignKeyToJobs() {
        Set<String> ownTables = Set.of("job_circuits", "job_tags", "job_events", "leases", "results",
                "idempotency_keys");
        List<String> keys = db.jdbi().withHandle(h -> h.createQuery("SELECT fk.table_name, pk.table_name "
                        + "FROM information_schema.referential_constraints rc "
                        + "JOIN information_schema.table_constraints fk ON fk.constraint_name = rc.constraint_name "
                        + "JOIN information_schema.table_constraints pk "
                        + "ON pk.constraint_name = rc.unique_constraint_name")
                .map((rs, ctx) -> rs.getString(1).toLowerCase(java.util.Locale.ROOT) + " -> "
                        + rs.getString(2).toLowerCase(java.util.Locale.ROOT))
                .list());
        assertThat(keys).filteredOn(k -> ownTables.contains(k.substring(0, k.indexOf(' '))))
                .containsExactly("leases -> agents");
        assertThat(keys).contains("jobs -> backends", "jobs -> projects");
    }

    @Test
    void theSchemaAllowsOneResultPerJob() {
        String id = insertJob();
        var result = new JobStore.StoredResult(id, "lease-1", 1, "{}", now());
        db.jdbi().useTransaction(h -> jobs.insertResults(h, List.of(result)));
        assertThatThrownBy(() -> db.jdbi().useTransaction(h -> jobs.insertResults(h,
                List.of(new JobStore.StoredResult(id, "lease-2", 2, "{}", now())))))
                .hasStackTraceContaining("results");
        assertThat(result(id)).hasValueSatisfying(r ->
                assertThat(r.leaseId()).isEqualTo("lease-1"));
    }

    @Test
    void migrationsRunAgainOnAnUpToDateDatabaseWithoutChange() {
        db.migrate();
        assertThat(db.migrated()).isTrue();
        assertThat(new ArrayList<>(List.of(insertJob()))).hasSize(1);
    }
}
