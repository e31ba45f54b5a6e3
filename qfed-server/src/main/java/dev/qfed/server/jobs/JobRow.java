package dev.qfed.server.jobs;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A row of {@code jobs}: what the store knows about a job, before it is shaped for the wire.
 *
 * @param seed the submitter's random seed, when given
 */
public record JobRow(String id, String member, String project, String user, JobState state, String backend,
                     String backendRequested, int shots, int circuitCount, Map<String, String> tags, int attempt,
                     int maxAttempts, Optional<String> leaseId, Instant submittedAt, Optional<Instant> assignedAt,
                     Optional<Instant> startedAt, Optional<Instant> finishedAt, Optional<Long> seed) {
    public JobRow {
        tags = Map.copyOf(tags);
    }
}
