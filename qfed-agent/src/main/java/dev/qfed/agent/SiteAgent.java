package dev.qfed.agent;

import dev.qfed.agent.LeaseLoop.Registration;
import dev.qfed.agent.internal.AgentLog;
import dev.qfed.agent.internal.Backoff;
import dev.qfed.agent.internal.BrokerCallException;
import dev.qfed.agent.internal.BrokerClient;
import dev.qfed.agent.spi.Backend;
import dev.qfed.agent.spi.BackendContext;
import dev.qfed.agent.spi.BackendDescription;
import dev.qfed.agent.spi.BackendFactory;
import dev.qfed.agent.spi.InvalidBackendConfigException;
import dev.qfed.api.AgentRegistration;
import dev.qfed.api.BackendRegistration;
import dev.qfed.api.RegisterAgentRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
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
 *   <li>one <em>lease loop</em> ({@link LeaseLoop}) per backend registers the agent and its backends (the first to
 *       find it unregistered does), then long-polls {@code POST /v1/agents/{id}/lease} asking for as many jobs of its
 *       backend as it has free slots (its {@code max_concurrent}, capped by the backend's own limit). A poll per
 *       backend means a slot that frees is asked for at once, whatever the other backends' polls wait for. When
 *       the broker has forgotten the agent (404) it registers again; when the broker is unreachable it retries
 *       with exponential backoff and jitter;</li>
 *   <li>the <em>reporter</em> ({@link Reporter}) sends what the jobs have to say in
 *       {@code POST /v1/agents/{id}/reports} calls: starts, results and failures queue while a call is in flight and
 *       go together in the next one (batching by load), and calls start at least {@link Reporter#REPORT_GAP}
 *       apart (batching by time); a start waits up to {@link Reporter#START_LINGER} for company, and a start still
 *       queued when its job's result arrives is left out (the broker records both from the result, in one update
 *       of the job instead of two); at the heartbeat interval the call also renews every lease in hand, and the
 *       statuses it answers trip the token of a cancelled job or stop one whose lease is gone. Reports are
 *       idempotent per lease, so a call repeated after a lost answer is harmless; an item the broker refuses
 *       because its lease is no longer current is dropped;</li>
 *   <li>one thread per leased job ({@link JobRunner}, on an {@link Execution}): queue its start, execute on the
 *       backend (the slot is free again as soon as the backend returns), then queue the result or the failure and
 *       wait for the broker's verdict.</li>
 * </ul>
 * This class keeps the lifecycle (start, drain, halt), the registration and the state the others share; they ask
 * for it through the small interfaces each declares ({@link LeaseLoop.Agent}, {@link Reporter.Agent},
 * {@link JobRunner.Agent}), which a private inner class implements, so none of it shows on the public face.
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

    private static final AgentLog LOG = AgentLog.of("dev.qfed.agent");

    private enum State { RUNNING, DRAINING, TERMINATED }

    private final AgentConfig config;
    private final BrokerClient client;
    private final Map<String, Slot> slots;
    /** The leases in hand by lease id: running, or waiting for their report to be delivered. */
    private final ConcurrentHashMap<String, Execution> executions = new ConcurrentHashMap<>();
    /**
     * Guards the slots' {@code running} counts and the state's changes that the lease loops wait on; {@link #changed}
     * is signalled when a slot frees, a job ends or the agent starts draining.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final CountDownLatch registered = new CountDownLatch(1);
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final String version;

    /** Changed to DRAINING under {@link #lock} (the lease loops wait on it there); to TERMINATED without it. */
    private volatile State state = State.RUNNING;
    private volatile boolean halted;
    private volatile String agentId;
    private volatile Duration leaseDuration = Duration.ofSeconds(60);
    private volatile Duration heartbeatInterval = Duration.ofSeconds(15);
    private volatile Instant giveUpAt = Instant.MAX;
    private volatile String failure;
    private volatile int failureStatus;
    /** Held by the lease loop that registers the agent; the others wait for it (ensureRegistered). */
    private final ReentrantLock registering = new ReentrantLock();
    private final AtomicBoolean refusedForGood = new AtomicBoolean();

    private final Reporter reporter;
    private final List<LeaseLoop> leaseLoops;

    private SiteAgent(AgentConfig config, Map<String, Slot> slots) {
        this.config = config;
        this.slots = slots;
        String v = SiteAgent.class.getPackage().getImplementationVersion();
        this.version = "qfed-agent " + (v == null ? "dev" : v);
        this.client = new BrokerClient(config.server(), config.token(), version.replace(' ', '/'));
        Inside inside = new Inside();
        this.reporter = new Reporter(inside, client, new Backoff(config.backoffInitial(), config.backoffMax()),
                executions);
        JobRunner jobs = new JobRunner(inside, config.name(), reporter);
        List<LeaseLoop> loops = new ArrayList<>();
        for (Slot slot : slots.values()) {
            loops.add(new LeaseLoop(slot, slots, executions, jobs, inside, config, client, reporter));
        }
        this.leaseLoops = List.copyOf(loops);
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
        // Every thread exists before any starts (the reporter and the loops make theirs unstarted): the reporter may
        // stop the agent at once (registration refused), and the drain then joins each lease loop's thread.
        reporter.start();
        leaseLoops.forEach(LeaseLoop::start);
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
        leaseLoops.forEach(LeaseLoop::interrupt);
        reporter.interrupt();
        for (Execution ex : executions.values()) {
            ex.token.cancel("the agent was halted");
            Threads.interrupt(ex.thread);
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
        // it brings are given back unstarted (LeaseLoop.dispatch). A loop outside a poll is woken and starts no
        // new one.
        for (LeaseLoop loop : leaseLoops) {
            if (!loop.polling) {
                loop.interrupt();
            }
        }
        for (LeaseLoop loop : leaseLoops) {
            if (!loop.join(Duration.between(Instant.now(), deadline))) {
                LOG.warn("agent.poll_aborted", "name", config.name(), "backend", loop.slot.name);
                loop.interrupt();
                loop.join(Duration.ofSeconds(5));
            }
        }
        boolean idle = awaitIdle(deadline);
        reporter.awaitReleases(deadline);
        if (!idle) {
            for (Execution ex : executions.values()) {
                ex.drainCancelled = true;
                ex.cancel("the agent is shutting down");
            }
            idle = awaitIdle(giveUpAt);
            for (Execution ex : executions.values()) {
                LOG.warn("lease.abandoned", ex.keys());
                Threads.interrupt(ex.thread);
            }
        }
        state = State.TERMINATED;
        reporter.wake();
        reporter.join(Duration.ofSeconds(5));
        slots.values().forEach(s -> closeQuietly(s.backend));
        client.close();
        LOG.info("agent.stopped", "name", config.name(), "clean", idle);
        terminated.countDown();
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

    // ------------------------------------------------------------------------------------------------ registration

    /** The broker answered 404 for the agent: forget its id, so that a lease loop registers again now. */
    private void forgotten(BrokerCallException e) {
        String id = agentId;
        if (id != null && state == State.RUNNING) {
            LOG.warn("agent.forgotten", "agent_id", id, "detail", e.getMessage());
            agentId = null;
            leaseLoops.forEach(l -> {
                if (!l.isCurrentThread()) {
                    l.interrupt(); // register again now rather than after the poll
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
            reporter.registered();
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

    // ------------------------------------------------------------------------------------------------ helpers

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

    private static void closeQuietly(Backend backend) {
        try {
            backend.close();
        } catch (RuntimeException e) {
            LOG.warn("backend.close_failed", "detail", e.toString());
        }
    }

    /** The agent as its lease loops, reporter and job threads see it. */
    private final class Inside implements LeaseLoop.Agent, Reporter.Agent, JobRunner.Agent {
        @Override
        public Optional<String> id() {
            return Optional.ofNullable(agentId);
        }

        @Override
        public boolean running() {
            return state == State.RUNNING;
        }

        @Override
        public boolean stopped() {
            return state == State.TERMINATED || halted;
        }

        @Override
        public boolean halted() {
            return halted;
        }

        @Override
        public boolean pastGiveUp() {
            return halted || Instant.now().isAfter(giveUpAt);
        }

        @Override
        public Duration leaseDuration() {
            return leaseDuration;
        }

        @Override
        public Duration heartbeatInterval() {
            return heartbeatInterval;
        }

        @Override
        public Registration ensureRegistered() {
            return SiteAgent.this.ensureRegistered();
        }

        @Override
        public int awaitFreeSlots(Slot slot) {
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

        @Override
        public boolean beginPoll(LeaseLoop loop) {
            lock.lock();
            try {
                if (state != State.RUNNING) {
                    return false;
                }
                loop.polling = true;
                return true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean takeSlot(Slot slot) {
            lock.lock();
            try {
                if (slot.running < slot.limit) {
                    slot.running++;
                    return true;
                }
                return false;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void releaseSlot(Slot slot) {
            lock.lock();
            try {
                slot.running--;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void ended(Execution ex) {
            executions.remove(ex.lease.leaseId());
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void unauthorized(BrokerCallException e) {
            stopUnauthorized(e);
        }

        @Override
        public void forgotten(BrokerCallException e) {
            SiteAgent.this.forgotten(e);
        }
    }
}
