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
import dev.qfed.api.LeaseStatus;
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
import java.util.Optional;

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
                    c.circuits(), j.tags(), expires));
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

    // ---- heartbeats and start ----

    /** Extends the agent's leases and says, for each, whether to go on, stop for a cancellation, or drop it. */
    public HeartbeatResponse heartbeat(Principal caller, String agentId, HeartbeatRequest request) {
        AgentRow agent = agentService.agentOf(caller, agentId);
        touch(agent.id());
        if (request.leaseIds().size() > 10_000) {
            throw ApiException.field(ErrorCode.LIMIT_EXCEEDED, "lease_ids", "at most 10000 leases per heartbeat");
        }
        Instant expires = now().plus(config.leaseDuration());
        return jdbi.inTransaction(h -> {
            leases.extend(h, agent.id(), request.leaseIds(), expires);
            Map<String, LeaseRow> found = new HashMap<>();
            leases.findAll(h, request.leaseIds()).forEach(l -> found.put(l.id(), l));
            Map<String, JobRow> jobsById = new HashMap<>();
            jobs.findAll(h, found.values().stream().map(LeaseRow::jobId).distinct().toList())
                    .forEach(j -> jobsById.put(j.id(), j));
            List<LeaseStatus> out = new ArrayList<>();
            for (String id : request.leaseIds()) {
                LeaseRow lease = found.get(id);
                if (lease == null || !lease.agentId().equals(agent.id())) {
                    out.add(new LeaseStatus(id, Optional.empty(), LeaseState.GONE, Optional.empty()));
                    continue;
                }
                out.add(status(lease, jobsById.get(lease.jobId())));
            }
            return new HeartbeatResponse(out);
        });
    }

    /** Marks a leased job RUNNING. Answers CANCEL_REQUESTED or GONE when the agent should not run it. */
    public LeaseStatus start(Principal caller, String leaseId) {
        Instant now = now();
        return jdbi.inTransaction(h -> {
            LeaseRow lease = visibleLease(h, caller, leaseId);
            JobRow job = jobs.findForUpdate(h, lease.jobId()).orElseThrow();
            if (isCurrent(lease, job) && job.state() == JobState.ASSIGNED) {
                jobs.transition(h, job, JobEvent.START, Optional.empty(), now);
                leases.extend(h, lease.agentId(), List.of(lease.id()), now.plus(config.leaseDuration()));
                job = jobs.find(h, job.id()).orElseThrow();
                lease = leases.find(h, leaseId).orElseThrow();
            }
            return status(lease, job);
        });
    }

    private static boolean isCurrent(LeaseRow lease, JobRow job) {
        return lease.state() == LeaseRowState.ACTIVE && job.leaseId().map(lease.id()::equals).orElse(false)
                && job.state().isLeased();
    }

    private static LeaseStatus status(LeaseRow lease, JobRow job) {
        LeaseState state;
        if (job == null || !isCurrent(lease, job)) {
            state = LeaseState.GONE;
        } else if (job.state() == JobState.CANCEL_REQUESTED) {
            state = LeaseState.CANCEL_REQUESTED;
        } else {
            state = LeaseState.ACTIVE;
        }
        return new LeaseStatus(lease.id(), Optional.of(lease.jobId()), state,
                state == LeaseState.GONE ? Optional.empty() : Optional.of(lease.expiresAt()));
    }

    // ---- result and failure ----

    /**
     * Accepts the result of the lease's job. The same lease sending it again is answered as success; any other
     * report for a job that is not (or no longer) held by this lease is refused with {@code lease-not-current}.
     */
    public void result(Principal caller, String leaseId, SubmitResultRequest result) {
        Instant now = now();
        record Accepted(JobRow job) {
        }
        Optional<Accepted> accepted = jdbi.inTransaction(h -> {
            LeaseRow lease = visibleLease(h, caller, leaseId);
            JobRow job = jobs.findForUpdate(h, lease.jobId()).orElseThrow();
            if (!isCurrent(lease, job)) {
                // Read again now that the job is locked: a twin of this report may have just been accepted.
                LeaseRow reread = leases.find(h, leaseId).orElseThrow();
                if (reread.state() == LeaseRowState.COMPLETED) {
                    return Optional.<Accepted>empty(); // a retry of this lease's report, already accepted
                }
                Optional<JobStore.StoredResult> existing = jobs.findResult(h, job.id());
                throw refused(job, reread, existing.map(r -> "the job's result was already accepted from lease "
                        + r.leaseId() + " (attempt " + r.attempt() + ")").orElseGet(() -> describe(reread, job)));
            }
            JobService.checkResult(job, result.results());
            jobs.insertResult(h, new JobStore.StoredResult(job.id(), leaseId, lease.attempt(),
                    ApiJson.write(result), now));
            jobs.transition(h, job, JobEvent.COMPLETE, Optional.empty(), now);
            leases.end(h, leaseId, LeaseRowState.COMPLETED, now);
            return Optional.of(new Accepted(job));
        });
        accepted.ifPresent(a -> {
            JobRow job = a.job();
            signals.signal(Signals.job(job.id()));
            telemetry.jobFinished(job.member(), job.backend(), "completed", Duration.between(job.submittedAt(), now));
            job.assignedAt().ifPresent(t -> catalog.ran(job.backend(), Duration.between(t, now)));
            LOG.atDebug().addKeyValue("job_id", job.id()).addKeyValue("lease_id", leaseId).log("result accepted");
        });
    }

    /**
     * Records that the lease's attempt failed: the job is queued again while attempts remain and the failure is
     * retryable, fails otherwise, and ends CANCELLED if its cancellation was requested. Repeating the report for
     * the same lease is harmless.
     */
    public void fail(Principal caller, String leaseId, FailLeaseRequest failure) {
        Instant now = now();
        String reported = abbreviate(failure.reason(), 1500);
        Optional<JobRow> changed = jdbi.inTransaction(h -> {
            LeaseRow lease = visibleLease(h, caller, leaseId);
            JobRow job = jobs.findForUpdate(h, lease.jobId()).orElseThrow();
            if (!isCurrent(lease, job)) {
                LeaseRow fresh = leases.find(h, leaseId).orElseThrow(); // as above: re-read under the job's lock
                if (fresh.state() == LeaseRowState.FAILED) {
                    return Optional.<JobRow>empty(); // the same report again
                }
                throw refused(job, fresh, describe(fresh, job));
            }
            endAttempt(h, job, lease, failure.retryable(), "attempt " + lease.attempt() + ": " + reported, now);
            leases.end(h, leaseId, LeaseRowState.FAILED, now);
            return Optional.of(jobs.find(h, job.id()).orElseThrow());
        });
        changed.ifPresent(job -> afterAttemptEnded(job, now, "agent reported failure: " + failure.reason()));
    }

    /** Ends the job's current attempt without a result; the caller holds the job's row lock. */
    private void endAttempt(Handle h, JobRow job, LeaseRow lease, boolean retryable, String reason, Instant now) {
        if (job.state() == JobState.CANCEL_REQUESTED) {
            jobs.transition(h, job, JobEvent.CONFIRM_CANCEL, Optional.of("cancelled; " + reason), now);
        } else if (retryable && lease.attempt() < job.maxAttempts()) {
            jobs.transition(h, job, JobEvent.RETRY, Optional.of(reason), now);
        } else {
            String why = retryable ? reason + " (no attempts left of " + job.maxAttempts() + ")" : reason
                    + " (not retryable)";
            jobs.transition(h, job, JobEvent.FAIL, Optional.of(why), now);
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

    private ApiException refused(JobRow job, LeaseRow lease, String why) {
        telemetry.duplicateResultRefused(job.backend());
        LOG.atWarn().addKeyValue("job_id", job.id()).addKeyValue("lease_id", lease.id())
                .addKeyValue("agent_id", lease.agentId()).log("report refused: {}", why);
        return ApiException.of(ErrorCode.LEASE_NOT_CURRENT, "lease " + lease.id() + " of job " + job.id()
                + " is no longer current: " + why + "; drop this job");
    }

    private static String describe(LeaseRow lease, JobRow job) {
        if (lease.state() == LeaseRowState.EXPIRED) {
            return "the lease expired at " + lease.expiresAt() + " and the job is now " + job.state()
                    + (job.attempt() > lease.attempt() ? " (attempt " + job.attempt() + ")" : "");
        }
        return "the lease ended (" + lease.state() + ") and the job is " + job.state();
    }

    private LeaseRow visibleLease(Handle h, Principal caller, String leaseId) {
        AgentService.requireAgent(caller);
        return leases.find(h, leaseId).filter(l -> l.agentMember().equals(caller.member()))
                .orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND, "there is no lease " + leaseId
                        + " of member " + caller.member()));
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
            leases.end(h, lease.id(), LeaseRowState.EXPIRED, now);
            if (!isCurrent(lease, job)) {
                return Optional.<JobRow>empty();
            }
            endAttempt(h, job, lease, true, "attempt " + lease.attempt() + ": lease expired at " + lease.expiresAt()
                    + " without a result from agent " + lease.agentId(), now);
            return Optional.of(jobs.find(h, job.id()).orElseThrow());
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
