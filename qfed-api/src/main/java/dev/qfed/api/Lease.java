package dev.qfed.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job handed to an agent. Until {@code expires_at} (extended by heartbeats) the job is the agent's; after that
 * it goes back to the queue and a result for this lease is refused.
 *
 * @param seed the seed the submitter asked for; when absent the agent chooses one (the same for every attempt)
 */
public record Lease(String leaseId, String jobId, String member, String project, String backend, int attempt,
                    int shots, List<CircuitSpec> circuits, Map<String, String> tags, Instant expiresAt,
                    Optional<Long> seed) {
    public Lease {
        leaseId = Checks.text(leaseId, "lease_id");
        jobId = Checks.text(jobId, "job_id");
        member = Checks.text(member, "member");
        project = Checks.text(project, "project");
        backend = Checks.text(backend, "backend");
        circuits = Checks.list(circuits, "circuits");
        tags = Checks.map(tags, "tags");
        expiresAt = Checks.present(expiresAt, "expires_at");
        seed = Checks.optional(seed);
    }
}
