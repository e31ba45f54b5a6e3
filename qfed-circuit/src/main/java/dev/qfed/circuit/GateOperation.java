package dev.qfed.circuit;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
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

    /** The control qubits the {@code ctrl}/{@code negctrl} modifiers add, in the order the modifiers list them. */
    public List<Integer> controlQubits() {
        return qubits.subList(0, numControls());
    }

    /** The gate's own qubit arguments, after the control qubits. */
    public List<Integer> targetQubits() {
        return qubits.subList(numControls(), qubits.size());
    }

    /**
     * Bit j is 1 when the j-th of {@link #controlQubits()} comes from a {@code ctrl} modifier (the gate acts when
     * it is |1⟩) and 0 when it comes from {@code negctrl} (acts when |0⟩).
     *
     * @throws IllegalStateException when there are more than 31 controls
     */
    public int controlValues() {
        int values = 0;
        int j = 0;
        for (GateModifier m : modifiers) {
            int count = m.addedQubits();
            if (j + count > 31) {
                throw new IllegalStateException(gate.qasmName() + " has more than 31 control qubits");
            }
            if (m instanceof GateModifier.Ctrl) {
                values |= ((1 << count) - 1) << j;
            }
            j += count;
        }
        return values;
    }

    /**
     * The base gate's matrix with the {@code inv} and {@code pow} modifiers applied (the last listed, innermost,
     * first), acting on {@link #targetQubits()}. Control modifiers commute with these and are left out; for
     * {@code gphase} this is the 1x1 matrix [e^{iθ}].
     *
     * @throws UnboundParameterException when a parameter or exponent still mentions an unbound input
     * @throws IllegalArgumentException  when the gate is opaque
     */
    public ComplexMatrix targetMatrix() {
        ComplexMatrix m = switch (gate) {
            case StandardGate g -> g.matrix(params.stream().mapToDouble(e -> e.evaluate(Map.of())).toArray());
            case OpaqueGate o -> throw new IllegalArgumentException("opaque gate '" + o.qasmName()
                    + "' has no definition, so it has no matrix; only a backend that implements it natively can run"
                    + " it");
        };
        for (int i = modifiers.size() - 1; i >= 0; i--) {
            m = switch (modifiers.get(i)) {
                case GateModifier.Inverse inv -> m.adjoint();
                case GateModifier.Power pow -> m.power(pow.exponent().evaluate(Map.of()));
                case GateModifier.Ctrl c -> m;
                case GateModifier.NegCtrl c -> m;
            };
        }
        return m;
    }

    /**
     * The full unitary on {@link #qubits()}: matrix bit j is qubit {@code qubits().get(j)}, so the controls are
     * the low bits. {@code ctrl @ gphase(θ) a} is therefore diag(1, e^{iθ}) on a.
     *
     * @throws UnboundParameterException when a parameter or exponent still mentions an unbound input
     * @throws IllegalArgumentException  when the gate is opaque
     */
    public ComplexMatrix matrix() {
        int controls = numControls();
        return controls == 0 ? targetMatrix() : targetMatrix().controlled(controls, controlValues());
    }

    private int numControls() {
        return qubits.size() - gate.numQubits();
    }

    /** A plain gate: no modifiers, constant parameters. */
    public static GateOperation of(StandardGate gate, List<Integer> qubits, double... params) {
        return new GateOperation(gate, java.util.Arrays.stream(params).mapToObj(Expr::constant)
                .map(Expr.class::cast).toList(), List.of(), qubits);
    }
}
