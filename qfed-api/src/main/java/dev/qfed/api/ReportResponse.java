package dev.qfed.api;

import java.util.List;

/**
 * Answer to {@code POST /v1/agents/{id}/reports}.
 *
 * @param leases   the status of every lease the request named, once each, in the order first named (a lease whose
 *                 result or failure was just accepted is {@link LeaseState#GONE}: it is over)
 * @param started  one outcome per item of the request's {@code started}, in the same order
 * @param results  one outcome per item of the request's {@code results}, in the same order
 * @param failures one outcome per item of the request's {@code failures}, in the same order
 * @param released one outcome per item of the request's {@code released}, in the same order
 */
public record ReportResponse(List<LeaseStatus> leases, List<ReportOutcome> started, List<ReportOutcome> results,
                             List<ReportOutcome> failures, List<ReportOutcome> released) {
    public ReportResponse {
        leases = Checks.list(leases, "leases");
        started = Checks.list(started, "started");
        results = Checks.list(results, "results");
        failures = Checks.list(failures, "failures");
        released = Checks.list(released, "released");
    }
}
