package dev.qfed.agent.spi;

import java.util.Objects;

/**
 * One attempt at a job: the broker's job id and the attempt number (1 for the first). The broker accepts a result
 * once per job, so two executions with the same id are the same work done twice.
 */
public record ExecutionId(String jobId, int attempt) {
    public ExecutionId {
        Objects.requireNonNull(jobId, "jobId");
        if (jobId.isBlank()) {
            throw new IllegalArgumentException("job id must not be blank");
        }
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
        }
    }

    @Override
    public String toString() {
        return jobId + "#" + attempt;
    }
}
