package dev.qfed.agent;

import dev.qfed.agent.internal.AgentLog;
import dev.qfed.agent.internal.Backoff;
import dev.qfed.agent.internal.BrokerCallException;
import dev.qfed.agent.internal.BrokerClient;
import dev.qfed.agent.spi.Backend;
import dev.qfed.agent.spi.BackendBehavior;
import dev.qfed.agent.spi.BackendContext;
import dev.qfed.agent.spi.BackendDescription;
import dev.qfed.agent.spi.BackendFactory;
import dev.qfed.agent.spi.CancellationSource;
import dev.qfed.agent.spi.CircuitCounts;
import dev.qfed.agent.spi.CircuitSource;
import dev.qfed.agent.spi.ExecutionId;
import dev.qfed.agent.spi.ExecutionRequest;
import dev.qfed.agent.spi.ExecutionResult;
import dev.qfed.agent.spi.InvalidBackendConfigException;
import dev.qfed.agent.spi.RunMetadata;
import dev.qfed.api.AgentRegistration;
import dev.qfed.api.BackendRegistration;
import dev.qfed.api.CircuitResult;
import dev.qfed.api.CircuitSpec;
import dev.qfed.api.ErrorCode;
import dev.qfed.api.ExecutionMetadata;
import dev.qfed.api.FailLeaseRequest;
import dev.qfed.api.Lease;
import dev.qfed.api.LeaseBatch;
import dev.qfed.api.LeaseRequest;
import dev.qfed.api.LeaseFailure;
import dev.qfed.api.LeaseRelease;
import dev.qfed.api.LeaseResult;
import dev.qfed.api.LeaseStatus;
import dev.qfed.api.Problem;
import dev.qfed.api.RegisterAgentRequest;
import dev.qfed.api.ReportOutcome;
import dev.qfed.api.ReportRequest;
import dev.qfed.api.ReportResponse;
import dev.qfed.api.ReportVerdict;
import dev.qfed.api.SubmitResultRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The site agent: the composition root of the {@code qfed agent} role. It offers the member's backends to the
 * broker and runs the jobs the broker leases to it, reaching the broker only outbound (as CI runners do), so that
 * no site opens a port to the consortium.
 *
 * <p>How it works. {@link #start} creates the configured backends (through {@link BackendFactory}s found with
 * {@link ServiceLoader}) and starts virtual threads:
 * <ul>
 *   <li>one <em>lease loop</em> per backend registers the agent and its backends (the first to find it
 *       unregistered does), then long-polls {@code POST /v1/agents/{id}/lease} asking for as many jobs of its
 *       backend as it has free slots (its {@code max_concurrent}, capped by the backend's own limit). A poll per
 *       backend means a slot that frees is asked for at once, whatever the other backends' polls wait for. When
 *       the broker has forgotten the agent (404) it registers again; when the broker is unreachable it retries
 *       with exponential backoff and jitter;</li>
 *   <li>the <em>reporter</em> sends what the jobs have to say in {@code POST /v1/agents/{id}/reports} calls:
 *       starts, results and failures queue while a call is in flight and go together in the next one (batching
 *       by load, with no timer adding latency to a result); a start waits up to {@link #START_LINGER} for company,
 *       and a start still queued when its job's result arrives is left out (the broker records both from the
 *       result, in one update of the job instead of two); at the heartbeat interval the call also renews every lease in
 *       hand, and the statuses it answers trip the token of a cancelled job or stop one whose lease is gone.
 *       Reports are idempotent per lease, so a call repeated after a lost answer is harmless; an item the broker
 *       refuses because its lease is no longer current is dropped;</li>
 *   <li>one thread per leased job: queue its start, execute on the backend (the slot is free again as soon as
 *       the backend returns), then queue the result or the failure and wait for the broker's verdict.</li>
 * </ul>
 * A broker that refuses the agent's token (401) after the token was read again stops the agent with that reason.
  * Execution is at-least-once: a lease lost to a network partition expires at the broker and the job runs again
 * elsewhere. Every attempt of a job uses the same seed (the submitter's, or else one derived from the job id), so a
 * rerun on an emulator reproduces the counts.
 *
 * <p>Stopping. {@link #close()} drains: the agent stops leasing, lets running jobs finish and report for up to
 * {@code drain_timeout}, then trips the tokens of those still running and gives their jobs back to the broker as
 * retryable failures, closes the backends and ends. {@link AgentRunner} calls it on SIGTERM.
 */
public final class SiteAgent implements AutoCloseable {
    /** After the drain deadline: how long cancelled executions get to stop and hand their jobs back. */
    static final Duration DRAIN_GRACE = Duration.ofSeconds(5);
    private static final Duration MIN_HEARTBEAT = Duration.ofMillis(50);
    /**
     * How long a start may wait alone for other report items. Most jobs an emulator runs end within it, so their
     * start never travels on its own (at 500 jobs/s that halved the jobs' row updates and the agents' report calls);
     * a job that runs longer shows RUNNING this much later, which nobody watching a device job notices.
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

    private enum State { RUNNING, DRAINING, TERMINATED }

    /** One configured backend and how many of its slots are taken (guarded by {@link #lock}). */
    private static final class Slot {
        final String name;
        final Backend backend;
        final int limit;
        int running;

        Slot(String name, Backend backend, int limit) {
            this.name = name;
            this.backend = backend;
            this.limit = limit;
        }
    }

    /** A leased job from grant to report. */
    private static final class Execution {
        final Lease lease;
        final Slot slot;
        final CancellationSource token = new CancellationSource();
        volatile Instant expiresAt;
        volatile boolean gone;
        volatile boolean cancelRequested;
        volatile boolean drainCancelled;
        volatile Thread thread;

        Execution(Lease lease, Slot slot) {
            this.lease = lease;
            this.slot = slot;
            this.expiresAt = lease.expiresAt();
        }

        ExecutionId id() {
            return new ExecutionId(lease.jobId(), Math.max(1, lease.attempt()));
        }

        Object[] keys() {
            return new Object[] {"job_id", lease.jobId(), "lease_id", lease.leaseId(), "attempt", lease.attempt(),
                    "backend", slot.name};
        }
    }

    private final AgentConfig config;
    private final BrokerClient client;
    private final Map<String, Slot> slots;
    private final ConcurrentHashMap<String, Execution> executions = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final CountDownLatch registered = new CountDownLatch(1);
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final String version;

    private volatile State state = State.RUNNING;
    private volatile boolean halted;
    private volatile String agentId;
    private volatile Duration leaseDuration = Duration.ofSeconds(60);
    private volatile Duration heartbeatInterval = Duration.ofSeconds(15);
    private volatile Instant giveUpAt = Instant.MAX;
    private volatile String failure;
    private volatile int failureStatus;
    private final List<LeaseLoop> leaseLoops = new ArrayList<>();
    private final ReentrantLock registering = new ReentrantLock();
    private final AtomicBoolean refusedForGood = new AtomicBoolean();
    private Thread reporter;

    // The reports waiting for the next call (guarded by reportLock).
    private final ReentrantLock reportLock = new ReentrantLock();
    private final Condition reportsQueued = reportLock.newCondition();
    private final LinkedHashMap<String, Execution> pendingStarts = new LinkedHashMap<>();
    private final LinkedHashMap<String, Pending<LeaseResult>> pendingResults = new LinkedHashMap<>();
    private final LinkedHashMap<String, Pending<LeaseFailure>> pendingFailures = new LinkedHashMap<>();
    private final LinkedHashMap<String, Pending<LeaseRelease>> pendingReleases = new LinkedHashMap<>();
    /** Leases being given back whose verdict has not come yet: the drain waits for them. */
    private final Set<CompletableFuture<ReportOutcome>> releasing = ConcurrentHashMap.newKeySet();
    private volatile Instant nextBeat = Instant.MAX;
    /** When the oldest start in {@link #pendingStarts} was queued ({@link System#nanoTime}; guarded by reportLock). */
    private long startsQueuedAt;
    /** When the last report call was put together ({@link System#nanoTime}; the reporter's own). */
    private long lastReportAt = System.nanoTime() - REPORT_GAP.toNanos();

    /** A backend's lease loop. */
    private static final class LeaseLoop {
        final Slot slot;
        volatile boolean polling;
        Thread thread;

        LeaseLoop(Slot slot) {
            this.slot = slot;
        }
    }

    /** A result or failure waiting to be sent, and the job thread's handle on the broker's verdict. */
    private record Pending<T>(String leaseId, Optional<Execution> execution, T item,
                              CompletableFuture<ReportOutcome> verdict) {
    }

    private SiteAgent(AgentConfig config, Map<String, Slot> slots) {
        this.config = config;
        this.slots = slots;
        String v = SiteAgent.class.getPackage().getImplementationVersion();
        this.version = "qfed-agent " + (v == null ? "dev" : v);
        this.client = new BrokerClient(config.server(), config.token(), version.replace(' ', '/'));
    }

    // ------------------------------------------------------------------------------------------------ entry

    /**
     * Creates the configured backends with the factories on the class path and starts the agent. Returns at once;
     * registration happens in the background (and is retried while the broker cannot be reached).
     *
     * @throws InvalidAgentConfigException when a backend's type is unknown or its configuration is wrong
     * @throws IllegalStateException       when a backend cannot be created for another reason
     */
    public static SiteAgent start(AgentConfig config) {
        List<BackendFactory> factories = new ArrayList<>();
        ServiceLoader.load(BackendFactory.class).forEach(factories::add);
        return start(config, factories);
    }

    /** Like {@link #start(AgentConfig)} with the given factories instead of those on the class path. */
    public static SiteAgent start(AgentConfig config, Collection<? extends BackendFactory> factories) {
        Map<String, BackendFactory> byType = new TreeMap<>();
        for (BackendFactory f : factories) {
            BackendFactory before = byType.putIfAbsent(f.type(), f);
            if (before != null && before.getClass() != f.getClass()) {
                throw new IllegalStateException("two backend factories claim type '" + f.type() + "': "
                        + before.getClass().getName() + " and " + f.getClass().getName());
            }
        }
        Map<String, Slot> slots = new LinkedHashMap<>();
        try {
            for (AgentConfig.SiteBackend b : config.backends()) {
                BackendContext context = BackendContext.of(config.baseDirectory(), b.maxConcurrent().orElse(1));
                BackendFactory factory = byType.get(b.type());
                if (factory == null) {
                    throw InvalidAgentConfigException.at(config.source(), b.path() + ".type", "unknown backend type '"
                            + b.type() + "'; the types on the class path are " + String.join(", ", byType.keySet()));
                }
                Backend backend;
                try {
                    backend = factory.create(b.name(), b.config(), context);
                } catch (InvalidBackendConfigException e) {
                    throw InvalidAgentConfigException.at(config.source(),
                            b.path() + ".config" + (e.key().isEmpty() ? "" : "." + e.key()), e.problem());
                } catch (RuntimeException e) {
                    throw new IllegalStateException(config.source() + ": " + b.path() + ": cannot create backend '"
                            + b.name() + "' of type " + b.type() + ": " + e.getMessage(), e);
                }
                slots.put(b.name(), new Slot(b.name(), backend, 1));
                BackendDescription d = backend.describe();
                if (!d.name().equals(b.name())) {
                    throw new IllegalStateException(b.path() + ": the " + b.type() + " factory made a backend named '"
                            + d.name() + "' for '" + b.name() + "'; a backend must report its configured name");
                }
                int wanted = b.maxConcurrent().orElse(1);
                int limit = Math.min(wanted, d.maxConcurrentExecutions());
                if (limit < wanted) {
                    LOG.warn("backend.concurrency_capped", "backend", b.name(), "max_concurrent", wanted,
                            "backend_limit", d.maxConcurrentExecutions());
                }
                slots.put(b.name(), new Slot(b.name(), backend, limit));
            }
        } catch (RuntimeException e) {
            slots.values().forEach(s -> closeQuietly(s.backend));
            throw e;
        }
        SiteAgent agent = new SiteAgent(config, slots);
        agent.begin();
        return agent;
    }

    private void begin() {
        LOG.info("agent.started", "name", config.name(), "server", config.server(), "backends", slots.keySet());
        for (Slot slot : slots.values()) {
            LeaseLoop loop = new LeaseLoop(slot);
            leaseLoops.add(loop);
        }
        // Every thread exists before any starts: the reporter may stop the agent at once (registration refused),
        // and the drain then joins each lease loop's thread.
        reporter = Thread.ofVirtual().name("qfed-agent-reporter").unstarted(this::reportLoop);
        for (LeaseLoop loop : leaseLoops) {
            loop.thread = Thread.ofVirtual().name("qfed-agent-lease-" + loop.slot.name).unstarted(() -> leaseLoop(loop));
        }
        reporter.start();
        leaseLoops.forEach(loop -> loop.thread.start());
    }

    // ------------------------------------------------------------------------------------------------ handle

    /** Waits until the agent has registered with the broker; false when {@code timeout} passed first. */
    public boolean awaitRegistered(Duration timeout) throws InterruptedException {
        return registered.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The id the broker gave the agent, once registered. */
    public Optional<String> agentId() {
        return Optional.ofNullable(agentId);
    }

    /** The configuration the agent runs with. */
    public AgentConfig config() {
        return config;
    }

    /** Whether the agent still leases work (not draining or stopped). */
    public boolean isRunning() {
        return state == State.RUNNING;
    }

    /** Leases in hand: running, or waiting for their report to be delivered. */
    public int activeLeases() {
        return executions.size();
    }

    /** Lease id to job id of the leases in hand; for tests. */
    Map<String, String> heldLeases() {
        Map<String, String> out = new TreeMap<>();
        executions.forEach((lease, ex) -> out.put(lease, ex.lease.jobId()));
        return out;
    }

    /** Why the agent stopped on its own (the broker refused its registration), if it did. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** The HTTP status of the refusal behind {@link #failure()}, 0 when there is none. */
    public int failureStatus() {
        return failureStatus;
    }

    /** Blocks until the agent has stopped. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /** Blocks until the agent has stopped; false when {@code timeout} passed first. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Drains and stops: no new leases; running jobs get {@code drain_timeout} to finish and report, then are
     * cancelled and handed back; backends are closed. Blocks until done. Safe to call more than once and from
     * several threads (later callers wait for the first).
     */
    @Override
    public void close() {
        if (stopping.compareAndSet(false, true)) {
            drain();
        } else {
            awaitQuietly();
        }
    }

    /**
     * Stops at once without telling the broker anything, as if the process had been killed: leases in hand
     * expire at the broker and their jobs run again elsewhere. For tests of what a lost agent leaves behind.
     */
    void halt() {
        if (!stopping.compareAndSet(false, true)) {
            awaitQuietly();
            return;
        }
        halted = true;
        state = State.TERMINATED;
        client.abort();
        leaseLoops.forEach(l -> interrupt(l.thread));
        interrupt(reporter);
        for (Execution ex : executions.values()) {
            ex.token.cancel("the agent was halted");
            interrupt(ex.thread);
        }
        slots.values().forEach(s -> closeQuietly(s.backend));
        LOG.warn("agent.halted", "name", config.name(), "abandoned_leases", executions.size());
        terminated.countDown();
    }

    private void awaitQuietly() {
        try {
            terminated.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------------ drain

    private void drain() {
        Instant deadline = Instant.now().plus(config.drainTimeout());
        giveUpAt = deadline.plus(DRAIN_GRACE);
        lock.lock();
        try {
            state = State.DRAINING;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        LOG.info("agent.draining", "name", config.name(), "running", executions.size(), "drain_timeout",
                AgentConfig.format(config.drainTimeout()));
        // A poll in flight is let finish: aborting it would not stop the broker, which could still grant a job
        // to the closed connection, leaving it stranded until its lease expires (and costing an attempt). Jobs
        // it brings are given back unstarted (dispatch). A loop outside a poll is woken and starts no new one.
        for (LeaseLoop loop : leaseLoops) {
            if (!loop.polling) {
                interrupt(loop.thread);
            }
        }
        for (LeaseLoop loop : leaseLoops) {
            joinQuietly(loop.thread, Duration.between(Instant.now(), deadline));
            if (loop.thread.isAlive()) {
                LOG.warn("agent.poll_aborted", "name", config.name(), "backend", loop.slot.name);
                interrupt(loop.thread);
                joinQuietly(loop.thread, Duration.ofSeconds(5));
            }
        }
        boolean idle = awaitIdle(deadline);
        awaitReleases(deadline);
        if (!idle) {
            for (Execution ex : executions.values()) {
                ex.drainCancelled = true;
                cancel(ex, "the agent is shutting down");
            }
            idle = awaitIdle(giveUpAt);
            for (Execution ex : executions.values()) {
                LOG.warn("lease.abandoned", ex.keys());
                interrupt(ex.thread);
            }
        }
        state = State.TERMINATED;
        wakeReporter();
        joinQuietly(reporter, Duration.ofSeconds(5));
        slots.values().forEach(s -> closeQuietly(s.backend));
        client.close();
        LOG.info("agent.stopped", "name", config.name(), "clean", idle);
        terminated.countDown();
    }

    /** Waits until the broker has answered every lease given back, or {@code until}. */
    private void awaitReleases(Instant until) {
        try {
            CompletableFuture.allOf(releasing.toArray(CompletableFuture[]::new))
                    .get(Math.max(1, Duration.between(Instant.now(), until).toMillis()), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("lease.give_back_unanswered", "count", releasing.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean awaitIdle(Instant until) {
        lock.lock();
        try {
            while (!executions.isEmpty()) {
                long nanos = Duration.between(Instant.now(), until).toNanos();
                if (nanos <= 0) {
                    return false;
                }
                changed.awaitNanos(nanos);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return executions.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------------ lease loop

    private void leaseLoop(LeaseLoop loop) {
        Backoff backoff = new Backoff(config.backoffInitial(), config.backoffMax());
        while (state == State.RUNNING) {
            try {
                if (agentId == null) {
                    switch (ensureRegistered()) {
                        case DONE -> backoff.reset();
                        case RETRY -> sleep(backoff.next());
                        case REFUSED -> {
                            return;
                        }
                    }
                    continue;
                }
                int free = awaitFreeSlots(loop.slot);
                if (free == 0) {
                    continue;
                }
                lock.lock();
                try {
                    if (state != State.RUNNING) {
                        return;
                    }
                    loop.polling = true;
                } finally {
                    lock.unlock();
                }
                LeaseBatch batch;
                try {
                    batch = client.lease(agentId, new LeaseRequest(Map.of(loop.slot.name, free)), config.pollWait());
                } finally {
                    loop.polling = false;
                }
                backoff.reset();
                for (Lease lease : batch.leases()) {
                    dispatch(lease);
                }
            } catch (BrokerCallException e) {
                if (state != State.RUNNING) {
                    return;
                }
                if (e.getCause() instanceof InterruptedException) {
                    Thread.interrupted(); // woken on purpose (the broker forgot us): look at the state again
                    continue;
                }
                if (e.unauthorized()) {
                    stopUnauthorized(e);
                    return;
                }
                if (e.notFound()) {
                    forgotten(e);
                    continue; // register at once; register() backs off if that fails
                }
                LOG.warn("lease.poll_failed", "backend", loop.slot.name, "status", e.status(), "detail", e.getMessage());
                sleep(backoff.next());
            } catch (RuntimeException e) {
                if (state != State.RUNNING) {
                    return;
                }
                LOG.error("lease.loop_error", e, "detail", e.toString());
                sleep(backoff.next());
            }
        }
    }

    /** The broker answered 404 for the agent: forget its id, so that a lease loop registers again now. */
    private void forgotten(BrokerCallException e) {
        String id = agentId;
        if (id != null && state == State.RUNNING) {
            LOG.warn("agent.forgotten", "agent_id", id, "detail", e.getMessage());
            agentId = null;
            leaseLoops.forEach(l -> {
                if (l.thread != Thread.currentThread()) {
                    interrupt(l.thread); // register again now rather than after the poll
                }
            });
        }
    }

    /** The broker refused the agent's token, also after it was read again: stop with that reason. */
    private void stopUnauthorized(BrokerCallException e) {
        if (refusedForGood.compareAndSet(false, true)) {
            failureStatus = e.status();
            failure = "the broker refused the agent's token (HTTP 401) on " + e.call() + ", also after reading it "
                    + "again: " + e.problem().map(p -> p.detail()).orElse(e.getMessage()) + "; give agent '"
                    + config.name() + "' a valid agent token (token or token_file) and start it again";
            LOG.error("agent.unauthorized", null, "status", e.status(), "detail", e.getMessage());
            Thread.ofVirtual().name("qfed-agent-stop").start(this::close);
        }
    }

    /** The first lease loop to find the agent unregistered registers it; the others wait for that. */
    private Registration ensureRegistered() {
        registering.lock();
        try {
            return agentId != null ? Registration.DONE : register();
        } finally {
            registering.unlock();
        }
    }

    private enum Registration { DONE, RETRY, REFUSED }

    /** Registers (again). REFUSED when the broker refused it for good: the agent is then stopping. */
    private Registration register() {
        List<BackendRegistration> offered = new ArrayList<>();
        for (Slot s : slots.values()) {
            offered.add(registration(s.backend.describe()));
        }
        try {
            AgentRegistration r = client.register(new RegisterAgentRequest(config.name(), offered,
                    Optional.of(version)));
            leaseDuration = Duration.ofMillis(Math.max(1, r.leaseDurationMs()));
            Duration hb = Duration.ofMillis(r.heartbeatIntervalMs());
            heartbeatInterval = hb.compareTo(MIN_HEARTBEAT) < 0 ? MIN_HEARTBEAT : hb;
            agentId = r.agentId();
            LOG.info("agent.registered", "agent_id", r.agentId(), "member", r.member(), "name", r.name(),
                    "backends", slots.keySet(), "lease_duration_ms", r.leaseDurationMs(),
                    "heartbeat_interval_ms", r.heartbeatIntervalMs());
            registered.countDown();
            nextBeat = Instant.now().plus(heartbeatInterval);
            wakeReporter(); // reports may have waited for the registration
            return Registration.DONE;
        } catch (BrokerCallException e) {
            if (e.getCause() instanceof InterruptedException) {
                Thread.interrupted();
                return Registration.RETRY;
            }
            if (e.retryable() || e.notFound() || state != State.RUNNING) {
                LOG.warn("agent.register_failed", "status", e.status(), "detail", e.getMessage());
                return Registration.RETRY;
            }
            if (!refusedForGood.compareAndSet(false, true)) {
                return Registration.REFUSED;
            }
            failureStatus = e.status();
            failure = "the broker refused to register agent '" + config.name() + "': " + e.getMessage();
            LOG.error("agent.register_refused", null, "status", e.status(), "detail", e.getMessage());
            Thread.ofVirtual().name("qfed-agent-stop").start(this::close);
            return Registration.REFUSED;
        }
    }

    private static BackendRegistration registration(BackendDescription d) {
        StringBuilder text = new StringBuilder();
        d.device().ifPresent(dev -> text.append("device ").append(dev.name()).append(", firmware ")
                .append(dev.firmwareVersion()).append(", calibrated ").append(dev.timestamp()).append("; "));
        text.append(d.version());
        String description = text.length() > 1000 ? text.substring(0, 1000) : text.toString();
        return new BackendRegistration(d.name(), d.numQubits(), d.nativeGates(), d.supportedGates(),
                Optional.of(description));
    }

    /** Free slots of the backend; waits while every slot is taken. 0 when the agent is stopping. */
    private int awaitFreeSlots(Slot slot) {
        lock.lock();
        try {
            while (state == State.RUNNING) {
                if (slot.running < slot.limit) {
                    return slot.limit - slot.running;
                }
                changed.await();
            }
            return 0;
        } catch (InterruptedException e) {
            return 0;
        } finally {
            lock.unlock();
        }
    }

    private void dispatch(Lease lease) {
        if (state != State.RUNNING) {
            // A poll that was in flight when the drain began: the job has not started here, so it goes back at once
            // (costing no attempt) instead of holding up the drain or waiting for its lease to expire.
            LOG.info("lease.given_back", "job_id", lease.jobId(), "lease_id", lease.leaseId(), "reason", "draining");
            giveBack(lease, "agent '" + config.name() + "' is shutting down");
            return;
        }
        Slot slot = slots.get(lease.backend());
        boolean taken = false;
        if (slot != null) {
            lock.lock();
            try {
                if (slot.running < slot.limit) {
                    slot.running++;
                    taken = true;
                }
            } finally {
                lock.unlock();
            }
        }
        if (!taken) {
            String why = slot == null ? "agent '" + config.name() + "' has no backend named '" + lease.backend() + "'"
                    : "agent '" + config.name() + "' has no free slot on backend '" + lease.backend() + "'";
            LOG.warn("lease.refused", "job_id", lease.jobId(), "lease_id", lease.leaseId(), "reason", why);
            giveBack(lease, why);
            return;
        }
        Execution ex = new Execution(lease, slot);
        executions.put(lease.leaseId(), ex);
        ex.thread = Thread.ofVirtual().name("qfed-agent-job-" + lease.jobId()).unstarted(() -> run(ex));
        ex.thread.start();
    }

    /** Gives a lease back unstarted: the broker queues the job again without counting the attempt. */
    private void giveBack(Lease lease, String why) {
        Pending<LeaseRelease> p = new Pending<>(lease.leaseId(), Optional.empty(),
                new LeaseRelease(lease.leaseId(), why), new CompletableFuture<>());
        releasing.add(p.verdict());
        reportLock.lock();
        try {
            pendingReleases.put(lease.leaseId(), p);
            reportsQueued.signal();
        } finally {
            reportLock.unlock();
        }
        p.verdict().whenComplete((o, e) -> {
            releasing.remove(p.verdict());
            if (e != null || o.verdict() == ReportVerdict.REFUSED) {
                LOG.warn("lease.give_back_failed", "job_id", lease.jobId(), "lease_id", lease.leaseId(), "detail",
                        e != null ? e.getMessage() : o.problem().map(Problem::detail).orElse(""));
            }
        });
    }

    // ------------------------------------------------------------------------------------------------ execution

    private void run(Execution ex) {
        boolean holdsSlot = true;
        try {
            LOG.info("lease.granted", ex.keys());
            queueStart(ex); // not waited for: the answer comes while the job runs, and cancels it if need be
            ExecutionResult result = execute(ex);
            releaseSlot(ex.slot);
            holdsSlot = false;
            if (ex.gone || halted) {
                LOG.warn("lease.lost", append(ex.keys(), "dropped", result.getClass().getSimpleName()));
                return;
            }
            report(ex, result);
        } finally {
            if (holdsSlot) {
                releaseSlot(ex.slot);
            }
            executions.remove(ex.lease.leaseId());
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The backend is done with a job: its slot may take the next one while the report is on its way. */
    private void releaseSlot(Slot slot) {
        lock.lock();
        try {
            slot.running--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private ExecutionResult execute(Execution ex) {
        Lease l = ex.lease;
        List<CircuitSource> circuits = new ArrayList<>(l.circuits().size());
        for (CircuitSpec c : l.circuits()) {
            circuits.add(new CircuitSource(c.qasm(), c.name(), c.parameters()));
        }
        ExecutionRequest request = new ExecutionRequest(ex.id(), circuits, l.shots(),
                l.seed().orElseGet(() -> seedFor(l.jobId())), ex.token);
        try {
            return ex.slot.backend.execute(request);
        } catch (RuntimeException e) {
            LOG.error("job.backend_error", e, ex.keys());
            return ExecutionResult.transientFailure("backend '" + ex.slot.name + "' failed unexpectedly: " + e);
        }
    }

    private void report(Execution ex, ExecutionResult result) {
        switch (result) {
            case ExecutionResult.Completed c -> {
                Optional<String> invalid = check(ex, c);
                if (invalid.isPresent()) {
                    LOG.error("job.invalid_result", null, append(ex.keys(), "detail", invalid.get()));
                    deliverFailure(ex, invalid.get(), false);
                    return;
                }
                // Each result carries its circuit's name from the lease, so clients can match results by name.
                List<CircuitResult> results = new ArrayList<>(c.circuits().size());
                for (int i = 0; i < c.circuits().size(); i++) {
                    results.add(CircuitResult.of(ex.lease.circuits().get(i).name(), c.circuits().get(i).counts()));
                }
                SubmitResultRequest body = new SubmitResultRequest(results, Optional.of(metadata(ex, c.metadata())));
                Optional<ReportOutcome> outcome = await(ex, "result", queueResult(ex, body));
                if (outcome.isEmpty()) {
                    return;
                }
                ReportOutcome o = outcome.get();
                if (o.verdict() != ReportVerdict.REFUSED) {
                    LOG.info("job.completed", append(ex.keys(), "execution_ms",
                            c.metadata().executionTime().toMillis()));
                } else if (o.problem().flatMap(Problem::errorCode).filter(code -> code == ErrorCode.INVALID_RESULT)
                        .isPresent()) {
                    deliverFailure(ex, "the broker refused the backend's result: "
                            + o.problem().map(Problem::detail).orElse(""), false);
                } else {
                    LOG.warn("report.refused", append(ex.keys(), "report", "result", "detail",
                            o.problem().map(Problem::detail).orElse("")));
                }
            }
            case ExecutionResult.Failed f -> deliverFailure(ex, f.reason(), f.retryable());
            case ExecutionResult.Cancelled c -> {
                if (ex.cancelRequested) {
                    deliverFailure(ex, "cancelled by the submitter", false);
                } else if (ex.drainCancelled) {
                    deliverFailure(ex, "agent '" + config.name() + "' shut down before the job finished; it will "
                            + "run again", true);
                } else {
                    deliverFailure(ex, "execution cancelled: " + c.reason(), true);
                }
            }
        }
    }

    private void deliverFailure(Execution ex, String reason, boolean retryable) {
        String text = reason.length() > 4000 ? reason.substring(0, 4000) + "…" : reason;
        Optional<ReportOutcome> outcome = await(ex, "fail",
                queueFailure(Optional.of(ex), ex.lease.leaseId(), new FailLeaseRequest(text, retryable)));
        if (outcome.isEmpty()) {
            return;
        }
        if (outcome.get().verdict() == ReportVerdict.REFUSED) {
            LOG.warn("report.refused", append(ex.keys(), "report", "fail", "detail",
                    outcome.get().problem().map(Problem::detail).orElse("")));
        } else {
            LOG.info("job.failed", append(ex.keys(), "retryable", retryable, "reason", text));
        }
    }

    /** Waits for the broker's verdict on a queued report; empty when it could not be delivered (logged). */
    private Optional<ReportOutcome> await(Execution ex, String what, CompletableFuture<ReportOutcome> verdict) {
        try {
            return Optional.of(verdict.get());
        } catch (InterruptedException e) {
            return Optional.empty(); // halted, or abandoned at the end of a drain
        } catch (ExecutionException e) {
            String detail = e.getCause().getMessage();
            if (e.getCause() instanceof BrokerCallException b && !b.retryable()) {
                LOG.error("report.rejected", null, append(ex.keys(), "report", what, "detail", detail));
            } else {
                LOG.warn("report.abandoned", append(ex.keys(), "report", what, "detail", detail));
            }
            return Optional.empty();
        }
    }

    /** The lease expired a full lease duration ago by our clock: the broker has given the job to someone else. */
    private boolean pastHope(Execution ex) {
        return Instant.now().isAfter(ex.expiresAt.plus(leaseDuration));
    }

    /** A backend bug the broker must not see as a result: wrong number of circuits, or counts off the shots. */
    private static Optional<String> check(Execution ex, ExecutionResult.Completed c) {
        int expected = ex.lease.circuits().size();
        if (c.circuits().size() != expected) {
            return Optional.of("backend '" + ex.slot.name + "' returned " + c.circuits().size() + " results for "
                    + expected + " circuits");
        }
        for (int i = 0; i < expected; i++) {
            CircuitCounts counts = c.circuits().get(i);
            if (counts.shots() != ex.lease.shots()) {
                return Optional.of("backend '" + ex.slot.name + "' returned counts adding up to " + counts.shots()
                        + " for circuits[" + i + "], which asked for " + ex.lease.shots() + " shots");
            }
        }
        return Optional.empty();
    }

    private ExecutionMetadata metadata(Execution ex, RunMetadata m) {
        Map<String, String> details = new LinkedHashMap<>(m.details());
        details.put("backend", m.backend());
        details.put("agent", config.name());
        details.put("attempt", Integer.toString(ex.lease.attempt()));
        m.calibrationTimestamp().ifPresent(t -> details.put("calibration_timestamp", t.toString()));
        return new ExecutionMetadata(Optional.of(m.seed()), m.firmwareVersion(), m.calibrationId(),
                Optional.of(m.executionTime().toNanos() / 1e6), details);
    }

    /**
     * The seed of every attempt at a job whose submitter gave none: the first 8 bytes of SHA-256 over the job id,
     * without the sign bit. The same for every attempt, so that an emulated job run again after a lost lease gives
     * the same counts; non-negative, so that a submitter can pass the reported seed back as {@code seed}.
     */
    static long seedFor(String jobId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("qfed-seed:" + jobId)
                    .getBytes(StandardCharsets.UTF_8));
            long seed = 0;
            for (int i = 0; i < 8; i++) {
                seed = seed << 8 | (h[i] & 0xFF);
            }
            return seed & Long.MAX_VALUE;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private void cancel(Execution ex, String why) {
        if (ex.token.cancel(why) && ex.slot.backend.describe().has(BackendBehavior.CANCEL_BY_ID)) {
            try {
                ex.slot.backend.cancel(ex.id());
            } catch (RuntimeException e) {
                LOG.warn("backend.cancel_failed", append(ex.keys(), "detail", e.toString()));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ heartbeats

    private void queueStart(Execution ex) {
        reportLock.lock();
        try {
            if (pendingStarts.isEmpty()) {
                startsQueuedAt = System.nanoTime();
            }
            pendingStarts.put(ex.lease.leaseId(), ex);
            reportsQueued.signal();
        } finally {
            reportLock.unlock();
        }
    }

    /** Queues a result; a start of the same lease still queued is dropped, since the broker records it too. */
    private CompletableFuture<ReportOutcome> queueResult(Execution ex, SubmitResultRequest body) {
        String id = ex.lease.leaseId();
        Pending<LeaseResult> p = new Pending<>(id, Optional.of(ex), new LeaseResult(id, body),
                new CompletableFuture<>());
        reportLock.lock();
        try {
            pendingStarts.remove(id);
            pendingResults.put(id, p);
            reportsQueued.signal();
        } finally {
            reportLock.unlock();
        }
        return p.verdict();
    }

    private CompletableFuture<ReportOutcome> queueFailure(Optional<Execution> ex, String leaseId,
                                                          FailLeaseRequest body) {
        Pending<LeaseFailure> p = new Pending<>(leaseId, ex, new LeaseFailure(leaseId, body),
                new CompletableFuture<>());
        reportLock.lock();
        try {
            pendingStarts.remove(leaseId);
            pendingFailures.put(leaseId, p);
            reportsQueued.signal();
        } finally {
            reportLock.unlock();
        }
        return p.verdict();
    }

    private void wakeReporter() {
        reportLock.lock();
        try {
            reportsQueued.signal();
        } finally {
            reportLock.unlock();
        }
    }

    /**
     * The reporter: sends whatever queued while the previous call was in flight as one call, and renews the leases
     * in hand at the heartbeat interval (in a call of its own only when nothing else is going).
     */
    private void reportLoop() {
        Backoff backoff = new Backoff(config.backoffInitial(), config.backoffMax());
        while (true) {
            List<Execution> starts = new ArrayList<>();
            List<Pending<LeaseResult>> results = new ArrayList<>();
            List<Pending<LeaseFailure>> failures = new ArrayList<>();
            List<Pending<LeaseRelease>> releases = new ArrayList<>();
            boolean beat;
            String id;
            reportLock.lock();
            try {
                while (true) {
                    if (state == State.TERMINATED || halted) {
                        abandonQueued();
                        return;
                    }
                    id = agentId;
                    beat = id != null && !executions.isEmpty() && !Instant.now().isBefore(nextBeat);
                    boolean queued = !pendingResults.isEmpty() || !pendingFailures.isEmpty()
                            || !pendingReleases.isEmpty();
                    long now = System.nanoTime();
                    boolean running = state == State.RUNNING;
                    long startsWait = pendingStarts.isEmpty() ? Long.MAX_VALUE : !running ? 0
                            : startsQueuedAt + START_LINGER.toNanos() - now;
                    long sendWait = queued || startsWait <= 0
                            ? (running ? lastReportAt + REPORT_GAP.toNanos() - now : 0) : Long.MAX_VALUE;
                    if (id != null && (beat || sendWait <= 0)) {
                        break;
                    }
                    Duration wait = id == null || executions.isEmpty() ? heartbeatInterval
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
                reportLock.unlock();
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
                    nextBeat = Instant.now().plus(heartbeatInterval);
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
                    stopUnauthorized(e);
                    giveUp(results, failures, releases, e);
                    continue;
                }
                if (e.notFound() && e.code().filter(c -> c == ErrorCode.NOT_FOUND).isPresent()) {
                    forgotten(e);
                    requeue(starts, results, failures, releases, e);
                    continue;
                }
                if (!e.retryable()) {
                    LOG.error("report.rejected", null, "status", e.status(), "detail", e.getMessage());
                    giveUp(results, failures, releases, e);
                    continue;
                }
                if (state != State.TERMINATED && !halted) {
                    LOG.warn("report.retry", "status", e.status(), "items", request.size(), "detail", e.getMessage());
                }
                requeue(starts, results, failures, releases, e);
                sleep(backoff.next());
            } catch (RuntimeException e) {
                LOG.error("report.error", e, "detail", e.toString());
                requeue(starts, results, failures, releases, BrokerCallException.unreachable("POST reports", e));
                sleep(backoff.next());
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
        reportLock.lock();
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
            for (Pending<LeaseResult> p : results) {
                if (worthSending(p)) {
                    pendingResults.putIfAbsent(p.leaseId(), p);
                } else {
                    p.verdict().completeExceptionally(why);
                }
            }
            for (Pending<LeaseFailure> p : failures) {
                if (worthSending(p)) {
                    pendingFailures.putIfAbsent(p.leaseId(), p);
                } else {
                    p.verdict().completeExceptionally(why);
                }
            }
            for (Pending<LeaseRelease> p : releases) {
                if (worthSending(p)) {
                    pendingReleases.putIfAbsent(p.leaseId(), p);
                } else {
                    p.verdict().completeExceptionally(why);
                }
            }
        } finally {
            reportLock.unlock();
        }
    }

    private boolean worthSending(Pending<?> p) {
        return !halted && !Instant.now().isAfter(giveUpAt)
                && p.execution().map(ex -> !ex.gone && !pastHope(ex)).orElse(true);
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

    private void apply(Execution ex, LeaseStatus status) {
        switch (status.state()) {
            case ACTIVE -> status.expiresAt().ifPresent(t -> ex.expiresAt = t);
            case CANCEL_REQUESTED -> {
                if (!ex.cancelRequested) {
                    ex.cancelRequested = true;
                    LOG.info("lease.cancel_requested", ex.keys());
                    cancel(ex, "cancelled by the submitter");
                }
            }
            case GONE -> {
                if (!ex.gone) {
                    ex.gone = true;
                    LOG.warn("lease.gone", ex.keys());
                    cancel(ex, "the lease is no longer this agent's");
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Sleeps; false when interrupted (the flag is cleared: the loops check their state instead). */
    private static boolean sleep(Duration d) {
        try {
            Thread.sleep(d);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static void interrupt(Thread t) {
        if (t != null) {
            t.interrupt();
        }
    }

    private static void joinQuietly(Thread t, Duration timeout) {
        if (t == null || t == Thread.currentThread() || timeout.isNegative() || timeout.isZero()) {
            return;
        }
        try {
            t.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Backend backend) {
        try {
            backend.close();
        } catch (RuntimeException e) {
            LOG.warn("backend.close_failed", "detail", e.toString());
        }
    }

    private static Object[] append(Object[] keys, Object... more) {
        Object[] out = java.util.Arrays.copyOf(keys, keys.length + more.length);
        System.arraycopy(more, 0, out, keys.length, more.length);
        return out;
    }
}
