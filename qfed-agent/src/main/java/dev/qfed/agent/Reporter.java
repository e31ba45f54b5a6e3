package dev.qfed.agent;

import dev.qfed.agent.internal.AgentLog;
import dev.qfed.agent.internal.Backoff;
import dev.qfed.agent.internal.BrokerCallException;
import dev.qfed.agent.internal.BrokerClient;
import dev.qfed.api.ErrorCode;
import dev.qfed.api.FailLeaseRequest;
import dev.qfed.api.Lease;
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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The agent's reporter: one thread that sends what the job threads queue (starts, results, failures, leases given
 * back) in {@code POST /v1/agents/{id}/reports} calls, renews the leases in hand at the heartbeat interval and
 * applies the lease statuses the broker answers. {@link SiteAgent} (How it works) tells how it batches.
 */
final class Reporter {
    /**
     * How long a start may wait alone for other report items. Most jobs an emulator runs end within it, so their
     * start never travels on its own (with {@link #REPORT_GAP}, at 500 jobs/s, that halved the jobs' row updates and
     * the agents' report calls); a job that runs longer shows RUNNING this much later, which nobody watching a
     * device job notices.
     */
    static final Duration START_LINGER = Duration.ofMillis(50);
    /**
     * The least time between the starts of two report calls while the agent runs: under load, what arrives in
     * between goes in one call. A result reaches the broker at most this much later; the backend's slot is free
     * meanwhile.
     */
    static final Duration REPORT_GAP = Duration.ofMillis(10);
    /** Items of each kind per report call; more wait for the next call. */
    static final int MAX_REPORT_ITEMS = 500;

    private static final AgentLog LOG = AgentLog.of("dev.qfed.agent");

    /** What the reporter needs to know of the agent and tell it. */
    interface Agent {
        /** The id the broker gave the agent; empty while it is not registered. */
        Optional<String> id();

        /** Whether the agent still leases work (not draining or stopped). */
        boolean running();

        /** Whether the agent has stopped (drained, or halted): nothing more is sent. */
        boolean stopped();

        /** Whether queued reports are no longer worth sending: the agent was halted or the drain's grace is over. */
        boolean pastGiveUp();

        /** The lease duration the broker gave at registration. */
        Duration leaseDuration();

        /** The heartbeat interval the broker gave at registration (at least the agent's minimum). */
        Duration heartbeatInterval();

        /** The broker refused the agent's token on a report call, also after it was read again. */
        void unauthorized(BrokerCallException e);

        /** The broker answered 404 for the agent on a report call. */
        void forgotten(BrokerCallException e);
    }

    /** A report item waiting to be sent, and the job thread's handle on the broker's verdict. */
    private record Pending<T>(String leaseId, Optional<Execution> execution, T item,
                              CompletableFuture<ReportOutcome> verdict) {
    }

    private final Agent agent;
    private final BrokerClient client;
    /** The reporter thread's own. */
    private final Backoff backoff;
    /** The leases in hand (the agent's): renewed at the heartbeat, and the targets of the statuses answered. */
    private final Map<String, Execution> executions;
    private final Thread thread;

    // The reports waiting for the next call (guarded by lock).
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition reportsQueued = lock.newCondition();
    private final LinkedHashMap<String, Execution> pendingStarts = new LinkedHashMap<>();
    private final LinkedHashMap<String, Pending<LeaseResult>> pendingResults = new LinkedHashMap<>();
    private final LinkedHashMap<String, Pending<LeaseFailure>> pendingFailures = new LinkedHashMap<>();
    private final LinkedHashMap<String, Pending<LeaseRelease>> pendingReleases = new LinkedHashMap<>();
    /** Leases being given back whose verdict has not come yet: the drain waits for them. */
    private final Set<CompletableFuture<ReportOutcome>> releasing = ConcurrentHashMap.newKeySet();
    /** When the leases in hand are to be renewed next: an interval after registration and after each heartbeat. */
    private volatile Instant nextBeat = Instant.MAX;
    /** When the oldest start in {@link #pendingStarts} was queued ({@link System#nanoTime}; guarded by lock). */
    private long startsQueuedAt;
    /** When the last report call was put together ({@link System#nanoTime}; the reporter thread's own). */
    private long lastReportAt = System.nanoTime() - REPORT_GAP.toNanos();

    /** A reporter whose thread is made but not started ({@link #start}). */
    Reporter(Agent agent, BrokerClient client, Backoff backoff, Map<String, Execution> executions) {
        this.agent = agent;
        this.client = client;
        this.backoff = backoff;
        this.executions = executions;
        this.thread = Thread.ofVirtual().name("qfed-agent-reporter").unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    /** Wakes the thread from a call in flight or a backoff (to stop: the agent's state says so). */
    void interrupt() {
        thread.interrupt();
    }

    /** Waits up to {@code timeout} for the thread to end (after the agent stopped and {@link #wake} was called). */
    void join(Duration timeout) {
        Threads.joinQuietly(thread, timeout);
    }

    /** The agent (re)registered: the first heartbeat is due an interval from now; reports may have waited for it. */
    void registered() {
        nextBeat = Instant.now().plus(agent.heartbeatInterval());
        wake();
    }

    /** Wakes the thread when it waits for reports, so that it looks at the agent's state again. */
    void wake() {
        lock.lock();
        try {
            reportsQueued.signal();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------------ queues

    /** Queues a job's start, which waits up to {@link #START_LINGER} for other items to go with. */
    void queueStart(Execution ex) {
        lock.lock();
        try {
            if (pendingStarts.isEmpty()) {
                startsQueuedAt = System.nanoTime();
            }
            pendingStarts.put(ex.lease.leaseId(), ex);
            reportsQueued.signal();
        } finally {
            lock.unlock();
        }
    }

    CompletableFuture<ReportOutcome> queueResult(Execution ex, SubmitResultRequest body) {
        return queueLast(ex, new LeaseResult(ex.lease.leaseId(), body), pendingResults);
    }

    CompletableFuture<ReportOutcome> queueFailure(Execution ex, FailLeaseRequest body) {
        return queueLast(ex, new LeaseFailure(ex.lease.leaseId(), body), pendingFailures);
    }

    /**
     * Queues a job's result or failure; a start of the same lease still queued is dropped, since the broker records
     * it too.
     */
    private <T> CompletableFuture<ReportOutcome> queueLast(Execution ex, T item, Map<String, Pending<T>> queue) {
        String id = ex.lease.leaseId();
        Pending<T> p = new Pending<>(id, Optional.of(ex), item, new CompletableFuture<>());
        lock.lock();
        try {
            pendingStarts.remove(id);
            queue.put(id, p);
            reportsQueued.signal();
        } finally {
            lock.unlock();
        }
        return p.verdict();
    }

    /** Gives a lease back unstarted: the broker queues the job again without counting the attempt. */
    void queueRelease(Lease lease, String why) {
        Pending<LeaseRelease> p = new Pending<>(lease.leaseId(), Optional.empty(),
                new LeaseRelease(lease.leaseId(), why), new CompletableFuture<>());
        releasing.add(p.verdict());
        lock.lock();
        try {
            pendingReleases.put(lease.leaseId(), p);
            reportsQueued.signal();
        } finally {
            lock.unlock();
        }
        p.verdict().whenComplete((o, e) -> {
            releasing.remove(p.verdict());
            if (e != null || o.verdict() == ReportVerdict.REFUSED) {
                LOG.warn("lease.give_back_failed", "job_id", lease.jobId(), "lease_id", lease.leaseId(), "detail",
                        e != null ? e.getMessage() : o.problem().map(Problem::detail).orElse(""));
            }
        });
    }

    /** Waits until the broker has answered every lease given back, or {@code until}. */
    void awaitReleases(Instant until) {
        try {
            CompletableFuture.allOf(releasing.toArray(CompletableFuture[]::new))
                    .get(Math.max(1, Duration.between(Instant.now(), until).toMillis()), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("lease.give_back_unanswered", "count", releasing.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------------ the loop

    /**
     * Sends whatever queued while the previous call was in flight as one call, and renews the leases in hand at the
     * heartbeat interval (in a call of its own only when nothing else is going).
     */
    private void loop() {
        while (true) {
            List<Execution> starts = new ArrayList<>();
            List<Pending<LeaseResult>> results = new ArrayList<>();
            List<Pending<LeaseFailure>> failures = new ArrayList<>();
            List<Pending<LeaseRelease>> releases = new ArrayList<>();
            boolean beat;
            String id;
            lock.lock();
            try {
                while (true) {
                    if (agent.stopped()) {
                        abandonQueued();
                        return;
                    }
                    id = agent.id().orElse(null);
                    beat = id != null && !executions.isEmpty() && !Instant.now().isBefore(nextBeat);
                    boolean queued = !pendingResults.isEmpty() || !pendingFailures.isEmpty()
                            || !pendingReleases.isEmpty();
                    long now = System.nanoTime();
                    boolean running = agent.running();
                    long startsWait = pendingStarts.isEmpty() ? Long.MAX_VALUE : !running ? 0
                            : startsQueuedAt + START_LINGER.toNanos() - now;
                    long sendWait = queued || startsWait <= 0
                            ? (running ? lastReportAt + REPORT_GAP.toNanos() - now : 0) : Long.MAX_VALUE;
                    if (id != null && (beat || sendWait <= 0)) {
                        break;
                    }
                    Duration wait = id == null || executions.isEmpty() ? agent.heartbeatInterval()
                            : Duration.between(Instant.now(), nextBeat);
                    long soonest = Math.min(Math.max(startsWait, 0), Math.max(sendWait, 0));
                    if (id != null && soonest < wait.toNanos()) {
                        wait = Duration.ofNanos(soonest);
                    }
                    try {
                        reportsQueued.awaitNanos(Math.max(1, wait.toNanos()));
                    } catch (InterruptedException e) {
                        // woken to stop: the state says so
                    }
                }
                lastReportAt = System.nanoTime();
                take(pendingStarts.values(), starts);
                take(pendingResults.values(), results);
                take(pendingFailures.values(), failures);
                take(pendingReleases.values(), releases);
            } finally {
                lock.unlock();
            }
            Set<String> ending = new HashSet<>();
            results.forEach(p -> ending.add(p.leaseId()));
            failures.forEach(p -> ending.add(p.leaseId()));
            List<String> renew = new ArrayList<>();
            if (beat) {
                executions.keySet().stream().filter(l -> !ending.contains(l)).forEach(renew::add);
            }
            ReportRequest request = new ReportRequest(starts.stream().map(ex -> ex.lease.leaseId()).toList(),
                    results.stream().map(Pending::item).toList(), failures.stream().map(Pending::item).toList(),
                    renew, releases.stream().map(Pending::item).toList());
            try {
                ReportResponse answer = client.report(id, request);
                backoff.reset();
                if (beat) {
                    nextBeat = Instant.now().plus(agent.heartbeatInterval());
                }
                for (LeaseStatus status : answer.leases()) {
                    Execution ex = executions.get(status.leaseId());
                    if (ex != null && !ending.contains(status.leaseId())) {
                        apply(ex, status);
                    }
                }
                for (int i = 0; i < results.size(); i++) {
                    results.get(i).verdict().complete(answer.results().get(i));
                }
                for (int i = 0; i < failures.size(); i++) {
                    failures.get(i).verdict().complete(answer.failures().get(i));
                }
                for (int i = 0; i < releases.size(); i++) {
                    releases.get(i).verdict().complete(answer.released().get(i));
                }
            } catch (BrokerCallException e) {
                if (e.getCause() instanceof InterruptedException) {
                    Thread.interrupted();
                    requeue(starts, results, failures, releases, e);
                    continue;
                }
                if (e.unauthorized()) {
                    agent.unauthorized(e);
                    giveUp(results, failures, releases, e);
                    continue;
                }
                if (e.notFound() && e.code().filter(c -> c == ErrorCode.NOT_FOUND).isPresent()) {
                    agent.forgotten(e);
                    requeue(starts, results, failures, releases, e);
                    continue;
                }
                if (!e.retryable()) {
                    LOG.error("report.rejected", null, "status", e.status(), "detail", e.getMessage());
                    giveUp(results, failures, releases, e);
                    continue;
                }
                if (!agent.stopped()) {
                    LOG.warn("report.retry", "status", e.status(), "items", request.size(), "detail", e.getMessage());
                }
                requeue(starts, results, failures, releases, e);
                Threads.sleep(backoff.next());
            } catch (RuntimeException e) {
                LOG.error("report.error", e, "detail", e.toString());
                requeue(starts, results, failures, releases, BrokerCallException.unreachable("POST reports", e));
                Threads.sleep(backoff.next());
            }
        }
    }

    /** Moves up to {@link #MAX_REPORT_ITEMS} queued items into {@code into}. */
    private static <T> void take(Collection<T> queued, List<T> into) {
        var it = queued.iterator();
        while (it.hasNext() && into.size() < MAX_REPORT_ITEMS) {
            into.add(it.next());
            it.remove();
        }
    }

    /**
     * Puts items of a call that did not go through back in the queue, but not those there is no point in sending
     * any more (the lease is gone or long expired, the drain's grace is over): their job threads are told.
     */
    private void requeue(List<Execution> starts, List<Pending<LeaseResult>> results,
                         List<Pending<LeaseFailure>> failures, List<Pending<LeaseRelease>> releases,
                         BrokerCallException why) {
        lock.lock();
        try {
            for (Execution ex : starts) {
                String id = ex.lease.leaseId();
                if (!ex.gone && !pastHope(ex) && !pendingResults.containsKey(id) && !pendingFailures.containsKey(id)) {
                    if (pendingStarts.isEmpty()) {
                        startsQueuedAt = System.nanoTime() - START_LINGER.toNanos(); // waited already
                    }
                    pendingStarts.putIfAbsent(id, ex);
                }
            }
            requeue(results, pendingResults, why);
            requeue(failures, pendingFailures, why);
            requeue(releases, pendingReleases, why);
        } finally {
            lock.unlock();
        }
    }

    private <T> void requeue(List<Pending<T>> items, Map<String, Pending<T>> queue, BrokerCallException why) {
        for (Pending<T> p : items) {
            if (worthSending(p)) {
                queue.putIfAbsent(p.leaseId(), p);
            } else {
                p.verdict().completeExceptionally(why);
            }
        }
    }

    private boolean worthSending(Pending<?> p) {
        return !agent.pastGiveUp() && p.execution().map(ex -> !ex.gone && !pastHope(ex)).orElse(true);
    }

    /** The lease expired a full lease duration ago by our clock: the broker has given the job to someone else. */
    private boolean pastHope(Execution ex) {
        return Instant.now().isAfter(ex.expiresAt.plus(agent.leaseDuration()));
    }

    private static void giveUp(List<Pending<LeaseResult>> results, List<Pending<LeaseFailure>> failures,
                               List<Pending<LeaseRelease>> releases, BrokerCallException why) {
        results.forEach(p -> p.verdict().completeExceptionally(why));
        failures.forEach(p -> p.verdict().completeExceptionally(why));
        releases.forEach(p -> p.verdict().completeExceptionally(why));
    }

    /** The agent stopped: reports still queued will not be sent. */
    private void abandonQueued() {
        BrokerCallException why = BrokerCallException.unreachable("POST reports",
                new IllegalStateException("the agent stopped"));
        pendingResults.values().forEach(p -> p.verdict().completeExceptionally(why));
        pendingFailures.values().forEach(p -> p.verdict().completeExceptionally(why));
        pendingReleases.values().forEach(p -> p.verdict().completeExceptionally(why));
        pendingStarts.clear();
        pendingResults.clear();
        pendingFailures.clear();
        pendingReleases.clear();
    }

    /** Applies a lease status the broker answered: renewed, cancelled by its submitter, or no longer ours. */
    private void apply(Execution ex, LeaseStatus status) {
        switch (status.state()) {
            case ACTIVE -> status.expiresAt().ifPresent(t -> ex.expiresAt = t);
            case CANCEL_REQUESTED -> {
                if (!ex.cancelRequested) {
                    ex.cancelRequested = true;
                    LOG.info("lease.cancel_requested", ex.keys());
                    ex.cancel("cancelled by the submitter");
                }
            }
            case GONE -> {
                if (!ex.gone) {
                    ex.gone = true;
                    LOG.warn("lease.gone", ex.keys());
                    ex.cancel("the lease is no longer this agent's");
                }
            }
        }
    }
}
