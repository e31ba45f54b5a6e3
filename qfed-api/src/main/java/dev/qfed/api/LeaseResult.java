package dev.qfed.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Optional;

/**
 * One result in a {@link ReportRequest}: the lease and what {@link SubmitResultRequest} carries.
 *
 * @param leaseId   the lease the job ran under
 * @param results   one result per circuit of the job, in the lease's order
 * @param execution how it ran, for reproducibility
 */
public record LeaseResult(@JsonProperty(required = true) String leaseId,
                          @JsonProperty(required = true) List<CircuitResult> results,
                          Optional<ExecutionMetadata> execution) {
    public LeaseResult {
        leaseId = Checks.text(leaseId, "lease_id");
        results = Checks.list(Checks.present(results, "results"), "results");
        execution = Checks.optional(execution);
    }

    public LeaseResult(String leaseId, SubmitResultRequest result) {
        this(leaseId, result.results(), result.execution());
    }

    /** The result without its lease, as stored. */
    public SubmitResultRequest result() {
        return new SubmitResultRequest(results, execution);
    }
}
