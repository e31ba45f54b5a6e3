package dev.qfed.api;

import java.time.Instant;
import java.util.Optional;

/** One lease in a heartbeat answer, or the answer to {@code POST /v1/leases/{id}/start}. */
public record LeaseStatus(String leaseId, Optional<String> jobId, LeaseState state, Optional<Instant> expiresAt) {
    public LeaseStatus {
        leaseId = Checks.text(leaseId, "lease_id");
        jobId = Checks.optional(jobId);
        state = Checks.present(state, "state");
        expiresAt = Checks.optional(expiresAt);
    }
}
