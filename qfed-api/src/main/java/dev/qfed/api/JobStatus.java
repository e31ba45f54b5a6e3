package dev.qfed.api;

/**
 * Where a job is in its lifecycle. The server's {@code JobLifecycle} table says which moves are allowed; the
 * diagram is {@code docs/job-lifecycle.puml}.
 */
public enum JobStatus {
    /** Admitted and waiting for an agent of its backend. */
    QUEUED,
    /** Leased to an agent, which has not said it started. */
    ASSIGNED,
    /** The agent is executing it. */
    RUNNING,
    /** The submitter asked to cancel while an agent held it; the agent is told on its next heartbeat. */
    CANCEL_REQUESTED,
    /** Final: a result was accepted. */
    COMPLETED,
    /** Final: failed permanently or ran out of attempts; {@code failures} says why. */
    FAILED,
    /** Final: cancelled before a result was accepted. */
    CANCELLED;

    /** Whether nothing can happen to the job any more. */
    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
