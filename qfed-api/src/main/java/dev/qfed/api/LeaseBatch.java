package dev.qfed.api;

import java.util.List;

/** Answer to a lease poll: the jobs leased, none when the wait ran out. */
public record LeaseBatch(List<Lease> leases) {
    public LeaseBatch {
        leases = Checks.list(leases, "leases");
    }
}
