package dev.qfed.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code POST /v1/leases/{id}/fail}.
 *
 * @param reason    what went wrong, for the submitter
 * @param retryable true if another attempt may succeed (the job is queued again while attempts remain), false if
 *                  the job can never run (it fails at once). For a job whose cancellation was requested, either
 *                  way it ends {@link JobStatus#CANCELLED}.
 */
public record FailLeaseRequest(@JsonProperty(required = true) String reason,
                               @JsonProperty(required = true) boolean retryable) {
    public FailLeaseRequest {
        reason = Checks.text(reason, "reason");
    }
}
