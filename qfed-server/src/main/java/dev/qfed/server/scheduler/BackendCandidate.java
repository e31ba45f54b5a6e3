package dev.qfed.server.scheduler;

import java.util.Set;

/**
 * What the scheduler knows of a backend when it places a job.
 *
 * @param queued          jobs waiting for it
 * @param leased          jobs its agent holds
 * @param meanRunSeconds  recent mean time from lease to result, or a default before any was seen
 */
public record BackendCandidate(String name, String member, int numQubits, Set<String> supportedGates, boolean online,
                               long queued, long leased, double meanRunSeconds) {
    public BackendCandidate {
        supportedGates = Set.copyOf(supportedGates);
    }

    /** Expected seconds until a job submitted now starts: everything ahead of it, one after another. */
    public double expectedWaitSeconds() {
        return (queued + leased) * meanRunSeconds;
    }
}
