package dev.qfed.api;

/** What an agent should do about a lease it holds, as a heartbeat answers. */
public enum LeaseState {
    /** Keep going: the lease was extended. */
    ACTIVE,
    /** The submitter cancelled the job: stop, then report with {@code POST /v1/leases/{id}/fail}. */
    CANCEL_REQUESTED,
    /** The lease is no longer the agent's (expired, finished or unknown): stop and report nothing. */
    GONE
}
