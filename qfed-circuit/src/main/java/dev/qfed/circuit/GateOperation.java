package dev.qfed.circuit;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A gate applied to qubits. {@code qubits} lists the control qubits that {@code modifiers} add (outermost
 * modifier first) followed by the gate's own arguments, as OpenQASM 3 writes them:
 * {@code ctrl @ rx(0.1) a, b;} has qubits {@code [a, b]}.
 */
public record GateOperation(Gate gate, List<Expr> params, List<GateModifier> modifiers, List<Integer> qubits)
        implements Operation {

    public GateOperation {
        Objects.requireNonNull(gate, "gate");
        params = List.copyOf(params);
        modifiers = List.copyOf(modifiers);
        qubits = List.copyOf(qubits);
        if (params.size() != gate.numParams()) {
            throw new IllegalArgumentException(gate.qasmName() + " takes " + gate.numParams()
                    + " parameter(s), got " + params.size());
        }
        int expected = gate.numQubits() + modifiers.stream().mapToInt(GateModifier::addedQubits).sum();
        if (qubits.size() != expected) {
            throw new IllegalArgumentException(gate.qasmName() + " with these modifiers acts on " + expected
                    + " qubit(s), got " + qubits.size());
        }
        Set<Integer> seen = new HashSet<>();
        for (int q : qubits) {
            if (q < 0) {
                throw new IllegalArgumentException("qubit index must be >= 0, got " + q);
            }
            if (!seen.add(q)) {
                throw new IllegalArgumentException(gate.qasmName() + " is applied to qubit " + q + " twice");
            }
        }
    }

    /** A plain gate: no modifiers, constant parameters. */
    public static GateOperation of(StandardGate gate, List<Integer> qubits, double... params) {
        return new GateOperation(gate, java.util.Arrays.stream(params).mapToObj(Expr::constant)
                .map(Expr.class::cast).toList(), List.of(), qubits);
    }
}
