package dev.qfed.api;

import java.util.List;
import java.util.Optional;

/**
 * Body of {@code GET /v1/jobs/{id}/result}: the job, and when it is {@link JobStatus#COMPLETED} its results,
 * one per circuit in submission order. The status code is 200 once the job is final and 202 while it is not
 * (after waiting up to {@code wait}).
 */
public record JobResult(Job job, Optional<List<CircuitResult>> results, Optional<ExecutionMetadata> execution) {
    public JobResult {
        job = Checks.present(job, "job");
        results = Checks.optional(results).map(r -> Checks.list(r, "results"));
        execution = Checks.optional(execution);
    }
}
