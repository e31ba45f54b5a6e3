package dev.qfed.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One failure in a {@link ReportRequest}: the lease and what {@link FailLeaseRequest} carries.
 *
 * @param leaseId   the lease whose attempt failed
 * @param reason    what went wrong, for the submitter
 * @param retryable whether another attempt may succeed (see {@link FailLeaseRequest})
 */
public record LeaseFailure(@JsonProperty(required = true) String leaseId,
                           @JsonProperty(required = true) String reason,
                           @JsonProperty(required = true) boolean retryable) {
    public LeaseFailure {
        leaseId = Checks.text(leaseId, "lease_id");
        reason = Checks.text(reason, "reason");
    }

    public LeaseFailure(String leaseId, FailLeaseRequest failure) {
        this(leaseId, failure.reason(), failure.retryable());
    }

    /** The failure without its lease. */
    public FailLeaseRequest failure() {
        return new FailLeaseRequest(reason, retryable);
    }
}
