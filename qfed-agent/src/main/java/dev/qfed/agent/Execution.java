package dev.qfed.agent;

import dev.qfed.agent.internal.AgentLog;
import dev.qfed.agent.spi.BackendBehavior;
import dev.qfed.agent.spi.CancellationSource;
import dev.qfed.agent.spi.ExecutionId;
import dev.qfed.api.Lease;

import java.time.Instant;
import java.util.Arrays;

/**
 * A leased job from grant to report. Its flags are written by the reporter (from the lease statuses the broker
 * answers) and by the drain, and read by the job's thread.
 */
final class Execution {
    private static final AgentLog LOG = AgentLog.of("dev.qfed.agent");

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

    /** The log keys that name this execution, followed by {@code more}. */
    Object[] keys(Object... more) {
        Object[] keys = {"job_id", lease.jobId(), "lease_id", lease.leaseId(), "attempt", lease.attempt(),
                "backend", slot.name};
        Object[] out = Arrays.copyOf(keys, keys.length + more.length);
        System.arraycopy(more, 0, out, keys.length, more.length);
        return out;
    }

    /** Trips the token and, the first time and when the backend can, cancels the execution on the backend too. */
    void cancel(String why) {
        if (token.cancel(why) && slot.backend.describe().has(BackendBehavior.CANCEL_BY_ID)) {
            try {
                slot.backend.cancel(id());
            } catch (RuntimeException e) {
                LOG.warn("backend.cancel_failed", keys("detail", e.toString()));
            }
        }
    }
}
