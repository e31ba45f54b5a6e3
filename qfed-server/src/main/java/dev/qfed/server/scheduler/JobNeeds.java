package dev.qfed.server.scheduler;

import java.util.Set;

/** What a job requires of a backend: the widest circuit's qubits, and every gate any circuit applies. */
public record JobNeeds(int numQubits, Set<String> gates) {
    public JobNeeds {
        gates = Set.copyOf(gates);
    }
}
