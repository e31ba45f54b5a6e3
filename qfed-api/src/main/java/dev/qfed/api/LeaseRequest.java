package dev.qfed.api;

import java.util.Map;

/**
 * Body of {@code POST /v1/agents/{id}/lease?wait=20s}.
 *
 * @param slots backend name to how many more jobs the agent can run on it now; empty means one for each of the
 *              agent's backends. Backends with 0 slots are not leased from.
 */
public record LeaseRequest(Map<String, Integer> slots) {
    public static final LeaseRequest ONE_EACH = new LeaseRequest(Map.of());

    public LeaseRequest {
        slots = Checks.map(slots, "slots");
        slots.forEach((backend, n) -> Checks.nonNegative(n, "slots[" + backend + "]"));
    }
}
