package dev.qfed.server.jobs;

/** What can happen to a job; each event fires at most one transition from a given state. */
public enum JobEvent {
    /** Admitted: the job is created QUEUED. */
    SUBMIT,
    /** An agent leased it. */
    LEASE,
    /** The agent said execution began. */
    START,
    /** A result was accepted. */
    COMPLETE,
    /** The submitter asked to cancel. */
    CANCEL,
    /** The attempt ended without a result (agent failure or lease expiry) and attempts remain. */
    RETRY,
    /** The job can never succeed: a permanent failure, or the last attempt ended without a result. */
    FAIL,
    /** The agent stopped a job whose cancellation was requested, or its lease expired. */
    CONFIRM_CANCEL,
    /** The agent gave its lease back before starting: the job is queued again and the attempt does not count. */
    RELEASE
}
