package dev.qfed.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One lease given back in a {@link ReportRequest}: the agent did not start the job and will not (it is draining,
 * or it cannot run the job now), so the job goes back to the queue without spending an attempt.
 *
 * @param leaseId the lease to give back; only the agent holding it may, and only before it reported a start
 * @param reason  why, recorded in the job's history
 */
public record LeaseRelease(@JsonProperty(required = true) String leaseId,
                           @JsonProperty(required = true) String reason) {
    public LeaseRelease {
        leaseId = Checks.text(leaseId, "lease_id");
        reason = Checks.text(reason, "reason");
    }
}
