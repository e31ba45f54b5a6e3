package dev.qfed.circuit;

import java.util.Objects;

/**
 * An OpenQASM 2 {@code opaque} gate: declared, with no definition. It survives parsing and printing; a backend
 * that cannot run it refuses the circuit.
 */
public record OpaqueGate(String qasmName, int numParams, int numQubits) implements Gate {
    public OpaqueGate {
        Objects.requireNonNull(qasmName, "qasmName");
        if (numParams < 0 || numQubits < 1) {
            throw new IllegalArgumentException("opaque gate " + qasmName + " needs >= 0 parameters and >= 1 qubit");
        }
    }
}
