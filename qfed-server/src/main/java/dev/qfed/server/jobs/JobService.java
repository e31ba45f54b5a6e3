package dev.qfed.server.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.qfed.api.ApiJson;
import dev.qfed.api.AttemptFailure;
import dev.qfed.api.CircuitResult;
import dev.qfed.api.CircuitSpec;
import dev.qfed.api.ErrorCode;
import dev.qfed.api.ExecutionMetadata;
import dev.qfed.api.Job;
import dev.qfed.api.JobPage;
import dev.qfed.api.JobResult;
import dev.qfed.api.JobTimings;
import dev.qfed.api.SubmitJobRequest;
import dev.qfed.api.SubmitResultRequest;
import dev.qfed.server.ApiException;
import dev.qfed.server.ServerConfig;
import dev.qfed.server.agents.AgentStore;
import dev.qfed.server.backends.BackendCatalog;
import dev.qfed.server.circuits.AdmittedCircuit;
import dev.qfed.server.circuits.CircuitAdmission;
import dev.qfed.server.identity.Principal;
import dev.qfed.server.scheduler.JobNeeds;
import dev.qfed.server.scheduler.Scheduler;
import dev.qfed.server.signals.Signals;
import dev.qfed.server.store.Ids;
import dev.qfed.server.telemetry.Telemetry;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The researcher's side of jobs: submit (with idempotency), read, list, cancel, and wait for results.
 *
 * <p>Submission does the expensive, side-effect-free work first (parsing every circuit, placing the job), then
 * writes the job, its circuits, tags, first event and idempotency key in one transaction: a request either creates
 * the whole job or nothing.
 */
public final class JobService {
    private static final Logger LOG = LoggerFactory.getLogger(JobService.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,127}");
    private static final String DEFAULT_PROJECT = "default";
    private static final ObjectMapper CANONICAL = ApiJson.mapper().copy()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final Jdbi jdbi;
    private final JobStore jobs;
    private final AgentStore agents;
    private final BackendCatalog catalog;
    private final Scheduler scheduler;
    private final CircuitAdmission admission;
    private final Signals signals;
    private final Telemetry telemetry;
    private final Ids ids;
    private final Clock clock;
    private final ServerConfig config;
    /** Members, users and projects this replica has made sure exist, to skip the upserts on the hot path. */
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    public JobService(Jdbi jdbi, JobStore jobs, AgentStore agents, BackendCatalog catalog, Scheduler scheduler,
                      CircuitAdmission admission, Signals signals, Telemetry telemetry, Ids ids, Clock clock,
                      ServerConfig config) {
        this.jdbi = jdbi;
        this.jobs = jobs;
        this.agents = agents;
        this.catalog = catalog;
        this.scheduler = scheduler;
        this.admission = admission;
        this.signals = signals;
        this.telemetry = telemetry;
        this.ids = ids;
        this.clock = clock;
        this.config = config;
    }

    /** A submission's outcome: the job, and whether this request created it (false for an idempotent replay). */
    public record Submitted(Job job, boolean created) {
    }

    public Submitted submit(Principal caller, SubmitJobRequest request, Optional<String> idempotencyKey) {
        validate(request);
        String project = request.project().orElse(DEFAULT_PROJECT);
        String requested = request.backend().orElse(SubmitJobRequest.AUTO);
        Optional<JobStore.IdempotencyKey> key = idempotencyKey.map(k -> {
            validateKey(k);
            return new JobStore.IdempotencyKey(k, hash(request));
        });
        String backend;
        List<AdmittedCircuit> admitted;
        try {
            admitted = admit(request);
            backend = place(requested, admitted);
        } catch (ApiException e) {
            // The key is not read before the work (the insert decides), so a replay whose circuits or backend no
            // longer pass still answers with the job the key made, and a reused key still says so.
            if (key.isPresent()) {
                Optional<Submitted> replay = replay(caller, key.get());
                if (replay.isPresent()) {
                    return replay.get();
                }
            }
            throw e;
        }

        Instant now = now();
        JobStore.NewJob job = new JobStore.NewJob(ids.next(), caller.member(), project, caller.user(), backend,
                requested, request.shots(), request.tags(), config.maxAttempts(), now, request.seed());
        List<JobStore.NewCircuit> circuits = admitted.stream()
                .map(c -> new JobStore.NewCircuit(c.spec(), c.numQubits())).toList();
        boolean inserted;
        try {
            // No transaction here: the insert is atomic by itself (one statement on PostgreSQL).
            inserted = jdbi.withHandle(h -> {
                ensureKnown(h, caller, project, now);
                return jobs.insert(h, job, circuits, key);
            });
        } catch (UnableToExecuteStatementException e) {
            if (key.isPresent() && isUniqueViolation(e)) {
                inserted = false; // H2 reports the concurrent twin's key as a duplicate instead of waiting
            } else {
                throw e;
            }
        }
        if (!inserted) {
            return replay(caller, key.orElseThrow()).orElseThrow(
                    () -> new IllegalStateException("idempotency key vanished between insert and read"));
        }
        catalog.placed(backend);
        signals.signal(Signals.work(backend));
        telemetry.jobSubmitted(caller.member(), backend);
        LOG.atDebug().addKeyValue("job_id", job.id()).addKeyValue("backend", backend)
                .addKeyValue("member", caller.member()).log("job queued");
        Job created = new Job(job.id(), job.member(), project, job.user(), JobLifecycle.INITIAL.toStatus(), backend,
                requested, job.shots(), circuits.size(), job.tags(), Optional.empty(), 0, job.maxAttempts(),
                new JobTimings(now, Optional.empty(), Optional.empty(), Optional.empty()), List.of());
        return new Submitted(created, true);
    }

    private List<AdmittedCircuit> admit(SubmitJobRequest request) {
        List<AdmittedCircuit> admitted = new ArrayList<>(request.circuits().size());
        for (int i = 0; i < request.circuits().size(); i++) {
            admitted.add(admission.admit(i, request.circuits().get(i)));
        }
        return admitted;
    }

    private String place(String requested, List<AdmittedCircuit> admitted) {
        Set<String> gates = new HashSet<>();
        int qubits = 0;
        for (AdmittedCircuit c : admitted) {
            gates.addAll(c.gates());
            qubits = Math.max(qubits, c.numQubits());
        }
        JobNeeds needs = new JobNeeds(qubits, gates);
        // A backend registered through another replica since the last refresh is not in the snapshot yet.
        if (!requested.equals(SubmitJobRequest.AUTO) && !catalog.knows(requested)) {
            catalog.refresh();
        }
        try {
            return scheduler.place(requested, needs, catalog.candidates());
        } catch (ApiException e) {
            if (!requested.equals(SubmitJobRequest.AUTO) || !catalog.refreshIfOlderThan(Duration.ofMillis(250))) {
                throw e;
            }
            return scheduler.place(requested, needs, catalog.candidates());
        }
    }

    private Optional<Submitted> replay(Principal caller, JobStore.IdempotencyKey key) {
        return jdbi.withHandle(h -> jobs.findIdempotencyKey(h, caller.member(), caller.user(), key.key())
                .map(found -> {
                    if (!found.getKey().equals(key.requestHash())) {
                        throw ApiException.field(ErrorCode.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key",
                                "idempotency key '" + key.key() + "' was used for a different request (job "
                                        + found.getValue() + "); use a new key for a new job");
                    }
                    return new Submitted(toApi(h, jobs.find(h, found.getValue()).orElseThrow()), false);
                }));
    }

    /** Makes sure the caller's member, user and project exist; each once per replica, on its own. */
    private void ensureKnown(Handle h, Principal caller, String project, Instant now) {
        String m = "m\0" + caller.member();
        String u = "u\0" + caller.member() + "\0" + caller.user();
        String p = "p\0" + caller.member() + "\0" + project;
        // Each upsert commits by itself: harmless if the job insert then fails, and remembered only once written.
        if (!known.contains(m)) {
            agents.ensureMember(h, caller.member(), now);
            known.add(m);
        }
        if (!known.contains(u)) {
            agents.ensureUser(h, caller.member(), caller.user(), caller.issuer(), now);
            known.add(u);
        }
        if (!known.contains(p)) {
            agents.ensureProject(h, caller.member(), project, now);
            known.add(p);
        }
    }

    /** A job the caller may read ({@link JobAccess}); other jobs do not exist for the caller. */
    public Job get(Principal caller, String id) {
        return jdbi.withHandle(h -> {
            JobRow row = visible(h, caller, id);
            Optional<Long> position = row.state() == JobState.QUEUED
                    ? Optional.of(jobs.queuePosition(h, row)) : Optional.empty();
            return toApi(row, failures(h, row), position);
        });
    }

    /**
     * Parameters of {@code GET /v1/jobs} after validation.
     *
     * @param member whose jobs: only operators may name another member than their own, or leave it empty for all
     */
    public record ListQuery(Optional<String> member, JobStore.ListFilter filter, int limit, Optional<String> cursor) {
    }

    public JobPage list(Principal caller, ListQuery query) {
        Optional<String> before = query.cursor().map(JobService::decodeCursor);
        Optional<String> member;
        if (JobAccess.readsEveryMember(caller)) {
            member = query.member();
        } else if (query.member().isEmpty() || query.member().get().equals(caller.member())) {
            member = Optional.of(caller.member());
        } else {
            throw ApiException.field(ErrorCode.FORBIDDEN, "member", "only operators list other members' jobs; "
                    + caller.user() + " may list member " + caller.member() + "'s");
        }
        return jdbi.withHandle(h -> {
            List<JobRow> rows = jobs.list(h, member, query.filter(), before, query.limit() + 1);
            boolean more = rows.size() > query.limit();
            List<JobRow> page = more ? rows.subList(0, query.limit()) : rows;
            Map<String, List<AttemptFailure>> failures = jobs.failures(h,
                    page.stream().filter(JobStore::mayHaveFailures).map(JobRow::id).toList());
            List<Job> out = page.stream().map(r -> toApi(r, failures.getOrDefault(r.id(), List.of()),
                    Optional.empty())).toList();
            return new JobPage(out, more ? Optional.of(encodeCursor(page.getLast().id())) : Optional.empty());
        });
    }

    /**
     * Cancels a job: at once when queued, by request when an agent holds it. Repeating it is harmless; a completed
     * or failed job cannot be cancelled.
     */
    public Job cancel(Principal caller, String id) {
        Instant now = now();
        record Cancelled(Job job, boolean endedNow) {
        }
        Cancelled outcome = jdbi.inTransaction(h -> {
            JobRow row = jobs.findForUpdate(h, visible(h, caller, id).id()).orElseThrow();
            JobAccess.requireOwnMember(caller, row);
            boolean endedNow = false;
            switch (row.state()) {
                case QUEUED, ASSIGNED, RUNNING -> endedNow = jobs.transition(h, row, JobEvent.CANCEL,
                        Optional.of("cancelled by " + caller.user()), now).isFinal();
                case CANCEL_REQUESTED, CANCELLED -> { }
                case COMPLETED, FAILED -> throw ApiException.of(ErrorCode.JOB_FINAL,
                        "job " + id + " is already " + row.state() + " and cannot be cancelled");
            }
            return new Cancelled(toApi(h, jobs.find(h, id).orElseThrow()), endedNow);
        });
        Job job = outcome.job();
        signals.signal(Signals.job(id));
        if (outcome.endedNow()) {
            telemetry.jobFinished(job.member(), job.backend(), "cancelled",
                    Duration.between(job.timings().submittedAt(), now));
        }
        LOG.atInfo().addKeyValue("job_id", id).addKeyValue("status", job.status()).log("cancel requested by user");
        return job;
    }

    /**
     * The result when the job is final; otherwise waits up to {@code wait} for it to become final. Each look is one
     * read of the job with its result; the job in the answer has no queue position (that costs a count).
     */
    public JobResult result(Principal caller, String id, Duration wait) throws InterruptedException {
        Instant deadline = clock.instant().plus(wait);
        try (Signals.Waiter waiter = signals.register(List.of(Signals.job(id)))) {
            while (true) {
                Duration left = Duration.between(clock.instant(), deadline);
                boolean last = left.isNegative() || left.isZero();
                Optional<JobResult> done = jdbi.withHandle(h -> {
                    JobStore.JobWithResult found = jobs.findWithResult(h, id)
                            .filter(r -> JobAccess.canRead(caller, r.job().member()))
                            .orElseThrow(() -> notVisible(caller, id));
                    JobRow row = found.job();
                    if (!row.state().isFinal() && !last) {
                        return Optional.empty();
                    }
                    Job job = toApi(h, row);
                    if (row.state() != JobState.COMPLETED) {
                        return Optional.of(new JobResult(job, Optional.empty(), Optional.empty()));
                    }
                    SubmitResultRequest body = readResult(found.resultBody().orElseThrow(
                            () -> new IllegalStateException("job " + id + " is COMPLETED without a result")));
                    return Optional.of(new JobResult(job, Optional.of(body.results()),
                            Optional.of(body.execution().orElse(ExecutionMetadata.EMPTY))));
                });
                if (done.isPresent()) {
                    return done.get();
                }
                waiter.await(min(left, Duration.ofSeconds(1)));
            }
        }
    }

    static SubmitResultRequest readResult(String body) {
        try {
            return ApiJson.mapper().readValue(body, SubmitResultRequest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored result is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    /** The job if the caller may read it ({@link JobAccess}); other members' jobs do not exist for them. */
    private JobRow visible(Handle h, Principal caller, String id) {
        return jobs.find(h, id).filter(r -> JobAccess.canRead(caller, r.member()))
                .orElseThrow(() -> notVisible(caller, id));
    }

    static ApiException notVisible(Principal caller, String id) {
        return ApiException.of(ErrorCode.NOT_FOUND, JobAccess.readsEveryMember(caller)
                ? "there is no job " + id : "there is no job " + id + " of member " + caller.member());
    }

    /**
     * The wire form of a stored job, with its failures and without a queue position: only {@link #get} counts
     * the jobs ahead.
     */
    public Job toApi(Handle h, JobRow row) {
        return toApi(row, failures(h, row), Optional.empty());
    }

    private List<AttemptFailure> failures(Handle h, JobRow row) {
        return JobStore.mayHaveFailures(row)
                ? jobs.failures(h, List.of(row.id())).getOrDefault(row.id(), List.of()) : List.of();
    }

    static Job toApi(JobRow r, List<AttemptFailure> failures, Optional<Long> queuePosition) {
        return new Job(r.id(), r.member(), r.project(), r.user(), r.state().toStatus(), r.backend(),
                r.backendRequested(), r.shots(), r.circuitCount(), r.tags(), queuePosition, r.attempt(),
                r.maxAttempts(), new JobTimings(r.submittedAt(), r.assignedAt(), r.startedAt(), r.finishedAt()),
                failures);
    }

    // ---- validation ----

    private void validate(SubmitJobRequest request) {
        ServerConfig.Limits limits = config.limits();
        if (request.circuits().isEmpty()) {
            throw ApiException.field(ErrorCode.INVALID_REQUEST, "circuits", "a job needs at least one circuit");
        }
        if (request.circuits().size() > limits.maxCircuits()) {
            throw ApiException.field(ErrorCode.LIMIT_EXCEEDED, "circuits", "a job may have at most "
                    + limits.maxCircuits() + " circuits, this one has " + request.circuits().size());
        }
        if (request.shots() < 1 || request.shots() > limits.maxShots()) {
            throw ApiException.field(request.shots() < 1 ? ErrorCode.INVALID_REQUEST : ErrorCode.LIMIT_EXCEEDED,
                    "shots", "shots must be between 1 and " + limits.maxShots() + ", got " + request.shots());
        }
        request.seed().filter(s -> s < 0).ifPresent(s -> {
            throw ApiException.field(ErrorCode.INVALID_REQUEST, "seed", "seed must be between 0 and "
                    + Long.MAX_VALUE + ", got " + s);
        });
        request.project().ifPresent(p -> requireName(p, "project"));
        request.backend().ifPresent(b -> {
            if (!b.equals(SubmitJobRequest.AUTO)) {
                requireName(b, "backend");
            }
        });
        if (request.tags().size() > limits.maxTags()) {
            throw ApiException.field(ErrorCode.LIMIT_EXCEEDED, "tags", "a job may have at most " + limits.maxTags()
                    + " tags, this one has " + request.tags().size());
        }
        request.tags().forEach((k, v) -> {
            if (!TAG_KEY.matcher(k).matches()) {
                throw ApiException.field(ErrorCode.INVALID_REQUEST, "tags." + k, "tag key '" + abbreviate(k)
                        + "' must be 1 to 128 letters, digits or ._/- and start with a letter or digit");
            }
            if (v.length() > 256) {
                throw ApiException.field(ErrorCode.INVALID_REQUEST, "tags." + k, "tag value of '" + k
                        + "' is longer than 256 characters");
            }
        });
        for (int i = 0; i < request.circuits().size(); i++) {
            CircuitSpec c = request.circuits().get(i);
            if (c.name().map(n -> n.length() > 256).orElse(false)) {
                throw ApiException.field(ErrorCode.INVALID_REQUEST, "circuits[" + i + "].name",
                        "a circuit name may have at most 256 characters");
            }
        }
    }

    static void requireName(String value, String field) {
        if (!NAME.matcher(value).matches()) {
            throw ApiException.field(ErrorCode.INVALID_REQUEST, field, field + " '" + abbreviate(value)
                    + "' must be 1 to 64 letters, digits or ._- and start with a letter or digit");
        }
    }

    private static void validateKey(String key) {
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw ApiException.field(ErrorCode.INVALID_REQUEST, "Idempotency-Key",
                    "the Idempotency-Key header must be 1 to 255 printable ASCII characters without spaces");
        }
    }

    private static String hash(SubmitJobRequest request) {
        try {
            // The canonical form: defaults made explicit, map keys sorted, so equal requests hash equally.
            SubmitJobRequest canonical = new SubmitJobRequest(request.circuits(), request.shots(),
                    Optional.of(request.backend().orElse(SubmitJobRequest.AUTO)),
                    Optional.of(request.project().orElse(DEFAULT_PROJECT)), request.tags(), request.seed());
            byte[] bytes = CANONICAL.writeValueAsBytes(canonical);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash a request", e);
        }
    }

    // ---- cursors ----

    private static final String CURSOR_PREFIX = "v1:";

    static String encodeCursor(String lastId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + lastId).getBytes(StandardCharsets.UTF_8));
    }

    static String decodeCursor(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(CURSOR_PREFIX) && Ids.looksLikeId(text.substring(CURSOR_PREFIX.length()))) {
                return text.substring(CURSOR_PREFIX.length());
            }
        } catch (IllegalArgumentException e) {
            // not base64: reported below
        }
        throw ApiException.field(ErrorCode.INVALID_CURSOR, "cursor", "cursor '" + abbreviate(cursor)
                + "' is not one this server issued; pass the next_cursor of the previous page unchanged, "
                + "or leave it out for the first page");
    }

    /** Parses the {@code status} filter: one status or several separated by commas. */
    public static Set<JobState> parseStates(Optional<String> value) {
        Set<JobState> states = EnumSet.noneOf(JobState.class);
        value.ifPresent(v -> {
            for (String part : v.split(",")) {
                try {
                    states.add(JobState.valueOf(part.strip().toUpperCase(java.util.Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw ApiException.field(ErrorCode.INVALID_REQUEST, "status", "unknown status '"
                            + abbreviate(part) + "'; use one or more of " + java.util.Arrays.toString(JobState.values()));
                }
            }
        });
        return states;
    }

    /** Parses {@code tag=k=v} filters. */
    public static Map<String, String> parseTags(List<String> values) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String t : values) {
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw ApiException.field(ErrorCode.INVALID_REQUEST, "tag", "tag filter '" + abbreviate(t)
                        + "' must be key=value");
            }
            tags.put(t.substring(0, eq), t.substring(eq + 1));
        }
        return tags;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }

    static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Validates a result against the job it is for; used by the lease capability. */
    public static void checkResult(JobRow job, List<CircuitResult> results) {
        if (results.size() != job.circuitCount()) {
            throw ApiException.field(ErrorCode.INVALID_RESULT, "results", "job " + job.id() + " has "
                    + job.circuitCount() + " circuits but the result has " + results.size());
        }
        for (int i = 0; i < results.size(); i++) {
            CircuitResult r = results.get(i);
            if (r.name().map(n -> n.length() > 256).orElse(false)) {
                throw ApiException.field(ErrorCode.INVALID_RESULT, "results[" + i + "].name",
                        "a circuit name may have at most 256 characters");
            }
            int width = -1;
            for (String bits : r.counts().keySet()) {
                if (!bits.chars().allMatch(c -> c == '0' || c == '1') || (width >= 0 && bits.length() != width)) {
                    throw ApiException.field(ErrorCode.INVALID_RESULT, "results[" + i + "].counts",
                            "outcome '" + abbreviate(bits) + "' is not a bit string as wide as the others");
                }
                width = bits.length();
            }
            if (r.shots() != job.shots()) {
                throw ApiException.field(ErrorCode.INVALID_RESULT, "results[" + i + "].counts", "counts of circuit "
                        + i + " add up to " + r.shots() + " shots, the job asked for " + job.shots());
            }
        }
    }
}
