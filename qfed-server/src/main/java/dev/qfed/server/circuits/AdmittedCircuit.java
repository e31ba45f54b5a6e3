package dev.qfed.server.circuits;

import dev.qfed.api.CircuitSpec;

import java.util.Set;

/**
 * A circuit that parsed, validated and had every input bound: what the scheduler needs to place it.
 *
 * @param gates the OpenQASM names of the gates it applies (modifiers aside)
 */
public record AdmittedCircuit(CircuitSpec spec, int numQubits, Set<String> gates) {
    public AdmittedCircuit {
        gates = Set.copyOf(gates);
    }
}
