package dev.qfed.circuit.qasm;

import java.util.List;

/**
 * A checked user {@code gate} definition, expanded inline at each call. {@code size} is the number of
 * operations one call expands to (saturating at {@link Long#MAX_VALUE}) and {@code depth} how deeply definitions
 * nest below it, both computed once here so a call can be refused before anything is materialised.
 */
record GateDefinition(String name, List<String> params, int qubitCount, List<BodyOp> body, long size, int depth,
                      Pos pos) {

    /** One operation of a gate body, its names already resolved. */
    sealed interface BodyOp {
    }

    /** A call of a gate defined before; {@code qubits} index the enclosing gate's qubit arguments. */
    record Call(Scope.GateSymbol callee, Ast.GateCall source, List<Integer> qubits) implements BodyOp {
    }

    /** An OpenQASM 2 {@code barrier} inside a gate body. */
    record Barrier(List<Integer> qubits) implements BodyOp {
    }
}
