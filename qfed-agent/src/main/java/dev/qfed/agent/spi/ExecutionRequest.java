package dev.qfed.agent.spi;

import java.util.List;
import java.util.Objects;

/**
 * One execution of a job: its circuits, each run for {@code shots} shots.
 *
 * @param id           the job and attempt, for logs and {@link Backend#cancel(ExecutionId)}
 * @param circuits     at least one circuit, run in this order; results come back in the same order
 * @param shots        shots per circuit, at least 1
 * @param seed         the seed for every random choice; backends with
 *                     {@link BackendBehavior#REPRODUCIBLE_SEEDS} give the same counts for the same seed. The agent
 *                     derives it from the job id, so a retried job reproduces its first attempt.
 * @param cancellation tripped when the execution should stop early
 */
public record ExecutionRequest(ExecutionId id, List<CircuitSource> circuits, int shots, long seed,
                               CancellationToken cancellation) {
    public ExecutionRequest {
        Objects.requireNonNull(id, "id");
        circuits = List.copyOf(circuits);
        Objects.requireNonNull(cancellation, "cancellation");
        if (circuits.isEmpty()) {
            throw new IllegalArgumentException("an execution needs at least one circuit");
        }
        if (shots < 1) {
            throw new IllegalArgumentException("shots must be at least 1, got " + shots);
        }
    }
}
