package dev.qfed.server.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.qfed.api.ApiJson;
import dev.qfed.api.AttemptFailure;
import dev.qfed.api.CircuitSpec;
import dev.qfed.server.store.Jdbc;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * SQL of the job capability: {@code jobs}, {@code job_circuits}, {@code job_tags}, {@code job_events},
 * {@code results} and {@code idempotency_keys}. Every method runs on the caller's {@link Handle}, so a service
 * decides what one transaction holds. Every state change goes through {@link #transition} (or its batch form for
 * leasing), which checks it against {@link JobLifecycle} and appends the {@code job_events} row.
 */
public final class JobStore {
    private final String lockQueuedSql;

    /**
     * @param dialect decides the claim query: PostgreSQL locks only the rows a LIMIT lets through, so it can sort;
     *                H2 locks every row it has to sort before the LIMIT (so a second claimer would skip them all and
     *                find nothing), so there the query leaves the order to the {@code jobs_backend_state} index, which
     *                yields a backend's queued jobs in id order anyway.
     */
    public JobStore(dev.qfed.server.store.Database.Dialect dialect) {
        String select = "SELECT " + COLUMNS + " FROM jobs WHERE backend = ? AND state = 'QUEUED' ";
        this.lockQueuedSql = switch (dialect) {
            case POSTGRESQL -> select + "ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED";
            case H2 -> select + "LIMIT ? FOR UPDATE SKIP LOCKED";
        };
    }

    static final String COLUMNS = "id, member, project, user_name, state, backend, backend_requested, shots, "
            + "circuit_count, tags, attempt, max_attempts, lease_id, submitted_at, assigned_at, started_at, finished_at";

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
    private static final TypeReference<Map<String, Double>> DOUBLE_MAP = new TypeReference<>() { };

    /** A job ready to be inserted. */
    public record NewJob(String id, String member, String project, String user, String backend,
                         String backendRequested, int shots, Map<String, String> tags, int maxAttempts,
                         Instant submittedAt) {
    }

    /** A circuit ready to be inserted. */
    public record NewCircuit(CircuitSpec spec, int numQubits) {
    }

    /** A stored result: the JSON body as the agent sent it, and which lease sent it. */
    public record StoredResult(String jobId, String leaseId, int attempt, String body, Instant receivedAt) {
    }

    /** Filters of {@code GET /v1/jobs}; empty means any. */
    public record ListFilter(Optional<String> project, Set<JobState> states, Map<String, String> tags,
                             Optional<String> backend) {
    }

    // ---- creation ----

    public void insert(Handle h, NewJob job, List<NewCircuit> circuits) {
        Jdbc.update(h, "INSERT INTO jobs (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, NULL, ?, "
                        + "NULL, NULL, NULL)",
                job.id(), job.member(), job.project(), job.user(), JobLifecycle.submit().name(), job.backend(),
                job.backendRequested(), job.shots(), circuits.size(), json(job.tags()), job.maxAttempts(),
                job.submittedAt());
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
    }

    /** Records an idempotency key; false if the caller already used it (the row is then left as it was). */
    public boolean insertIdempotencyKey(Handle h, String member, String user, String key, String requestHash,
                                        String jobId, Instant now) {
        return h.createUpdate("INSERT INTO idempotency_keys (member, user_name, idem_key, request_hash, job_id, "
                        + "created_at) VALUES (:member, :user, :key, :hash, :job, :now) ON CONFLICT DO NOTHING")
                .bind("member", member).bind("user", user).bind("key", key).bind("hash", requestHash)
                .bind("job", jobId).bind("now", now)
                .execute() == 1;
    }

    /** The request hash and job of an idempotency key the caller used before. */
    public Optional<Map.Entry<String, String>> findIdempotencyKey(Handle h, String member, String user, String key) {
        return h.createQuery("SELECT request_hash, job_id FROM idempotency_keys "
                        + "WHERE member = :member AND user_name = :user AND idem_key = :key")
                .bind("member", member).bind("user", user).bind("key", key)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .findOne();
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

    /** The jobs, locked until the transaction ends; locked in id order, so two lockers cannot deadlock. */
    public List<JobRow> findAllForUpdate(Handle h, Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return h.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE id IN (<ids>) ORDER BY id FOR UPDATE")
                .bindList("ids", List.copyOf(ids)).map(ROW).list();
    }

    public List<JobRow> findAll(Handle h, Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return h.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE id IN (<ids>) ORDER BY id")
                .bindList("ids", List.copyOf(ids)).map(ROW).list();
    }

    /**
     * Locks up to {@code limit} queued jobs of {@code backend}, oldest first, skipping rows another transaction
     * holds: concurrent claimers (threads or broker replicas) never wait for or take the same job.
     */
    public List<JobRow> lockQueued(Handle h, String backend, int limit) {
        return Jdbc.query(h, lockQueuedSql, JobStore::row, backend, limit);
    }

    /** How many jobs queued on the job's backend were submitted before it. */
    public long queuePosition(Handle h, JobRow job) {
        return h.createQuery("SELECT COUNT(*) FROM jobs WHERE backend = :backend AND state = 'QUEUED' AND id < :id")
                .bind("backend", job.backend()).bind("id", job.id())
                .mapTo(Long.class).one();
    }

    /** One page of a member's jobs, newest first, strictly older than {@code before} when given. */
    public List<JobRow> list(Handle h, String member, ListFilter filter, Optional<String> before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM jobs j WHERE member = :member");
        filter.project().ifPresent(p -> sql.append(" AND project = :project"));
        filter.backend().ifPresent(b -> sql.append(" AND backend = :backend"));
        if (!filter.states().isEmpty()) {
            sql.append(" AND state IN (<states>)");
        }
        int t = 0;
        for (int i = 0; i < filter.tags().size(); i++) {
            sql.append(" AND EXISTS (SELECT 1 FROM job_tags g WHERE g.job_id = j.id AND g.k = :tk").append(i)
                    .append(" AND g.v = :tv").append(i).append(')');
        }
        before.ifPresent(b -> sql.append(" AND id < :before"));
        sql.append(" ORDER BY id DESC LIMIT :limit");
        Query q = h.createQuery(sql.toString()).bind("member", member).bind("limit", limit);
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
        h.createQuery("SELECT job_id, name, qasm, parameters FROM job_circuits WHERE job_id IN (<ids>) "
                        + "ORDER BY job_id, idx")
                .bindList("ids", List.copyOf(jobIds))
                .map((rs, ctx) -> Map.entry(rs.getString(1), new CircuitSpec(rs.getString(3),
                        Optional.ofNullable(rs.getString(2)), read(rs.getString(4), DOUBLE_MAP))))
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return out;
    }

    /** Why earlier attempts of each job ended without a result, oldest first. */
    public Map<String, List<AttemptFailure>> failures(Handle h, Collection<String> jobIds) {
        Map<String, List<AttemptFailure>> out = new HashMap<>();
        if (jobIds.isEmpty()) {
            return out;
        }
        h.createQuery("SELECT job_id, attempt, reason, at FROM job_events WHERE job_id IN (<ids>) "
                        + "AND event IN ('RETRY', 'FAIL') AND reason IS NOT NULL ORDER BY job_id, id")
                .bindList("ids", List.copyOf(jobIds))
                .map((rs, ctx) -> Map.entry(rs.getString(1),
                        new AttemptFailure(rs.getInt(2), rs.getString(3), instant(rs, 4))))
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

    /** What else a transition writes to the job row besides its state. */
    public enum Effect {
        /** Nothing else. */
        NONE,
        /** It ends the job: finished_at = now, no current lease. */
        FINISH,
        /** It queues the job again: no current lease. */
        REQUEUE,
        /** Execution began: started_at = now. */
        START
    }

    /**
     * Moves a job (locked by the caller) on {@code event} and appends the event row.
     *
     * @return the new state
     * @throws IllegalTransitionException if the lifecycle does not allow the event
     * @throws IllegalStateException      if the row was not in {@code job.state()} (a caller that did not lock)
     */
    public JobState transition(Handle h, JobRow job, JobEvent event, Optional<String> reason, Instant now) {
        JobState to = JobLifecycle.next(job.state(), event);
        Effect effect = switch (event) {
            case START -> Effect.START;
            case RETRY -> Effect.REQUEUE;
            case COMPLETE, FAIL, CONFIRM_CANCEL -> Effect.FINISH;
            case CANCEL -> to.isFinal() ? Effect.FINISH : Effect.NONE;
            case SUBMIT, LEASE -> throw new IllegalArgumentException(event + " has its own method");
        };
        int updated = switch (effect) {
            case NONE -> Jdbc.update(h, "UPDATE jobs SET state = ? WHERE id = ? AND state = ?",
                    to.name(), job.id(), job.state().name());
            case FINISH -> Jdbc.update(h, "UPDATE jobs SET state = ?, finished_at = ?, lease_id = NULL "
                    + "WHERE id = ? AND state = ?", to.name(), now, job.id(), job.state().name());
            case REQUEUE -> Jdbc.update(h, "UPDATE jobs SET state = ?, lease_id = NULL WHERE id = ? AND state = ?",
                    to.name(), job.id(), job.state().name());
            case START -> Jdbc.update(h, "UPDATE jobs SET state = ?, started_at = ? WHERE id = ? AND state = ?",
                    to.name(), now, job.id(), job.state().name());
        };
        if (updated != 1) {
            throw new IllegalStateException("job " + job.id() + " was not in state " + job.state()
                    + " when " + event + " was applied; lock it first");
        }
        appendEvent(h, job.id(), job.state(), to, event, job.attempt(), reason.orElse(null), now);
        return to;
    }

    /** A job leased: which lease, and the attempt it starts. */
    public record Leased(JobRow job, String leaseId, int attempt) {
    }

    /** Moves locked QUEUED jobs to ASSIGNED under their new leases, in one batch per table. */
    public void markLeased(Handle h, List<Leased> leased, Instant now) {
        if (leased.isEmpty()) {
            return;
        }
        JobState to = JobLifecycle.next(JobState.QUEUED, JobEvent.LEASE);
        List<Object[]> updates = new ArrayList<>(leased.size());
        List<Object[]> events = new ArrayList<>(leased.size());
        for (Leased l : leased) {
            if (l.job().state() != JobState.QUEUED) {
                throw new IllegalTransitionException(l.job().state(), JobEvent.LEASE);
            }
            updates.add(new Object[] {to.name(), l.attempt(), l.leaseId(), now, l.job().id()});
            events.add(new Object[] {l.job().id(), to.name(), l.attempt(), now});
        }
        int[] counts = Jdbc.batch(h, "UPDATE jobs SET state = ?, attempt = ?, lease_id = ?, assigned_at = ?, "
                + "started_at = NULL WHERE id = ? AND state = 'QUEUED'", updates);
        for (int i = 0; i < counts.length; i++) {
            // Batched statements may report SUCCESS_NO_INFO (-2) instead of a count.
            if (counts[i] == 0) {
                throw new IllegalStateException("job " + leased.get(i).job().id() + " was no longer QUEUED");
            }
        }
        Jdbc.batch(h, "INSERT INTO job_events (job_id, from_state, to_state, event, attempt, reason, at) "
                + "VALUES (?, 'QUEUED', ?, 'LEASE', ?, NULL, ?)", events);
    }

    private void appendEvent(Handle h, String jobId, JobState from, JobState to, JobEvent event, int attempt,
                             String reason, Instant at) {
        Jdbc.update(h, "INSERT INTO job_events (job_id, from_state, to_state, event, attempt, reason, at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)",
                jobId, from == null ? null : from.name(), to.name(), event.name(), attempt, truncate(reason, 2000), at);
    }

    // ---- results ----

    public void insertResult(Handle h, StoredResult result) {
        Jdbc.update(h, "INSERT INTO results (job_id, lease_id, attempt, body, received_at) VALUES (?, ?, ?, ?, ?)",
                result.jobId(), result.leaseId(), result.attempt(), result.body(), result.receivedAt());
    }

    public Optional<StoredResult> findResult(Handle h, String jobId) {
        return h.createQuery("SELECT job_id, lease_id, attempt, body, received_at FROM results WHERE job_id = :job")
                .bind("job", jobId)
                .map((rs, ctx) -> new StoredResult(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                        instant(rs, 5)))
                .findOne();
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
                Optional.ofNullable(instant(rs, "finished_at")));
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
