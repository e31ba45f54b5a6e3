package dev.qfed.api;

import java.util.List;

/**
 * Body of {@code POST /v1/agents/{id}/reports}: everything an agent has to tell the broker about its leases, in one
 * call. The broker answers each item on its own; one refused item does not fail the others.
 *
 * @param started  leases whose execution began (ASSIGNED → RUNNING)
 * @param results  leases whose job finished, with its result; a lease whose start was never reported may be here
 *                 directly (the broker then records the start too)
 * @param failures leases whose attempt ended without a result
 * @param renew    leases the agent is still working on, to extend as a heartbeat does
 * @param released leases given back before their start: the job is queued again with its attempt restored
 */
public record ReportRequest(List<String> started, List<LeaseResult> results, List<LeaseFailure> failures,
                            List<String> renew, List<LeaseRelease> released) {
    public ReportRequest {
        started = Checks.list(started, "started");
        results = Checks.list(results, "results");
        failures = Checks.list(failures, "failures");
        renew = Checks.list(renew, "renew");
        released = Checks.list(released, "released");
    }

    /** A report that gives no lease back. */
    public ReportRequest(List<String> started, List<LeaseResult> results, List<LeaseFailure> failures,
                         List<String> renew) {
        this(started, results, failures, renew, List.of());
    }

    /** How many items the request holds, counting every list. */
    public int size() {
        return started.size() + results.size() + failures.size() + renew.size() + released.size();
    }
}
