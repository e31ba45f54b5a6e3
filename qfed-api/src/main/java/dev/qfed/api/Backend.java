package dev.qfed.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A backend as the consortium sees it ({@code GET /v1/backends}).
 *
 * @param name           unique across the consortium; the {@code {name}} of {@code /v1/backends/{name}}
 * @param member         the member whose site runs it
 * @param nativeGates    the gates the device executes natively
 * @param supportedGates the OpenQASM gate names a submitted circuit may use on this backend
 * @param queueDepth     jobs queued for it
 * @param runningJobs    jobs assigned to or running on it
 * @param lastSeenAt     when its agent was last heard from
 */
public record Backend(String name, String member, BackendStatus status, int numQubits, List<String> nativeGates,
                      List<String> supportedGates, long queueDepth, long runningJobs, Optional<Instant> lastSeenAt,
                      Optional<String> description) {
    public Backend {
        name = Checks.text(name, "name");
        member = Checks.text(member, "member");
        status = Checks.present(status, "status");
        Checks.nonNegative(numQubits, "num_qubits");
        nativeGates = Checks.list(nativeGates, "native_gates");
        supportedGates = Checks.list(supportedGates, "supported_gates");
        Checks.nonNegative(queueDepth, "queue_depth");
        Checks.nonNegative(runningJobs, "running_jobs");
        lastSeenAt = Checks.optional(lastSeenAt);
        description = Checks.optional(description);
    }
}
