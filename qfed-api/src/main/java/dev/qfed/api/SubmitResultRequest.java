package dev.qfed.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Optional;

/**
 * Body of {@code POST /v1/leases/{id}/result}: one result per circuit of the job, in the lease's order. Accepted
 * once per job; sending it again for the same lease is harmless, sending it for a lease that is no longer
 * current is refused (409).
 */
public record SubmitResultRequest(@JsonProperty(required = true) List<CircuitResult> results,
                                  Optional<ExecutionMetadata> execution) {
    public SubmitResultRequest {
        results = Checks.list(Checks.present(results, "results"), "results");
        execution = Checks.optional(execution);
    }
}
