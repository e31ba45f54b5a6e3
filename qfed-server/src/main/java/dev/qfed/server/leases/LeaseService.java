package dev.qfed.server.leases;

import dev.qfed.api.ApiJson;
import dev.qfed.api.ErrorCode;
import dev.qfed.api.FailLeaseRequest;
import dev.qfed.api.HeartbeatRequest;
import dev.qfed.api.HeartbeatResponse;
import dev.qfed.api.Lease;
import dev.qfed.api.LeaseBatch;
import dev.qfed.api.LeaseRequest;
import dev.qfed.api.LeaseState;
import dev.qfed.api.LeaseFailure;
import dev.qfed.api.LeaseRelease;
import dev.qfed.api.LeaseResult;
import dev.qfed.api.LeaseStatus;
import dev.qfed.api.Problem;
import dev.qfed.api.ReportOutcome;
import dev.qfed.api.ReportRequest;
import dev.qfed.api.ReportResponse;
import dev.qfed.api.ReportVerdict;
import dev.qfed.api.SubmitResultRequest;
import dev.qfed.server.ApiException;
import dev.qfed.server.ServerConfig;
import dev.qfed.server.agents.AgentService;
import dev.qfed.server.agents.AgentStore;
import dev.qfed.server.agents.AgentStore.AgentRow;
import dev.qfed.server.backends.BackendCatalog;
import dev.qfed.server.identity.Principal;
import dev.qfed.server.jobs.JobEvent;
import dev.qfed.server.jobs.JobRow;
import dev.qfed.server.jobs.JobService;
import dev.qfed.server.jobs.JobState;
import dev.qfed.server.jobs.JobStore;
import dev.qfed.server.leases.LeaseStore.LeaseRow;
import dev.qfed.server.leases.LeaseStore.LeaseRowState;
import dev.qfed.server.scheduler.BackendCandidate;
import dev.qfed.server.signals.Signals;
import dev.qfed.server.store.Ids;
import dev.qfed.server.telemetry.Telemetry;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.HandleCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The agent's side of jobs: leasing queued work, heartbeats, start, result and failure, and the expiry sweep.
 *
 * <p>Claiming locks queued rows with {@code FOR UPDATE SKIP LOCKED}, so concurrent agents and broker replicas
 * never take the same job and never wait for each other. A lease names one attempt; the job row points at its
 * current lease, and every report is checked against that pointer inside the transaction that locks the job. So a
 * result is accepted at most once per job (the results table's primary key says so a second time), and a report
 * from a lease that expired — the job having been queued again or failed — is refused with 409 and logged.
 */
public final class LeaseService {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseService.class);
    private static final Duration RECHECK = Duration.ofSeconds(1);
    private static final int SWEEP_BATCH = 500;
    private static final int MAX_REPORT_ITEMS = 10_000;

    private final Jdbi jdbi;
    private final JobStore jobs;
    private final LeaseStore leases;
    private final AgentStore agents;
    private final AgentService agentService;
    private final BackendCatalog catalog;
    private final Signals signals;
    private final Telemetry telemetry;
    private final Ids ids;
    private final Clock clock;
    private final ServerConfig config;

    public LeaseService(Jdbi jdbi, JobStore jobs, LeaseStore leases, AgentStore agents, AgentService agentService,
                        BackendCatalog catalog, Signals signals, Telemetry telemetry, Ids ids, Clock clock,
                        ServerConfig config) {
        this.jdbi = jdbi;
        this.jobs = jobs;
        this.leases = leases;
        this.agents = agents;
        this.agentService = agentService;
        this.catalog = catalog;
        this.signals = signals;
        this.telemetry = telemetry;
        this.ids = ids;
        this.clock = clock;
        this.config = config;
    }

    // ---- leasing ----

    /** Leases queued jobs of the agent's backends, waiting up to {@code wait} for some to appear. */
    public LeaseBatch lease(Principal caller, String agentId, LeaseRequest request, Duration wait)
            throws InterruptedException {
        AgentRow agent = agentService.agentOf(caller, agentId);
        Map<String, Integer> slots = slots(agent, request);
        touch(agent.id());
        if (slots.values().stream().allMatch(n -> n == 0)) {
            return new LeaseBatch(List.of());
        }
        Instant deadline = clock.instant().plus(wait);
        List<Lease> granted;
        try (Signals.Waiter waiter = signals.register(slots.keySet().stream().map(Signals::work).toList())) {
            while (true) {
                granted = claim(agent, slots);
                Duration left = Duration.between(clock.instant(), deadline);
                if (!granted.isEmpty() || left.isNegative() || left.isZero()) {
                    break;
                }
                waiter.await(left.compareTo(RECHECK) < 0 ? left : RECHECK);
            }
        }
        // After this poll stopped waiting, so the signal goes to another poller, not back to this one.
        passOnIfFull(slots, granted);
        return new LeaseBatch(granted);
    }

    /** A backend whose slots this poll filled may have more work: let another waiting poller look. */
    private void passOnIfFull(Map<String, Integer> slots, List<Lease> granted) {
        Map<String, Integer> taken = new HashMap<>();
        granted.forEach(l -> taken.merge(l.backend(), 1, Integer::sum));
        slots.forEach((backend, n) -> {
            if (n > 0 && taken.getOrDefault(backend, 0) >= n) {
                signals.passOn(Signals.work(backend));
            }
        });
    }

    /** The backends to lease from and how many jobs of each; only backends this agent registered. */
    private Map<String, Integer> slots(AgentRow agent, LeaseRequest request) {
        Map<String, Integer> slots = new LinkedHashMap<>();
        List<BackendCandidate> all = catalog.candidates();
        List<String> own = catalog.backendsOf(agent.id());
        if (request.slots().isEmpty()) {
            own.forEach(b -> slots.put(b, 1));
            return slots;
        }
        int total = 0;
        for (Map.Entry<String, Integer> e : request.slots().entrySet()) {
            String backend = e.getKey();
            if (!own.contains(backend)) {
                boolean exists = all.stream().anyMatch(c -> c.name().equals(backend));
                throw ApiException.field(ErrorCode.FORBIDDEN, "slots." + backend, exists
                        ? "backend '" + backend + "' is not offered by agent " + agent.name() + " of member "
                        + agent.member() + "; an agent leases only for the backends it registered"
                        : "there is no backend '" + backend + "'; register it first");
            }
            int n = Math.min(e.getValue(), config.limits().maxLeaseBatch());
            slots.put(backend, n);
            total += n;
        }
        if (total > config.limits().maxLeaseBatch()) {
            throw ApiException.field(ErrorCode.LIMIT_EXCEEDED, "slots", "at most "
                    + config.limits().maxLeaseBatch() + " jobs per lease call, asked for " + total);
        }
        return slots;
    }

    private List<Lease> claim(AgentRow agent, Map<String, Integer> slots) {
        Instant now = now();
        Instant expires = now.plus(config.leaseDuration());
        Map<String, Integer> wanted = new LinkedHashMap<>(slots);
        wanted.values().removeIf(n -> n <= 0);
        HandleCallback<List<JobStore.Claimed>, RuntimeException> claimAll = h -> {
            List<JobStore.Claimed> all = new ArrayList<>();
            wanted.forEach((backend, n) -> all.addAll(jobs.claim(h, backend, leaseIds(n), agent.id(), now, expires)));
            return all;
        };
        // One backend: the claim is one statement (on PostgreSQL) that commits by itself. Several: one transaction,
        // so that an error leaves no job leased that this agent is not told about.
        List<JobStore.Claimed> claimed = wanted.size() == 1 ? jdbi.withHandle(claimAll) : jdbi.inTransaction(claimAll);
        List<Lease> out = new ArrayList<>(claimed.size());
        for (JobStore.Claimed c : claimed) {
            JobRow j = c.job();
            out.add(new Lease(c.leaseId(), j.id(), j.member(), j.project(), j.backend(), c.attempt(), j.shots(),
                    c.circuits(), j.tags(), expires, j.seed()));
            // Queue wait since submission (first attempt) or since the job was last queued again.
            Instant queuedSince = j.attempt() == 0 ? j.submittedAt() : j.assignedAt().orElse(j.submittedAt());
            telemetry.jobLeased(j.backend(), Duration.between(queuedSince, now));
            LOG.atDebug().addKeyValue("job_id", j.id()).addKeyValue("lease_id", c.leaseId())
                    .addKeyValue("agent_id", agent.id()).addKeyValue("attempt", c.attempt()).log("job leased");
        }
        return out;
    }

    private List<String> leaseIds(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(ids.next());
        }
        return out;
    }

    private void touch(String agentId) {
        Instant now = now();
        if (catalog.shouldTouchAgent(agentId, now)) {
            jdbi.useHandle(h -> agents.touch(h, agentId, now));
        }
    }

    // ---- reports: start, result, failure and heartbeat ----

    /**
     * Applies an agent's batched report ({@code POST /v1/agents/{id}/reports}) in one transaction: the jobs it names
     * are locked in id order, each item is checked and written with its transitions and events, and the answer says
     * per item whether it was accepted, a repeat, or refused (one item's refusal leaves the others alone).
     */
    public ReportResponse report(Principal caller, String agentId, ReportRequest request) {
        AgentRow agent = agentService.agentOf(caller, agentId);
        touch(agent.id());
        if (request.size() > MAX_REPORT_ITEMS) {
            throw ApiException.field(ErrorCode.LIMIT_EXCEEDED, "", "at most " + MAX_REPORT_ITEMS
                    + " items per report (started, results, failures, renew and released together), got " + request.size()
                    + "; send the rest in another call");
        }
        return apply(l -> l.agentId().equals(agent.id()), request);
    }

    /** Extends the agent's leases and says, for each, whether to go on, stop for a cancellation, or drop it. */
    public HeartbeatResponse heartbeat(Principal caller, String agentId, HeartbeatRequest request) {
        if (request.leaseIds().size() > MAX_REPORT_ITEMS) {
            throw ApiException.field(ErrorCode.LIMIT_EXCEEDED, "lease_ids", "at most " + MAX_REPORT_ITEMS
                    + " leases per heartbeat");
        }
        ReportResponse r = report(caller, agentId, new ReportRequest(List.of(), List.of(), List.of(),
                request.leaseIds()));
        Map<String, LeaseStatus> byId = new HashMap<>();
        r.leases().forEach(s -> byId.put(s.leaseId(), s));
        return new HeartbeatResponse(request.leaseIds().stream().map(byId::get).toList());
    }

    /** Marks a leased job RUNNING ({@code POST /v1/leases/{id}/start}). Answers CANCEL_REQUESTED or GONE when the
     * agent should not run it. */
    public LeaseStatus start(Principal caller, String leaseId) {
        ReportResponse r = single(caller, new ReportRequest(List.of(leaseId), List.of(), List.of(), List.of()));
        ReportOutcome o = r.started().getFirst();
        if (o.verdict() == ReportVerdict.REFUSED && o.problem().flatMap(Problem::errorCode)
                .filter(c -> c == ErrorCode.NOT_FOUND).isPresent()) {
            throw new ApiException(o.problem().orElseThrow());
        }
        return r.leases().getFirst();
    }

    /**
     * Accepts the result of the lease's job ({@code POST /v1/leases/{id}/result}). The same lease sending it again
     * is answered as success; any other report for a job that is not (or no longer) held by this lease is refused
     * with {@code lease-not-current}.
     */
    public void result(Principal caller, String leaseId, SubmitResultRequest result) {
        throwIfRefused(single(caller, new ReportRequest(List.of(), List.of(new LeaseResult(leaseId, result)),
                List.of(), List.of())).results().getFirst());
    }

    /**
     * Records that the lease's attempt failed ({@code POST /v1/leases/{id}/fail}): the job is queued again while
     * attempts remain and the failure is retryable, fails otherwise, and ends CANCELLED if its cancellation was
     * requested. Repeating the report for the same lease is harmless.
     */
    public void fail(Principal caller, String leaseId, FailLeaseRequest failure) {
        throwIfRefused(single(caller, new ReportRequest(List.of(), List.of(),
                List.of(new LeaseFailure(leaseId, failure)), List.of())).failures().getFirst());
    }

    /** A per-lease call: any lease of the caller's member, as those endpoints name no agent. */
    private ReportResponse single(Principal caller, ReportRequest request) {
        AgentService.requireAgent(caller);
        return apply(l -> l.agentMember().equals(caller.member()), request);
    }

    private static void throwIfRefused(ReportOutcome outcome) {
        if (outcome.verdict() == ReportVerdict.REFUSED) {
            throw new ApiException(outcome.problem().orElseThrow());
        }
    }

    /**
     * The leases and jobs a report works on, kept current in memory as its items are applied, and what the items
     * write: transitions, results and ended leases, written together per table when every item is decided.
     */
    private static final class Batch {
        final Map<String, LeaseRow> leases = new HashMap<>();
        final Map<String, JobRow> jobs = new HashMap<>();
        final JobStore.Transitions transitions;
        final Map<String, JobStore.StoredResult> results = new LinkedHashMap<>();
        final Map<String, LeaseRowState> ended = new LinkedHashMap<>();
        final List<Runnable> afterCommit = new ArrayList<>();

        Batch(JobStore.Transitions transitions) {
            this.transitions = transitions;
        }

        JobRow job(LeaseRow lease) {
            return jobs.get(lease.jobId());
        }

        void end(LeaseRow lease, LeaseRowState state, JobRow job) {
            ended.put(lease.id(), state);
            leases.put(lease.id(), withLease(lease, state, lease.expiresAt()));
            jobs.put(job.id(), job);
        }
    }

    private ReportResponse apply(Predicate<LeaseRow> mine, ReportRequest request) {
        Instant now = now();
        Instant expires = now.plus(config.leaseDuration());
        Set<String> named = new LinkedHashSet<>(request.started());
        request.results().forEach(r -> named.add(r.leaseId()));
        request.failures().forEach(f -> named.add(f.leaseId()));
        named.addAll(request.renew());
        request.released().forEach(r -> named.add(r.leaseId()));
        Batch b = new Batch(jobs.transitions());
        ReportResponse response = jdbi.inTransaction(h -> {
            List<LeaseRow> found = leases.findAll(h, named).stream().filter(mine).toList();
            if (!found.isEmpty()) {
                List<String> jobIds = found.stream().map(LeaseRow::jobId).distinct().toList();
                jobs.findAllForUpdate(h, jobIds).forEach(j -> b.jobs.put(j.id(), j));
                // Read again under the jobs' locks: a lease ends only while its job is locked, so these are current.
                leases.findAll(h, named).stream().filter(mine).forEach(l -> b.leases.put(l.id(), l));
            }
            Set<String> extend = new LinkedHashSet<>();
            for (String id : request.started()) {
                extend.add(id);
            }
            extend.addAll(request.renew());
            extend.removeIf(id -> !b.leases.containsKey(id) || b.leases.get(id).state() != LeaseRowState.ACTIVE);
            if (!extend.isEmpty()) {
                leases.extend(h, extend, expires);
                for (String id : extend) {
                    LeaseRow l = b.leases.get(id);
                    if (l.expiresAt().isBefore(expires)) {
                        b.leases.put(id, withLease(l, l.state(), expires));
                    }
                }
            }
            List<ReportOutcome> started = new ArrayList<>();
            for (String id : request.started()) {
                started.add(started(b, id, now));
            }
            List<ReportOutcome> results = new ArrayList<>();
            for (LeaseResult r : request.results()) {
                results.add(result(h, b, r, now));
            }
            List<ReportOutcome> failures = new ArrayList<>();
            for (LeaseFailure f : request.failures()) {
                failures.add(failure(b, f, now));
            }
            List<ReportOutcome> released = new ArrayList<>();
            for (LeaseRelease r : request.released()) {
                released.add(release(b, r, now));
            }
            jobs.insertResults(h, List.copyOf(b.results.values()));
            b.transitions.write(h);
            leases.end(h, b.ended, now);
            List<LeaseStatus> statuses = new ArrayList<>(named.size());
            for (String id : named) {
                LeaseRow lease = b.leases.get(id);
                statuses.add(lease == null ? new LeaseStatus(id, Optional.empty(), LeaseState.GONE, Optional.empty())
                        : status(lease, b.job(lease)));
            }
            return new ReportResponse(statuses, started, results, failures, released);
        });
        b.afterCommit.forEach(Runnable::run);
        return response;
    }

    private ReportOutcome started(Batch b, String leaseId, Instant now) {
        LeaseRow lease = b.leases.get(leaseId);
        if (lease == null) {
            return ReportOutcome.refused(leaseId, notFound(leaseId));
        }
        JobRow job = b.job(lease);
        if (!isCurrent(lease, job)) {
            return ReportOutcome.refused(leaseId, Problem.of(ErrorCode.LEASE_NOT_CURRENT, notCurrent(lease, job,
                    describe(lease, job))));
        }
        if (job.state() != JobState.ASSIGNED) {
            return job.startedAt().isPresent() ? ReportOutcome.repeated(leaseId) : ReportOutcome.accepted(leaseId);
        }
        b.jobs.put(job.id(), b.transitions.apply(job, JobEvent.START, Optional.empty(), now));
        return ReportOutcome.accepted(leaseId);
    }

    private ReportOutcome result(Handle h, Batch b, LeaseResult report, Instant now) {
        String leaseId = report.leaseId();
        LeaseRow lease = b.leases.get(leaseId);
        if (lease == null) {
            return ReportOutcome.refused(leaseId, notFound(leaseId));
        }
        JobRow job = b.job(lease);
        if (!isCurrent(lease, job)) {
            if (lease.state() == LeaseRowState.COMPLETED) {
                return ReportOutcome.repeated(leaseId); // a retry of this lease's report, already accepted
            }
            Optional<JobStore.StoredResult> existing = Optional.ofNullable(b.results.get(job.id()))
                    .or(() -> jobs.findResult(h, job.id()));
            return ReportOutcome.refused(leaseId, refused(job, lease, existing.map(r -> "the job's result was "
                    + "already accepted from lease " + r.leaseId() + " (attempt " + r.attempt() + ")")
                    .orElseGet(() -> describe(lease, job))));
        }
        try {
            JobService.checkResult(job, report.results());
        } catch (ApiException e) {
            return ReportOutcome.refused(leaseId, e.problem());
        }
        // A result whose start was never reported (the job was quicker than the report) records the start too.
        JobRow running = job.state() == JobState.ASSIGNED
                ? b.transitions.apply(job, JobEvent.START, Optional.empty(), now) : job;
        b.results.put(job.id(), new JobStore.StoredResult(job.id(), leaseId, lease.attempt(),
                ApiJson.write(report.result()), now));
        b.end(lease, LeaseRowState.COMPLETED, b.transitions.apply(running, JobEvent.COMPLETE, Optional.empty(), now));
        b.afterCommit.add(() -> {
            signals.signal(Signals.job(job.id()));
            telemetry.jobFinished(job.member(), job.backend(), "completed", Duration.between(job.submittedAt(), now));
            job.assignedAt().ifPresent(t -> catalog.ran(job.backend(), Duration.between(t, now)));
            LOG.atDebug().addKeyValue("job_id", job.id()).addKeyValue("lease_id", leaseId).log("result accepted");
        });
        return ReportOutcome.accepted(leaseId);
    }

    private ReportOutcome failure(Batch b, LeaseFailure report, Instant now) {
        String leaseId = report.leaseId();
        Optional<ReportOutcome> unusable = unusable(b, leaseId, LeaseRowState.FAILED);
        if (unusable.isPresent()) {
            return unusable.get();
        }
        LeaseRow lease = b.leases.get(leaseId);
        JobRow job = b.job(lease);
        String reported = abbreviate(report.reason(), 1500);
        JobRow ended = endAttempt(b.transitions, job, lease, report.retryable(), "attempt " + lease.attempt() + ": "
                + reported, now);
        b.end(lease, LeaseRowState.FAILED, ended);
        b.afterCommit.add(() -> afterAttemptEnded(ended, now, "agent reported failure: " + report.reason()));
        return ReportOutcome.accepted(leaseId);
    }

    /**
     * Gives a lease back before its start: the job is queued again with the attempt not counted (or cancelled, if
     * that was requested meanwhile). A lease whose start was reported cannot be given back: that attempt ends with a
     * result or a failure.
     */
    private ReportOutcome release(Batch b, LeaseRelease report, Instant now) {
        String leaseId = report.leaseId();
        Optional<ReportOutcome> unusable = unusable(b, leaseId, LeaseRowState.RELEASED);
        if (unusable.isPresent()) {
            return unusable.get();
        }
        LeaseRow lease = b.leases.get(leaseId);
        JobRow job = b.job(lease);
        if (job.startedAt().isPresent()) {
            return ReportOutcome.refused(leaseId, Problem.of(ErrorCode.LEASE_STARTED, "lease " + leaseId + " of job "
                    + job.id() + " cannot be given back: its start was reported at " + job.startedAt().get()
                    + "; end the attempt with its result, or report a failure").withField("released"));
        }
        String why = "attempt " + lease.attempt() + " given back by agent " + lease.agentId() + ": "
                + abbreviate(report.reason(), 1500);
        JobRow ended = job.state() == JobState.CANCEL_REQUESTED
                ? b.transitions.apply(job, JobEvent.CONFIRM_CANCEL, Optional.of("cancelled; " + why), now)
                : b.transitions.apply(job, JobEvent.RELEASE, Optional.of(why), now);
        b.end(lease, LeaseRowState.RELEASED, ended);
        b.afterCommit.add(() -> afterAttemptEnded(ended, now, "lease given back: " + report.reason()));
        return ReportOutcome.accepted(leaseId);
    }

    /**
     * The verdict on a report that ends a lease, when the lease cannot take it: there is no such lease of this
     * agent, the same report already ended it ({@code endedAs}: answered as a repeat), or it is no longer current
     * (refused, logged and counted). Empty when the lease is current and the report can be applied.
     */
    private Optional<ReportOutcome> unusable(Batch b, String leaseId, LeaseRowState endedAs) {
        LeaseRow lease = b.leases.get(leaseId);
        if (lease == null) {
            return Optional.of(ReportOutcome.refused(leaseId, notFound(leaseId)));
        }
        JobRow job = b.job(lease);
        if (isCurrent(lease, job)) {
            return Optional.empty();
        }
        return Optional.of(lease.state() == endedAs ? ReportOutcome.repeated(leaseId)
                : ReportOutcome.refused(leaseId, refused(job, lease, describe(lease, job))));
    }

    private static LeaseRow withLease(LeaseRow l, LeaseRowState state, Instant expiresAt) {
        return new LeaseRow(l.id(), l.jobId(), l.agentId(), l.agentMember(), l.attempt(), state, l.grantedAt(),
                expiresAt, l.endedAt());
    }

    private static Problem notFound(String leaseId) {
        return Problem.of(ErrorCode.NOT_FOUND, "there is no lease " + leaseId + " of this agent");
    }

    private static boolean isCurrent(LeaseRow lease, JobRow job) {
        return job != null && lease.state() == LeaseRowState.ACTIVE
                && job.leaseId().map(lease.id()::equals).orElse(false) && job.state().isLeased();
    }

    private static LeaseStatus status(LeaseRow lease, JobRow job) {
        LeaseState state;
        if (!isCurrent(lease, job)) {
            state = LeaseState.GONE;
        } else if (job.state() == JobState.CANCEL_REQUESTED) {
            state = LeaseState.CANCEL_REQUESTED;
        } else {
            state = LeaseState.ACTIVE;
        }
        return new LeaseStatus(lease.id(), Optional.of(lease.jobId()), state,
                state == LeaseState.GONE ? Optional.empty() : Optional.of(lease.expiresAt()));
    }

    /** Ends the job's current attempt without a result; the caller holds the job's row lock. */
    private static JobRow endAttempt(JobStore.Transitions t, JobRow job, LeaseRow lease, boolean retryable,
                                     String reason, Instant now) {
        if (job.state() == JobState.CANCEL_REQUESTED) {
            return t.apply(job, JobEvent.CONFIRM_CANCEL, Optional.of("cancelled; " + reason), now);
        } else if (retryable && lease.attempt() < job.maxAttempts()) {
            return t.apply(job, JobEvent.RETRY, Optional.of(reason), now);
        } else {
            String why = retryable ? reason + " (no attempts left of " + job.maxAttempts() + ")" : reason
                    + " (not retryable)";
            return t.apply(job, JobEvent.FAIL, Optional.of(why), now);
        }
    }

    private void afterAttemptEnded(JobRow job, Instant now, String why) {
        switch (job.state()) {
            case QUEUED -> signals.signal(Signals.work(job.backend()));
            case FAILED -> {
                signals.signal(Signals.job(job.id()));
                telemetry.jobFinished(job.member(), job.backend(), "failed", Duration.between(job.submittedAt(), now));
            }
            case CANCELLED -> {
                signals.signal(Signals.job(job.id()));
                telemetry.jobFinished(job.member(), job.backend(), "cancelled",
                        Duration.between(job.submittedAt(), now));
            }
            default -> { }
        }
        LOG.atInfo().addKeyValue("job_id", job.id()).addKeyValue("attempt", job.attempt())
                .addKeyValue("status", job.state()).log("attempt ended without a result: {}", why);
    }

    /** A report refused because its lease is no longer the job's: logged and counted, as a late duplicate is. */
    private Problem refused(JobRow job, LeaseRow lease, String why) {
        telemetry.duplicateResultRefused(job.backend());
        LOG.atWarn().addKeyValue("job_id", job.id()).addKeyValue("lease_id", lease.id())
                .addKeyValue("agent_id", lease.agentId()).log("report refused: {}", why);
        return Problem.of(ErrorCode.LEASE_NOT_CURRENT, notCurrent(lease, job, why));
    }

    private static String notCurrent(LeaseRow lease, JobRow job, String why) {
        return "lease " + lease.id() + " of job " + job.id() + " is no longer current: " + why + "; drop this job";
    }

    private static String describe(LeaseRow lease, JobRow job) {
        if (lease.state() == LeaseRowState.EXPIRED) {
            return "the lease expired at " + lease.expiresAt() + " and the job is now " + job.state()
                    + (job.attempt() > lease.attempt() ? " (attempt " + job.attempt() + ")" : "");
        }
        if (lease.state() == LeaseRowState.RELEASED) {
            return "the agent gave the lease back and the job is now " + job.state();
        }
        return "the lease ended (" + lease.state() + ") and the job is " + job.state();
    }

    // ---- expiry ----

    /**
     * Ends every lease that ran out: its job is queued again, failed when out of attempts, or cancelled when that
     * was requested. Run by the replica that holds the leader lock; safe to run anywhere (rows are locked).
     *
     * @return how many leases expired
     */
    public int sweepExpired() {
        int total = 0;
        while (true) {
            Instant now = now();
            List<LeaseRow> due = jdbi.withHandle(h -> leases.expired(h, now, SWEEP_BATCH));
            for (LeaseRow lease : due) {
                expire(lease, now);
            }
            total += due.size();
            if (due.size() < SWEEP_BATCH) {
                return total;
            }
        }
    }

    private void expire(LeaseRow due, Instant now) {
        Optional<JobRow> changed = jdbi.inTransaction(h -> {
            JobRow job = jobs.findForUpdate(h, due.jobId()).orElseThrow();
            LeaseRow lease = leases.find(h, due.id()).orElseThrow();
            if (lease.state() != LeaseRowState.ACTIVE || !lease.expiresAt().isBefore(now)) {
                return Optional.<JobRow>empty(); // reported or extended meanwhile
            }
            leases.end(h, Map.of(lease.id(), LeaseRowState.EXPIRED), now);
            if (!isCurrent(lease, job)) {
                return Optional.<JobRow>empty();
            }
            JobStore.Transitions t = jobs.transitions();
            JobRow ended = endAttempt(t, job, lease, true, "attempt " + lease.attempt() + ": lease expired at "
                    + lease.expiresAt() + " without a result from agent " + lease.agentId(), now);
            t.write(h);
            return Optional.of(ended);
        });
        changed.ifPresent(job -> {
            telemetry.leaseExpired(job.backend());
            afterAttemptEnded(job, now, "lease " + due.id() + " expired");
        });
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
