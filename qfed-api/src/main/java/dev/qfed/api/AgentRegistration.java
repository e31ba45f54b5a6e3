package dev.qfed.api;

import java.util.List;

/**
 * Answer to {@code POST /v1/agents/register}.
 *
 * @param agentId             the {@code {id}} of {@code /v1/agents/{id}/…}
 * @param leaseDurationMs     how long a lease lasts unless a heartbeat extends it
 * @param heartbeatIntervalMs how often the agent should send heartbeats while it holds leases
 */
public record AgentRegistration(String agentId, String member, String name, List<Backend> backends,
                                long leaseDurationMs, long heartbeatIntervalMs) {
    public AgentRegistration {
        agentId = Checks.text(agentId, "agent_id");
        member = Checks.text(member, "member");
        name = Checks.text(name, "name");
        backends = Checks.list(backends, "backends");
    }
}
