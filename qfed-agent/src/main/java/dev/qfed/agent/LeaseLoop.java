package dev.qfed.agent;

import dev.qfed.agent.internal.AgentLog;
import dev.qfed.agent.internal.Backoff;
import dev.qfed.agent.internal.BrokerCallException;
import dev.qfed.agent.internal.BrokerClient;
import dev.qfed.api.Lease;
import dev.qfed.api.LeaseBatch;
import dev.qfed.api.LeaseRequest;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A backend's lease loop: one thread that registers the agent when it finds it unregistered, long-polls for as many
 * jobs of its backend as it has free slots and starts a job thread for each lease it gets. {@link SiteAgent} (How it
 * works) tells why there is one per backend.
 */
final class LeaseLoop {
    private static final AgentLog LOG = AgentLog.of("dev.qfed.agent");

    /** What a lease loop needs to know of the agent and tell it. */
    interface Agent {
        /** The id the broker gave the agent; empty while it is not registered. */
        Optional<String> id();

        /** Whether the agent still leases work (not draining or stopped). */
        boolean running();

        /** Registers the agent unless another loop has meanwhile; waits while another loop registers it. */
        Registration ensureRegistered();

        /** Free slots of the backend; waits while every slot is taken. 0 when the agent is stopping. */
        int awaitFreeSlots(Slot slot);

        /**
         * Marks the loop {@link LeaseLoop#polling} under the agent's lock, unless the agent has stopped leasing:
         * false then. The drain changes the state under the same lock, so it either sees the poll or the loop sees
         * the drain.
         */
        boolean beginPoll(LeaseLoop loop);

        /** Takes one of the backend's slots for a leased job; false when none is free. */
        boolean takeSlot(Slot slot);

        /** The broker refused the agent's token, also after it was read again: stop with that reason. */
        void unauthorized(BrokerCallException e);

        /** The broker answered 404 for the agent: forget its id, so that a lease loop registers again now. */
        void forgotten(BrokerCallException e);
    }

    /** How a registration went. REFUSED when the broker refused it for good: the agent is then stopping. */
    enum Registration { DONE, RETRY, REFUSED }

    final Slot slot;
    /** Whether a poll is in flight; set under the agent's lock (see {@link Agent#beginPoll}). */
    volatile boolean polling;
    private final Agent agent;
    /** Every backend of the agent by name: a lease is run on the one it names. */
    private final Map<String, Slot> slots;
    /** The agent's leases in hand, which a job joins when its thread starts. */
    private final Map<String, Execution> executions;
    private final JobRunner jobs;
    private final String agentName;
    private final BrokerClient client;
    private final Reporter reporter;
    /** The loop thread's own. */
    private final Backoff backoff;
    private final Duration pollWait;
    private final Thread thread;

    /** A loop whose thread is made but not started ({@link #start}). */
    LeaseLoop(Slot slot, Map<String, Slot> slots, Map<String, Execution> executions, JobRunner jobs, Agent agent,
              AgentConfig config, BrokerClient client, Reporter reporter) {
        this.slot = slot;
        this.slots = slots;
        this.executions = executions;
        this.jobs = jobs;
        this.agent = agent;
        this.agentName = config.name();
        this.client = client;
        this.reporter = reporter;
        this.backoff = new Backoff(config.backoffInitial(), config.backoffMax());
        this.pollWait = config.pollWait();
        this.thread = Thread.ofVirtual().name("qfed-agent-lease-" + slot.name).unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    /** Wakes the loop from a wait, a backoff or a call in flight; it looks at the agent's state again. */
    void interrupt() {
        thread.interrupt();
    }

    boolean isCurrentThread() {
        return thread == Thread.currentThread();
    }

    /** Waits up to {@code timeout} for the loop to end; false when it is still running. */
    boolean join(Duration timeout) {
        Threads.joinQuietly(thread, timeout);
        return !thread.isAlive();
    }

    private void loop() {
        while (agent.running()) {
            try {
                if (agent.id().isEmpty()) {
                    switch (agent.ensureRegistered()) {
                        case DONE -> backoff.reset();
                        case RETRY -> Threads.sleep(backoff.next());
                        case REFUSED -> {
                            return;
                        }
                    }
                    continue;
                }
                int free = agent.awaitFreeSlots(slot);
                if (free == 0) {
                    continue;
                }
                if (!agent.beginPoll(this)) {
                    return;
                }
                LeaseBatch batch;
                try {
                    batch = client.lease(agent.id().orElseThrow(), new LeaseRequest(Map.of(slot.name, free)),
                            pollWait);
                } finally {
                    polling = false;
                }
                backoff.reset();
                for (Lease lease : batch.leases()) {
                    dispatch(lease);
                }
            } catch (BrokerCallException e) {
                if (!agent.running()) {
                    return;
                }
                if (e.getCause() instanceof InterruptedException) {
                    Thread.interrupted(); // woken on purpose (the broker forgot us): look at the state again
                    continue;
                }
                if (e.unauthorized()) {
                    agent.unauthorized(e);
                    return;
                }
                if (e.notFound()) {
                    agent.forgotten(e);
                    continue; // register at once; register() backs off if that fails
                }
                LOG.warn("lease.poll_failed", "backend", slot.name, "status", e.status(), "detail", e.getMessage());
                Threads.sleep(backoff.next());
            } catch (RuntimeException e) {
                if (!agent.running()) {
                    return;
                }
                LOG.error("lease.loop_error", e, "detail", e.toString());
                Threads.sleep(backoff.next());
            }
        }
    }

    private void dispatch(Lease lease) {
        if (!agent.running()) {
            // A poll that was in flight when the drain began: the job has not started here, so it goes back at once
            // (costing no attempt) instead of holding up the drain or waiting for its lease to expire.
            LOG.info("lease.given_back", "job_id", lease.jobId(), "lease_id", lease.leaseId(), "reason", "draining");
            reporter.queueRelease(lease, "agent '" + agentName + "' is shutting down");
            return;
        }
        Slot target = slots.get(lease.backend());
        if (target == null || !agent.takeSlot(target)) {
            String why = target == null ? "agent '" + agentName + "' has no backend named '" + lease.backend() + "'"
                    : "agent '" + agentName + "' has no free slot on backend '" + lease.backend() + "'";
            LOG.warn("lease.refused", "job_id", lease.jobId(), "lease_id", lease.leaseId(), "reason", why);
            reporter.queueRelease(lease, why);
            return;
        }
        Execution ex = new Execution(lease, target);
        executions.put(lease.leaseId(), ex);
        ex.thread = Thread.ofVirtual().name("qfed-agent-job-" + lease.jobId()).unstarted(() -> jobs.run(ex));
        ex.thread.start();
    }
}
