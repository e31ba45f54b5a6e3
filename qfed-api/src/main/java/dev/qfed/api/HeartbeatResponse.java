package dev.qfed.api;

import java.util.List;

/** Answer to a heartbeat: one status per lease id sent, in the same order. */
public record HeartbeatResponse(List<LeaseStatus> leases) {
    public HeartbeatResponse {
        leases = Checks.list(leases, "leases");
    }
}
