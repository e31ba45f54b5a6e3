package dev.qfed.circuit;

import java.util.Objects;

/**
 * An OpenQASM 3 gate modifier. A {@link GateOperation} lists its modifiers in source order, outermost first:
 * {@code ctrl @ inv @ s q0, q1;} is {@code [Ctrl(1), Inverse]}.
 */
public sealed interface GateModifier permits GateModifier.Ctrl, GateModifier.NegCtrl, GateModifier.Inverse,
        GateModifier.Power {

    /** How many control qubits this modifier adds in front of the gate's own arguments. */
    default int addedQubits() {
        return 0;
    }

    /** {@code ctrl(n) @}: the gate acts when all n controls are |1⟩. */
    record Ctrl(int count) implements GateModifier {
        public Ctrl {
            if (count < 1) {
                throw new IllegalArgumentException("ctrl needs at least one control qubit, got " + count);
            }
        }

        @Override
        public int addedQubits() {
            return count;
        }
    }

    /** {@code negctrl(n) @}: the gate acts when all n controls are |0⟩. */
    record NegCtrl(int count) implements GateModifier {
        public NegCtrl {
            if (count < 1) {
                throw new IllegalArgumentException("negctrl needs at least one control qubit, got " + count);
            }
        }

        @Override
        public int addedQubits() {
            return count;
        }
    }

    /** {@code inv @}: the adjoint. */
    record Inverse() implements GateModifier {
    }

    /**
     * {@code pow(k) @}: the k-th power; for non-integer k the principal one, U^k = Σ e^{i·k·arg λ}|v⟩⟨v| over
     * the eigenpairs of U with arg λ in (−π, π].
     */
    record Power(Expr exponent) implements GateModifier {
        public Power {
            Objects.requireNonNull(exponent, "exponent");
        }
    }
}
