package dev.qfed.api;

import java.util.List;

/**
 * Body of {@code POST /v1/agents/{id}/heartbeat}: the leases the agent is working on. Each one that is still
 * the agent's is extended by the lease duration.
 */
public record HeartbeatRequest(List<String> leaseIds) {
    public HeartbeatRequest {
        leaseIds = Checks.list(leaseIds, "lease_ids");
    }
}
