package dev.qfed.api;

import java.time.Instant;

/**
 * Why one attempt at a job ended without a result: reported by the agent, or the lease expired.
 *
 * @param attempt 1 for the first attempt
 */
public record AttemptFailure(int attempt, String reason, Instant at) {
    public AttemptFailure {
        Checks.nonNegative(attempt, "attempt");
        reason = Checks.text(reason, "reason");
        at = Checks.present(at, "at");
    }
}
