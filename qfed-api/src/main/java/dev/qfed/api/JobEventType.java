package dev.qfed.api;

/** What happened to a job in one {@link JobTransition}; the job lifecycle is drawn in docs/job-lifecycle.puml. */
public enum JobEventType {
    /** Admitted: the job was created QUEUED. */
    SUBMIT,
    /** An agent leased it (a new attempt). */
    LEASE,
    /** The agent said execution began. */
    START,
    /** A result was accepted. */
    COMPLETE,
    /** The submitter asked to cancel. */
    CANCEL,
    /** An attempt ended without a result (agent failure or lease expiry) and the job was queued again. */
    RETRY,
    /** The job can never succeed: a permanent failure, or the last attempt ended without a result. */
    FAIL,
    /** A job whose cancellation was requested stopped (the agent confirmed, or its lease expired). */
    CONFIRM_CANCEL,
    /** The agent gave the lease back before starting the job: queued again, the attempt not counted. */
    RELEASE
}
