package dev.qfed.api;

import java.time.Instant;
import java.util.Optional;

/**
 * When a job passed its milestones (RFC 3339 UTC). After a retry, {@code assigned_at} and {@code started_at} are
 * those of the latest attempt.
 */
public record JobTimings(Instant submittedAt, Optional<Instant> assignedAt, Optional<Instant> startedAt,
                         Optional<Instant> finishedAt) {
    public JobTimings {
        submittedAt = Checks.present(submittedAt, "submitted_at");
        assignedAt = Checks.optional(assignedAt);
        startedAt = Checks.optional(startedAt);
        finishedAt = Checks.optional(finishedAt);
    }
}
