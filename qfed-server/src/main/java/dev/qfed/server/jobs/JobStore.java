package dev.qfed.server.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.qfed.api.ApiJson;
import dev.qfed.api.AttemptFailure;
import dev.qfed.api.CircuitSpec;
import dev.qfed.server.store.Database;
import dev.qfed.server.store.Jdbc;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * SQL of the job capability: {@code jobs}, {@code job_circuits}, {@code job_tags}, {@code job_events},
 * {@code results} and {@code idempotency_keys}. Every method runs on the caller's {@link Handle}, so a service
 * decides what one transaction holds; {@link #insert} and {@link #claim} are atomic by themselves. Every state
 * change goes through {@link #transition} (or {@link #claim} for leasing), which checks it against
 * {@link JobLifecycle} and appends the {@code job_events} row.
 */
public final class JobStore {
    private final Database.Dialect dialect;
    private final String lockQueuedSql;

    /**
     * @param dialect decides the shape of the hot statements. On PostgreSQL a submit and a claim are each one
     *                statement (data-modifying common table expressions), so on a handle in auto-commit mode each
     *                is one round trip and one commit. On H2, which has no such expressions, they are batches in
     *                one transaction. The claim query differs too: PostgreSQL locks only the rows a LIMIT lets
     *                through, so it can sort; H2 locks every row it has to sort before the LIMIT (so a second
     *                claimer would skip them all and find nothing), so there the query leaves the order to the
     *                {@code jobs_backend_state} index, which yields a backend's queued jobs in id order anyway.
     */
    public JobStore(Database.Dialect dialect) {
        this.dialect = dialect;
        String select = "SELECT " + COLUMNS + " FROM jobs WHERE backend = ? AND state = 'QUEUED' ";
        this.lockQueuedSql = switch (dialect) {
            case POSTGRESQL -> select + "ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED";
            case H2 -> select + "LIMIT ? FOR UPDATE SKIP LOCKED";
        };
    }

    static final String COLUMNS = "id, member, project, user_name, state, backend, backend_requested, shots, "
            + "circuit_count, tags, attempt, max_attempts, lease_id, submitted_at, assigned_at, started_at, finished_at, "
            + "seed";
    /** {@link #COLUMNS} of the table aliased {@code j}, for joins. */
    private static final String J_COLUMNS = "j." + COLUMNS.replace(", ", ", j.");

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
    private static final TypeReference<Map<String, Double>> DOUBLE_MAP = new TypeReference<>() { };

    /** A job ready to be inserted. */
    public record NewJob(String id, String member, String project, String user, String backend,
                         String backendRequested, int shots, Map<String, String> tags, int maxAttempts,
                         Instant submittedAt, Optional<Long> seed) {
    }

    /** A circuit ready to be inserted. */
    public record NewCircuit(CircuitSpec spec, int numQubits) {
    }

    /** The submitter's idempotency key and the hash of the request it came with. */
    public record IdempotencyKey(String key, String requestHash) {
    }

    /** A stored result: the JSON body as the agent sent it, and which lease sent it. */
    public record StoredResult(String jobId, String leaseId, int attempt, String body, Instant receivedAt) {
    }

    /** Filters of {@code GET /v1/jobs}; empty means any. */
    public record ListFilter(Optional<String> project, Set<JobState> states, Map<String, String> tags,
                             Optional<String> backend) {
    }

    // ---- creation ----

    private static final String INSERT_JOB_COLUMNS = "id, member, project, user_name, state, backend, "
            + "backend_requested, shots, circuit_count, tags, attempt, max_attempts, submitted_at, seed";
    private static final String JOB_VALUES = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, CAST(? AS BIGINT)";
    private static final String INSERT_KEY = "INSERT INTO idempotency_keys (member, user_name, idem_key, "
            + "request_hash, job_id, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    /** The rest of a PostgreSQL submit, after the CTE {@code j} that inserted the job: circuits, tags, event. */
    private static final String PG_SUBMIT_REST = "c AS (INSERT INTO job_circuits (job_id, idx, name, qasm, "
            + "parameters, num_qubits) SELECT j.id, u.n - 1, u.name, u.qasm, u.parameters, u.num_qubits FROM j "
            + "CROSS JOIN unnest(CAST(? AS VARCHAR[]), CAST(? AS TEXT[]), CAST(? AS VARCHAR[]), "
            + "CAST(? AS INTEGER[])) WITH ORDINALITY AS u (name, qasm, parameters, num_qubits, n)), "
            + "t AS (INSERT INTO job_tags (job_id, k, v) SELECT j.id, u.k, u.v FROM j "
            + "CROSS JOIN unnest(CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[])) AS u (k, v)) "
            + "INSERT INTO job_events (job_id, from_state, to_state, event, attempt, reason, at) "
            + "SELECT j.id, NULL, ?, 'SUBMIT', 0, NULL, ? FROM j";
    /** Without a key: the job row unconditionally. */
    private static final String PG_SUBMIT = "WITH j AS (INSERT INTO jobs (" + INSERT_JOB_COLUMNS + ") VALUES ("
            + JOB_VALUES + ") RETURNING id), " + PG_SUBMIT_REST;
    /** With a key: the job row only if the key was new, so a used key writes nothing at all. */
    private static final String PG_SUBMIT_KEYED = "WITH k AS (" + INSERT_KEY + " RETURNING job_id), "
            + "j AS (INSERT INTO jobs (" + INSERT_JOB_COLUMNS + ") SELECT " + JOB_VALUES + " FROM k RETURNING id), "
            + PG_SUBMIT_REST;

    /**
     * Inserts a job with its circuits, tags, first event and (when given) idempotency key, all or nothing: on
     * PostgreSQL in one statement, which commits by itself on a handle in auto-commit mode; on H2 in batches in the
     * handle's transaction, begun here when there is none.
     *
     * @return false, with nothing written, when the submitter already used {@code key} (the caller then reads what
     *         the key names); true when the job was written
     */
    public boolean insert(Handle h, NewJob job, List<NewCircuit> circuits, Optional<IdempotencyKey> key) {
        Object[] jobValues = {job.id(), job.member(), job.project(), job.user(), JobLifecycle.submit().name(),
                job.backend(), job.backendRequested(), job.shots(), circuits.size(), json(job.tags()),
                job.maxAttempts(), job.submittedAt(), job.seed().orElse(null)};
        return switch (dialect) {
            case POSTGRESQL -> insertOneStatement(h, job, circuits, key, jobValues);
            case H2 -> h.inTransaction(t -> insertBatches(t, job, circuits, key, jobValues));
        };
    }

    private boolean insertOneStatement(Handle h, NewJob job, List<NewCircuit> circuits, Optional<IdempotencyKey> key,
                                       Object[] jobValues) {
        int n = circuits.size();
        String[] names = new String[n];
        String[] qasm = new String[n];
        String[] parameters = new String[n];
        Integer[] qubits = new Integer[n];
        for (int i = 0; i < n; i++) {
            CircuitSpec spec = circuits.get(i).spec();
            names[i] = spec.name().orElse(null);
            qasm[i] = spec.qasm();
            parameters[i] = json(spec.parameters());
            qubits[i] = circuits.get(i).numQubits();
        }
        String[] tagKeys = job.tags().keySet().toArray(String[]::new);
        String[] tagValues = new String[tagKeys.length];
        for (int i = 0; i < tagKeys.length; i++) {
            tagValues[i] = job.tags().get(tagKeys[i]);
        }
        List<Object> args = new ArrayList<>(24);
        key.ifPresent(k -> args.addAll(List.of(job.member(), job.user(), k.key(), k.requestHash(), job.id(),
                job.submittedAt())));
        args.addAll(Arrays.asList(jobValues));
        args.addAll(List.of(Jdbc.array(h, "varchar", names), Jdbc.array(h, "text", qasm),
                Jdbc.array(h, "varchar", parameters), Jdbc.array(h, "int4", qubits),
                Jdbc.array(h, "varchar", tagKeys), Jdbc.array(h, "varchar", tagValues),
                JobLifecycle.INITIAL.name(), job.submittedAt()));
        return Jdbc.update(h, key.isPresent() ? PG_SUBMIT_KEYED : PG_SUBMIT, args.toArray()) == 1;
    }

    private boolean insertBatches(Handle h, NewJob job, List<NewCircuit> circuits, Optional<IdempotencyKey> key,
                                  Object[] jobValues) {
        // The key first: a used key then costs one statement and leaves nothing to roll back.
        if (key.isPresent() && Jdbc.update(h, INSERT_KEY, job.member(), job.user(), key.get().key(),
                key.get().requestHash(), job.id(), job.submittedAt()) == 0) {
            return false;
        }
        Jdbc.update(h, "INSERT INTO jobs (" + INSERT_JOB_COLUMNS + ") VALUES (" + JOB_VALUES + ")", jobValues);
        List<Object[]> rows = new ArrayList<>(circuits.size());
        for (int i = 0; i < circuits.size(); i++) {
            CircuitSpec spec = circuits.get(i).spec();
            rows.add(new Object[] {job.id(), i, spec.name().orElse(null), spec.qasm(), json(spec.parameters()),
                    circuits.get(i).numQubits()});
        }
        Jdbc.batch(h, "INSERT INTO job_circuits (job_id, idx, name, qasm, parameters, num_qubits) "
                + "VALUES (?, ?, ?, ?, ?, ?)", rows);
        if (!job.tags().isEmpty()) {
            List<Object[]> tags = new ArrayList<>();
            job.tags().forEach((k, v) -> tags.add(new Object[] {job.id(), k, v}));
            Jdbc.batch(h, "INSERT INTO job_tags (job_id, k, v) VALUES (?, ?, ?)", tags);
        }
        appendEvent(h, job.id(), null, JobLifecycle.INITIAL, JobEvent.SUBMIT, 0, null, job.submittedAt());
        return true;
    }

    /** The request hash and job of an idempotency key the caller used before. */
    public Optional<Map.Entry<String, String>> findIdempotencyKey(Handle h, String member, String user, String key) {
        return Jdbc.queryOne(h, "SELECT request_hash, job_id FROM idempotency_keys "
                        + "WHERE member = ? AND user_name = ? AND idem_key = ?",
                rs -> Map.entry(rs.getString(1), rs.getString(2)), member, user, key);
    }

    /** Forgets idempotency keys older than {@code cutoff}; returns how many. */
    public int deleteIdempotencyKeysBefore(Handle h, Instant cutoff) {
        return h.createUpdate("DELETE FROM idempotency_keys WHERE created_at < :cutoff").bind("cutoff", cutoff)
                .execute();
    }

    // ---- reads ----

    public Optional<JobRow> find(Handle h, String id) {
        return Jdbc.queryOne(h, "SELECT " + COLUMNS + " FROM jobs WHERE id = ?", JobStore::row, id);
    }

    /** The job, locked until the transaction ends. */
    public Optional<JobRow> findForUpdate(Handle h, String id) {
        return Jdbc.queryOne(h, "SELECT " + COLUMNS + " FROM jobs WHERE id = ? FOR UPDATE", JobStore::row, id);
    }

    /** A job and, when one was accepted, its result's body. */
    public record JobWithResult(JobRow job, Optional<String> resultBody) {
    }

    /** The job and its result (if any) in one read: what a result poll needs. */
    public Optional<JobWithResult> findWithResult(Handle h, String id) {
        return Jdbc.queryOne(h, "SELECT " + J_COLUMNS + ", r.body FROM jobs j LEFT JOIN results r ON r.job_id = j.id "
                + "WHERE j.id = ?", rs -> new JobWithResult(row(rs), Optional.ofNullable(rs.getString("body"))), id);
    }

    /** The jobs, locked until the transaction ends; locked in id order, so two lockers cannot deadlock. */
    public List<JobRow> findAllForUpdate(Handle h, Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return Jdbc.query(h, switch (dialect) {
            // Each probe locks its row, in the order of the array: sorted, so that is id order too.
            case POSTGRESQL -> byIds(COLUMNS, "jobs", "id", "", true) + " ORDER BY t.id";
            case H2 -> byIds(COLUMNS, "jobs", "id") + " ORDER BY t.id FOR UPDATE";
        }, JobStore::row, idArray(h, new TreeSet<>(ids)));
    }

    public List<JobRow> findAll(Handle h, Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return Jdbc.query(h, "SELECT " + COLUMNS + " FROM jobs WHERE id IN (" + Jdbc.markers(ids.size())
                + ") ORDER BY id", JobStore::row, ids.toArray());
    }

    /**
     * Locks up to {@code limit} queued jobs of {@code backend}, oldest first, skipping rows another transaction
     * holds: concurrent claimers (threads or broker replicas) never wait for or take the same job.
     */
    public List<JobRow> lockQueued(Handle h, String backend, int limit) {
        return Jdbc.query(h, lockQueuedSql, JobStore::row, backend, limit);
    }

    /**
     * How many jobs queued on the job's backend were submitted before it. It counts rows, so it costs in
     * proportion to the queue: only a user's read of one job asks for it.
     */
    public long queuePosition(Handle h, JobRow job) {
        return Jdbc.queryOne(h, "SELECT COUNT(*) FROM jobs WHERE backend = ? AND state = 'QUEUED' AND id < ?",
                rs -> rs.getLong(1), job.backend(), job.id()).orElseThrow();
    }

    /**
     * One page of a member's jobs (every member's when {@code member} is empty), newest first, strictly older than
     * {@code before} when given.
     */
    public List<JobRow> list(Handle h, Optional<String> member, ListFilter filter, Optional<String> before,
                             int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM jobs j WHERE 1 = 1");
        member.ifPresent(m -> sql.append(" AND member = :member"));
        filter.project().ifPresent(p -> sql.append(" AND project = :project"));
        filter.backend().ifPresent(b -> sql.append(" AND backend = :backend"));
        if (!filter.states().isEmpty()) {
            sql.append(" AND state IN (<states>)");
        }
        int t = 0;
        // A scalar subquery per tag, not EXISTS: PostgreSQL turns EXISTS into a semi-join, and for a tag value newer
        // than the table's statistics (a run's own tag, say) it estimated one matching row and rescanned all of the
        // tag's rows for every job: 17-19 s for the 5,500 jobs of one benchmark run's listing. A scalar subquery runs
        // per candidate job as one probe of the primary key (job_id, k), whatever the statistics.
        for (int i = 0; i < filter.tags().size(); i++) {
            sql.append(" AND (SELECT g.v FROM job_tags g WHERE g.job_id = j.id AND g.k = :tk").append(i)
                    .append(") = :tv").append(i);
        }
        before.ifPresent(b -> sql.append(" AND id < :before"));
        sql.append(" ORDER BY id DESC LIMIT :limit");
        Query q = h.createQuery(sql.toString()).bind("limit", limit);
        member.ifPresent(m -> q.bind("member", m));
        filter.project().ifPresent(p -> q.bind("project", p));
        filter.backend().ifPresent(b -> q.bind("backend", b));
        if (!filter.states().isEmpty()) {
            q.bindList("states", filter.states().stream().map(Enum::name).toList());
        }
        for (Map.Entry<String, String> tag : filter.tags().entrySet()) {
            q.bind("tk" + t, tag.getKey()).bind("tv" + t, tag.getValue());
            t++;
        }
        before.ifPresent(b -> q.bind("before", b));
        return q.map(ROW).list();
    }

    /** The circuits of each job, in submission order. */
    public Map<String, List<CircuitSpec>> circuits(Handle h, Collection<String> jobIds) {
        Map<String, List<CircuitSpec>> out = new HashMap<>();
        if (jobIds.isEmpty()) {
            return out;
        }
        Jdbc.query(h, "SELECT job_id, name, qasm, parameters FROM job_circuits WHERE job_id IN ("
                        + Jdbc.markers(jobIds.size()) + ") ORDER BY job_id, idx",
                rs -> Map.entry(rs.getString(1), circuit(rs, 2)), jobIds.toArray())
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return out;
    }

    /** A circuit from the columns name, qasm, parameters starting at {@code first}. */
    private static CircuitSpec circuit(ResultSet rs, int first) throws SQLException {
        return new CircuitSpec(rs.getString(first + 1), Optional.ofNullable(rs.getString(first)),
                read(rs.getString(first + 2), DOUBLE_MAP));
    }

    /**
     * Whether the job can have failures to list: a RETRY or FAIL event. A retry queues the job again at the same
     * attempt and only the next lease counts it up, so a job without a FAIL has had none while it is at attempt 0,
     * or at attempt 1 and leased or past it.
     */
    public static boolean mayHaveFailures(JobRow job) {
        return switch (job.state()) {
            case FAILED -> true;
            case QUEUED, CANCELLED -> job.attempt() >= 1;
            case ASSIGNED, RUNNING, CANCEL_REQUESTED, COMPLETED -> job.attempt() >= 2;
        };
    }

    /** Why earlier attempts of each job ended without a result, oldest first. */
    public Map<String, List<AttemptFailure>> failures(Handle h, Collection<String> jobIds) {
        Map<String, List<AttemptFailure>> out = new HashMap<>();
        if (jobIds.isEmpty()) {
            return out;
        }
        Jdbc.query(h, byIds("job_id, attempt, reason, at", "job_events", "job_id",
                        "t.event IN ('RETRY', 'FAIL') AND t.reason IS NOT NULL", false) + " ORDER BY t.job_id, t.id",
                rs -> Map.entry(rs.getString(1), new AttemptFailure(rs.getInt(2), rs.getString(3), instant(rs, 4))),
                idArray(h, jobIds))
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return out;
    }

    /** The transitions of one job, oldest first: (from or null, to, event, attempt, reason or null, at). */
    public List<EventRow> events(Handle h, String jobId) {
        return h.createQuery("SELECT from_state, to_state, event, attempt, reason, at FROM job_events "
                        + "WHERE job_id = :id ORDER BY id")
                .bind("id", jobId)
                .map((rs, ctx) -> new EventRow(
                        Optional.ofNullable(rs.getString(1)).map(JobState::valueOf), JobState.valueOf(rs.getString(2)),
                        JobEvent.valueOf(rs.getString(3)), rs.getInt(4), Optional.ofNullable(rs.getString(5)),
                        instant(rs, 6)))
                .list();
    }

    /** One row of {@code job_events}. */
    public record EventRow(Optional<JobState> from, JobState to, JobEvent event, int attempt, Optional<String> reason,
                           Instant at) {
    }

    // ---- transitions ----

    /**
     * Moves a job (locked by the caller) on {@code event} and appends the event row: {@link #transitions()} for
     * one transition.
     *
     * @return the new state
     * @throws IllegalTransitionException if the lifecycle does not allow the event
     * @throws IllegalStateException      if the row was not in {@code job.state()} (a caller that did not lock)
     */
    public JobState transition(Handle h, JobRow job, JobEvent event, Optional<String> reason, Instant now) {
        Transitions t = transitions();
        JobState to = t.apply(job, event, reason, now).state();
        t.write(h);
        return to;
    }

    /** An empty set of transitions to apply to locked jobs and write together. */
    public Transitions transitions() {
        return new Transitions();
    }

    /**
     * Transitions of jobs the caller has locked, checked against {@link JobLifecycle} and applied in memory in the
     * order given, then written by {@link #write} together: one row update per job (its final state, guarded by
     * the state it was locked in, so a job that moved twice — started and completed in one agent report — is
     * updated once) and one event row per transition, each table in one statement on PostgreSQL (array
     * parameters) or in one JDBC batch on H2. Not thread-safe; one per transaction.
     */
    public final class Transitions {
        private final Map<String, JobRow> before = new LinkedHashMap<>();
        private final Map<String, JobRow> after = new LinkedHashMap<>();
        private final List<EventRow> events = new ArrayList<>();
        private final List<String> eventJobs = new ArrayList<>();

        private Transitions() {
        }

        /**
         * Moves {@code job} on {@code event}. {@code job} is the row as locked, or as an earlier {@code apply} of
         * this set returned it.
         *
         * @return the job as it will be stored
         * @throws IllegalTransitionException if the lifecycle does not allow the event
         */
        public JobRow apply(JobRow job, JobEvent event, Optional<String> reason, Instant now) {
            JobState to = JobLifecycle.next(job.state(), event);
            JobRow moved = switch (event) {
                case START -> with(job, to, job.leaseId(), Optional.of(now), job.finishedAt());
                case RETRY -> with(job, to, Optional.empty(), job.startedAt(), job.finishedAt());
                // The attempt given back is not counted: the next lease starts it again.
                case RELEASE -> withAttempt(with(job, to, Optional.empty(), Optional.empty(), job.finishedAt()),
                        job.attempt() - 1);
                case COMPLETE, FAIL, CONFIRM_CANCEL ->
                        with(job, to, Optional.empty(), job.startedAt(), Optional.of(now));
                case CANCEL -> to.isFinal() ? with(job, to, Optional.empty(), job.startedAt(), Optional.of(now))
                        : with(job, to, job.leaseId(), job.startedAt(), job.finishedAt());
                case SUBMIT, LEASE -> throw new IllegalArgumentException(event + " has its own method");
            };
            before.putIfAbsent(job.id(), job);
            after.put(job.id(), moved);
            events.add(new EventRow(Optional.of(job.state()), to, event, job.attempt(),
                    reason.map(r -> truncate(r, 2000)), now));
            eventJobs.add(job.id());
            return moved;
        }

        /**
         * Writes every transition applied so far, in the caller's transaction.
         *
         * @throws IllegalStateException if a job was not in the state it was applied from (a caller that did not
         *                               lock it)
         */
        public void write(Handle h) {
            if (after.isEmpty()) {
                return;
            }
            List<JobRow> from = List.copyOf(before.values());
            List<JobRow> to = List.copyOf(after.values());
            switch (dialect) {
                case POSTGRESQL -> writeArrays(h, from, to);
                case H2 -> writeBatches(h, from, to);
            }
            before.clear();
            after.clear();
            events.clear();
            eventJobs.clear();
        }

        private void writeArrays(Handle h, List<JobRow> from, List<JobRow> to) {
            int n = to.size();
            String[] ids = new String[n];
            String[] fromStates = new String[n];
            String[] states = new String[n];
            String[] leases = new String[n];
            String[] started = new String[n];
            String[] finished = new String[n];
            Integer[] attempts = new Integer[n];
            for (int i = 0; i < n; i++) {
                JobRow j = to.get(i);
                ids[i] = j.id();
                fromStates[i] = from.get(i).state().name();
                states[i] = j.state().name();
                leases[i] = j.leaseId().orElse(null);
                started[i] = j.startedAt().map(Instant::toString).orElse(null);
                finished[i] = j.finishedAt().map(Instant::toString).orElse(null);
                attempts[i] = j.attempt();
            }
            int updated = Jdbc.update(h, PG_UPDATE_JOBS, Jdbc.array(h, "varchar", ids),
                    Jdbc.array(h, "varchar", fromStates), Jdbc.array(h, "varchar", states),
                    Jdbc.array(h, "varchar", leases), Jdbc.array(h, "varchar", started),
                    Jdbc.array(h, "varchar", finished), Jdbc.array(h, "int4", attempts));
            if (updated != n) {
                throw notInState(from);
            }
            int m = events.size();
            String[] jobIds = eventJobs.toArray(String[]::new);
            String[] eventFrom = new String[m];
            String[] eventTo = new String[m];
            String[] names = new String[m];
            Integer[] eventAttempts = new Integer[m];
            String[] reasons = new String[m];
            String[] at = new String[m];
            for (int i = 0; i < m; i++) {
                EventRow e = events.get(i);
                eventFrom[i] = e.from().map(Enum::name).orElse(null);
                eventTo[i] = e.to().name();
                names[i] = e.event().name();
                eventAttempts[i] = e.attempt();
                reasons[i] = e.reason().orElse(null);
                at[i] = e.at().toString();
            }
            Jdbc.update(h, PG_INSERT_EVENTS, Jdbc.array(h, "varchar", jobIds), Jdbc.array(h, "varchar", eventFrom),
                    Jdbc.array(h, "varchar", eventTo), Jdbc.array(h, "varchar", names),
                    Jdbc.array(h, "int4", eventAttempts), Jdbc.array(h, "varchar", reasons),
                    Jdbc.array(h, "varchar", at));
        }

        private void writeBatches(Handle h, List<JobRow> from, List<JobRow> to) {
            List<Object[]> updates = new ArrayList<>(to.size());
            for (int i = 0; i < to.size(); i++) {
                JobRow j = to.get(i);
                updates.add(new Object[] {j.state().name(), j.leaseId().orElse(null), j.startedAt().orElse(null),
                        j.finishedAt().orElse(null), j.attempt(), j.id(), from.get(i).state().name()});
            }
            int[] counts = Jdbc.batch(h, "UPDATE jobs SET state = ?, lease_id = ?, started_at = ?, finished_at = ?, "
                    + "attempt = ? WHERE id = ? AND state = ?", updates);
            for (int count : counts) {
                // Batched statements may report SUCCESS_NO_INFO (-2) instead of a count.
                if (count == 0) {
                    throw notInState(from);
                }
            }
            List<Object[]> rows = new ArrayList<>(events.size());
            for (int i = 0; i < events.size(); i++) {
                EventRow e = events.get(i);
                rows.add(new Object[] {eventJobs.get(i), e.from().map(Enum::name).orElse(null), e.to().name(),
                        e.event().name(), e.attempt(), e.reason().orElse(null), e.at()});
            }
            Jdbc.batch(h, INSERT_EVENT, rows);
        }

        private static IllegalStateException notInState(List<JobRow> from) {
            return new IllegalStateException("a job of " + from.stream().map(j -> j.id() + " (" + j.state() + ")")
                    .toList() + " was not in the state its transition was applied from; lock it first");
        }
    }

    private static JobRow withAttempt(JobRow j, int attempt) {
        return new JobRow(j.id(), j.member(), j.project(), j.user(), j.state(), j.backend(), j.backendRequested(),
                j.shots(), j.circuitCount(), j.tags(), attempt, j.maxAttempts(), j.leaseId(), j.submittedAt(),
                j.assignedAt(), j.startedAt(), j.finishedAt(), j.seed());
    }

    private static JobRow with(JobRow j, JobState state, Optional<String> leaseId, Optional<Instant> startedAt,
                               Optional<Instant> finishedAt) {
        return new JobRow(j.id(), j.member(), j.project(), j.user(), state, j.backend(), j.backendRequested(),
                j.shots(), j.circuitCount(), j.tags(), j.attempt(), j.maxAttempts(), leaseId, j.submittedAt(),
                j.assignedAt(), startedAt, finishedAt, j.seed());
    }

    private static final String INSERT_EVENT = "INSERT INTO job_events (job_id, from_state, to_state, event, attempt, "
            + "reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)";
    /**
     * Each job's final row, guarded by the state it was locked in; times travel as ISO-8601 text. Each row is found
     * by key (see {@link #byIds(String, String, String)}), locked (the caller holds the lock already; taking it
     * again makes the ctid current whoever calls), then updated by its ctid.
     */
    private static final String PG_UPDATE_JOBS = "UPDATE jobs j SET state = u.state, lease_id = u.lease_id, "
            + "started_at = CAST(u.started_at AS TIMESTAMPTZ), finished_at = CAST(u.finished_at AS TIMESTAMPTZ), "
            + "attempt = u.attempt "
            + "FROM " + Jdbc.lockedProbe("unnest(CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]), "
            + "CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]), CAST(? AS INTEGER[])) "
            + "AS u (id, from_state, state, lease_id, started_at, finished_at, attempt)", "jobs")
            + " WHERE j.ctid = u.tid AND j.state = u.from_state";
    /** The event rows in the order given, so that a job's events get ascending ids. */
    private static final String PG_INSERT_EVENTS = "INSERT INTO job_events (job_id, from_state, to_state, event, "
            + "attempt, reason, at) SELECT u.job_id, u.from_state, u.to_state, u.event, u.attempt, u.reason, "
            + "CAST(u.at AS TIMESTAMPTZ) FROM unnest(CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]), "
            + "CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]), CAST(? AS INTEGER[]), CAST(? AS VARCHAR[]), "
            + "CAST(? AS VARCHAR[])) WITH ORDINALITY "
            + "AS u (job_id, from_state, to_state, event, attempt, reason, at, n) "
            + "ORDER BY u.n";

    /**
     * A job claimed under a new lease.
     *
     * @param job      the job as it was while queued (its previous attempt, when it was last assigned)
     * @param leaseId  the new lease
     * @param attempt  the attempt the lease starts
     * @param circuits the job's circuits, in submission order
     */
    public record Claimed(JobRow job, String leaseId, int attempt, List<CircuitSpec> circuits) {
    }

    /**
     * The PostgreSQL claim: lock the oldest queued jobs of a backend (skipping rows other claimers hold), mark
     * them ASSIGNED under the lease ids given in order, insert their leases and LEASE events, and return them with
     * their circuits, one row per circuit. The lease rows belong to the lease capability; they are written here so
     * that the claim stays one statement.
     *
     * <p>The update finds the picked rows by their physical address ({@code ctid}, stable while the statement holds
     * their locks), not by id: joined by id, the prepared statement's plan depended on the table's statistics, and
     * with those of a young, fast-growing table (analyzed at most once a minute) it scanned all of {@code jobs} for
     * every claim (5 ms per claim at 7,000 jobs in the broker benchmark). A TID scan costs the same whatever the
     * statistics say.
     */
    private static final String PG_CLAIM = "WITH picked AS (SELECT ctid AS tid, id, attempt, assigned_at FROM jobs "
            + "WHERE backend = ? AND state = 'QUEUED' ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED), "
            + "numbered AS (SELECT tid, id, attempt, assigned_at, row_number() OVER (ORDER BY id) AS n FROM picked), "
            + "upd AS (UPDATE jobs j SET state = ?, attempt = numbered.attempt + 1, "
            + "lease_id = (CAST(? AS VARCHAR[]))[numbered.n], assigned_at = ?, started_at = NULL FROM numbered "
            + "WHERE j.ctid = numbered.tid AND j.state = 'QUEUED' RETURNING " + J_COLUMNS + ", "
            + "numbered.attempt AS queued_attempt, numbered.assigned_at AS queued_assigned_at), "
            + "l AS (INSERT INTO leases (id, job_id, agent_id, attempt, state, granted_at, expires_at) "
            + "SELECT lease_id, id, ?, attempt, 'ACTIVE', ?, ? FROM upd), "
            + "e AS (INSERT INTO job_events (job_id, from_state, to_state, event, attempt, reason, at) "
            + "SELECT id, 'QUEUED', ?, 'LEASE', attempt, NULL, ? FROM upd) "
            + "SELECT upd.*, c.name AS circuit_name, c.qasm, c.parameters FROM upd "
            + "JOIN job_circuits c ON c.job_id = upd.id ORDER BY upd.id, c.idx";

    /**
     * Claims up to {@code leaseIds.size()} queued jobs of {@code backend}, oldest first, for {@code agentId}: each
     * job moves QUEUED → ASSIGNED under the next lease id, with its lease row and LEASE event. Rows another claimer
     * holds are skipped, so concurrent claimers (threads or broker replicas) never wait for or take the same job.
     * All or nothing: on PostgreSQL one statement (which commits by itself on a handle in auto-commit mode), on H2
     * a few in the handle's transaction, begun here when there is none.
     */
    public List<Claimed> claim(Handle h, String backend, List<String> leaseIds, String agentId, Instant now,
                               Instant expires) {
        if (leaseIds.isEmpty()) {
            return List.of();
        }
        JobState to = JobLifecycle.next(JobState.QUEUED, JobEvent.LEASE);
        return switch (dialect) {
            case POSTGRESQL -> claimOneStatement(h, backend, leaseIds, agentId, to, now, expires);
            case H2 -> h.inTransaction(t -> claimBatches(t, backend, leaseIds, agentId, to, now, expires));
        };
    }

    private List<Claimed> claimOneStatement(Handle h, String backend, List<String> leaseIds, String agentId,
                                            JobState to, Instant now, Instant expires) {
        record CircuitOf(JobRow queued, String leaseId, int attempt, CircuitSpec circuit) {
        }
        List<CircuitOf> rows = Jdbc.query(h, PG_CLAIM, rs -> {
            JobRow leased = row(rs);
            JobRow queued = new JobRow(leased.id(), leased.member(), leased.project(), leased.user(), JobState.QUEUED,
                    leased.backend(), leased.backendRequested(), leased.shots(), leased.circuitCount(), leased.tags(),
                    rs.getInt("queued_attempt"), leased.maxAttempts(), Optional.empty(), leased.submittedAt(),
                    Optional.ofNullable(instant(rs, "queued_assigned_at")), Optional.empty(), Optional.empty(),
                    leased.seed());
            return new CircuitOf(queued, leased.leaseId().orElseThrow(), leased.attempt(),
                    new CircuitSpec(rs.getString("qasm"), Optional.ofNullable(rs.getString("circuit_name")),
                            read(rs.getString("parameters"), DOUBLE_MAP)));
        }, backend, leaseIds.size(), to.name(), Jdbc.array(h, "varchar", leaseIds.toArray()), now, agentId, now,
                expires, to.name(), now);
        List<Claimed> out = new ArrayList<>();
        for (CircuitOf r : rows) {
            if (out.isEmpty() || !out.getLast().job().id().equals(r.queued().id())) {
                out.add(new Claimed(r.queued(), r.leaseId(), r.attempt(), new ArrayList<>()));
            }
            out.getLast().circuits().add(r.circuit());
        }
        return out.stream().map(c -> new Claimed(c.job(), c.leaseId(), c.attempt(), List.copyOf(c.circuits())))
                .toList();
    }

    private List<Claimed> claimBatches(Handle h, String backend, List<String> leaseIds, String agentId, JobState to,
                                       Instant now, Instant expires) {
        List<JobRow> locked = lockQueued(h, backend, leaseIds.size());
        if (locked.isEmpty()) {
            return List.of();
        }
        List<Object[]> updates = new ArrayList<>(locked.size());
        List<Object[]> events = new ArrayList<>(locked.size());
        List<Object[]> leaseRows = new ArrayList<>(locked.size());
        for (int i = 0; i < locked.size(); i++) {
            JobRow job = locked.get(i);
            int attempt = job.attempt() + 1;
            updates.add(new Object[] {to.name(), attempt, leaseIds.get(i), now, job.id()});
            events.add(new Object[] {job.id(), to.name(), attempt, now});
            leaseRows.add(new Object[] {leaseIds.get(i), job.id(), agentId, attempt, now, expires});
        }
        int[] counts = Jdbc.batch(h, "UPDATE jobs SET state = ?, attempt = ?, lease_id = ?, assigned_at = ?, "
                + "started_at = NULL WHERE id = ? AND state = 'QUEUED'", updates);
        for (int i = 0; i < counts.length; i++) {
            // Batched statements may report SUCCESS_NO_INFO (-2) instead of a count.
            if (counts[i] == 0) {
                throw new IllegalStateException("job " + locked.get(i).id() + " was no longer QUEUED");
            }
        }
        Jdbc.batch(h, "INSERT INTO job_events (job_id, from_state, to_state, event, attempt, reason, at) "
                + "VALUES (?, 'QUEUED', ?, 'LEASE', ?, NULL, ?)", events);
        Jdbc.batch(h, "INSERT INTO leases (id, job_id, agent_id, attempt, state, granted_at, expires_at) "
                + "VALUES (?, ?, ?, ?, 'ACTIVE', ?, ?)", leaseRows);
        Map<String, List<CircuitSpec>> circuits = circuits(h, locked.stream().map(JobRow::id).toList());
        List<Claimed> out = new ArrayList<>(locked.size());
        for (int i = 0; i < locked.size(); i++) {
            JobRow job = locked.get(i);
            out.add(new Claimed(job, leaseIds.get(i), job.attempt() + 1, circuits.get(job.id())));
        }
        return out;
    }

    private void appendEvent(Handle h, String jobId, JobState from, JobState to, JobEvent event, int attempt,
                             String reason, Instant at) {
        Jdbc.update(h, INSERT_EVENT, jobId, from == null ? null : from.name(), to.name(), event.name(), attempt,
                truncate(reason, 2000), at);
    }

    // ---- results ----

    /**
     * Inserts results; the primary key refuses a second result for a job (the statement fails). One statement on
     * PostgreSQL, one batch on H2.
     */
    public void insertResults(Handle h, List<StoredResult> results) {
        if (results.isEmpty()) {
            return;
        }
        switch (dialect) {
            case POSTGRESQL -> {
                int n = results.size();
                String[] jobIds = new String[n];
                String[] leaseIds = new String[n];
                Integer[] attempts = new Integer[n];
                String[] bodies = new String[n];
                String[] at = new String[n];
                for (int i = 0; i < n; i++) {
                    StoredResult r = results.get(i);
                    jobIds[i] = r.jobId();
                    leaseIds[i] = r.leaseId();
                    attempts[i] = r.attempt();
                    bodies[i] = r.body();
                    at[i] = r.receivedAt().toString();
                }
                Jdbc.update(h, "INSERT INTO results (job_id, lease_id, attempt, body, received_at) SELECT u.job_id, "
                        + "u.lease_id, u.attempt, u.body, CAST(u.at AS TIMESTAMPTZ) FROM unnest(CAST(? AS VARCHAR[]), "
                        + "CAST(? AS VARCHAR[]), CAST(? AS INTEGER[]), CAST(? AS TEXT[]), CAST(? AS VARCHAR[])) "
                        + "AS u (job_id, lease_id, attempt, body, at)", Jdbc.array(h, "varchar", jobIds),
                        Jdbc.array(h, "varchar", leaseIds), Jdbc.array(h, "int4", attempts),
                        Jdbc.array(h, "text", bodies), Jdbc.array(h, "varchar", at));
            }
            case H2 -> Jdbc.batch(h, "INSERT INTO results (job_id, lease_id, attempt, body, received_at) "
                    + "VALUES (?, ?, ?, ?, ?)", results.stream().map(r -> new Object[] {r.jobId(), r.leaseId(),
                    r.attempt(), r.body(), r.receivedAt()}).toList());
        }
    }

    public Optional<StoredResult> findResult(Handle h, String jobId) {
        return Jdbc.queryOne(h, "SELECT job_id, lease_id, attempt, body, received_at FROM results WHERE job_id = ?",
                rs -> new StoredResult(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                        instant(rs, 5)), jobId);
    }

    // ---- many jobs at once (POST /v1/jobs/wait) ----

    /** A job's owner and state, without the rest of its row. */
    public record JobBrief(String id, String member, JobState state) {
    }

    /**
     * Owner and state of those of {@code ids} that exist, in no particular order. One statement with one array
     * parameter whatever the number of ids, so the driver prepares it once.
     */
    public List<JobBrief> briefs(Handle h, Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return Jdbc.query(h, byIds("id, member, state", "jobs", "id"),
                rs -> new JobBrief(rs.getString(1), rs.getString(2), JobState.valueOf(rs.getString(3))),
                idArray(h, ids));
    }

    /** The full rows of those of {@code ids} that exist, in no particular order. */
    public List<JobRow> findAny(Handle h, Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return Jdbc.query(h, byIds(COLUMNS, "jobs", "id"), JobStore::row, idArray(h, ids));
    }

    /** The stored results of those of {@code jobIds} that have one, by job id. */
    public Map<String, StoredResult> findResults(Handle h, Collection<String> jobIds) {
        Map<String, StoredResult> out = new HashMap<>();
        if (jobIds.isEmpty()) {
            return out;
        }
        Jdbc.query(h, byIds("job_id, lease_id, attempt, body, received_at", "results", "job_id"),
                rs -> new StoredResult(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                        instant(rs, 5)), idArray(h, jobIds))
                .forEach(r -> out.put(r.jobId(), r));
        return out;
    }

    /**
     * The rows of {@code table} whose {@code key} is in one array parameter. On PostgreSQL neither {@code key =
     * ANY(?)} nor a join with {@code unnest(?)}: a prepared statement keeps the generic plan it made while the table
     * was small until the table is next analysed, and for a young broker's tables (autovacuum analyses after a
     * minute at the earliest) that plan scans the whole table — compares every row with every element of the array
     * ({@code ANY}), or hashes the array and joins ({@code unnest}): 17–36 ms per call over a few thousand leases in
     * the broker benchmark, growing with the table. A {@code LATERAL} subquery that the planner cannot flatten
     * ({@code OFFSET 0}) is probed once per element, and a probe by key takes the key's index however small the
     * table looks (the probe statements in {@code LeaseStore} and the job updates rely on the same form).
     */
    private String byIds(String columns, String table, String key) {
        return byIds(columns, table, key, "", false);
    }

    /**
     * {@link #byIds(String, String, String)} with a further condition on the table, aliased {@code t}; {@code lock}
     * (PostgreSQL only) locks each row as it is probed, in the order of the array.
     */
    private String byIds(String columns, String table, String key, String condition, boolean lock) {
        String where = "t." + key + (dialect == Database.Dialect.POSTGRESQL ? " = u.k" : " = ANY(?)")
                + (condition.isEmpty() ? "" : " AND " + condition);
        String from = switch (dialect) {
            case POSTGRESQL -> " FROM unnest(CAST(? AS VARCHAR[])) AS u (k) CROSS JOIN LATERAL (SELECT * FROM "
                    + table + " t WHERE " + where + " OFFSET 0" + (lock ? " FOR UPDATE" : "") + ") t";
            case H2 -> " FROM " + table + " t WHERE " + where;
        };
        return "SELECT " + columns.replaceAll("(^|, )", "$1t.") + from;
    }

    private static java.sql.Array idArray(Handle h, Collection<String> ids) {
        try {
            return h.getConnection().createArrayOf("varchar", ids.toArray());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot bind an array of ids: " + e.getMessage(), e);
        }
    }

    // ---- mapping ----

    private static final RowMapper<JobRow> ROW = (rs, ctx) -> row(rs);

    private static JobRow row(ResultSet rs) throws SQLException {
        return new JobRow(rs.getString("id"), rs.getString("member"), rs.getString("project"),
                rs.getString("user_name"), JobState.valueOf(rs.getString("state")), rs.getString("backend"),
                rs.getString("backend_requested"), rs.getInt("shots"), rs.getInt("circuit_count"),
                read(rs.getString("tags"), STRING_MAP), rs.getInt("attempt"), rs.getInt("max_attempts"),
                Optional.ofNullable(rs.getString("lease_id")), instant(rs, "submitted_at"),
                Optional.ofNullable(instant(rs, "assigned_at")), Optional.ofNullable(instant(rs, "started_at")),
                Optional.ofNullable(instant(rs, "finished_at")), seed(rs));
    }

    private static Optional<Long> seed(ResultSet rs) throws SQLException {
        long seed = rs.getLong("seed");
        return rs.wasNull() ? Optional.empty() : Optional.of(seed);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static String json(Object value) {
        return ApiJson.write(value);
    }

    static <T> T read(String json, TypeReference<T> type) {
        try {
            return ApiJson.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
