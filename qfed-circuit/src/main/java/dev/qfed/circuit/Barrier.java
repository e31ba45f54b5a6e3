package dev.qfed.circuit;

import java.util.List;

/** A scheduling and optimisation barrier across these qubits; no effect on the state. */
public record Barrier(List<Integer> qubits) implements Operation {
    public Barrier {
        qubits = List.copyOf(qubits);
    }
}
