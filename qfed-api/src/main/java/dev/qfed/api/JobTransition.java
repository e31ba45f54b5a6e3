package dev.qfed.api;

import java.time.Instant;
import java.util.Optional;

/**
 * One row of a job's history: an event moved it from one status to another.
 *
 * @param event   what happened
 * @param from    the status before; absent for {@link JobEventType#SUBMIT}
 * @param to      the status after
 * @param attempt the attempt the event belongs to (0 before the first lease, 1 for the first attempt)
 * @param reason  why, when the event has one (an agent's failure, an expired lease, who cancelled)
 * @param at      when the broker recorded it
 */
public record JobTransition(JobEventType event, Optional<JobStatus> from, JobStatus to, int attempt,
                            Optional<String> reason, Instant at) {
    public JobTransition {
        event = Checks.present(event, "event");
        from = Checks.optional(from);
        to = Checks.present(to, "to");
        Checks.nonNegative(attempt, "attempt");
        reason = Checks.optional(reason);
        at = Checks.present(at, "at");
    }
}
