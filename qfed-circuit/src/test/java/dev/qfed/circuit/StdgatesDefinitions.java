package dev.qfed.circuit;

import static dev.qfed.circuit.StandardGate.CX;
import static dev.qfed.circuit.StandardGate.GPHASE;
import static dev.qfed.circuit.StandardGate.P;
import static dev.qfed.circuit.StandardGate.S;
import static dev.qfed.circuit.StandardGate.U;
import static dev.qfed.circuit.StandardGate.Z;

import dev.qfed.circuit.GateModifier.Ctrl;
import dev.qfed.circuit.GateModifier.Inverse;
import dev.qfed.circuit.GateModifier.Power;
import dev.qfed.circuit.Unitaries.Body;

import java.util.List;

/**
 * The gate bodies of OpenQASM 3's {@code stdgates.inc} (openqasm/openqasm, examples/stdgates.inc), transcribed as
 * gate applications with modifiers; each body's unitary comes from {@link GateOperation#matrix()} of its calls.
 */
final class StdgatesDefinitions {
    private static final double PI = Math.PI;
    private static final List<GateModifier> CTRL = List.of(new Ctrl(1));
    private static final List<GateModifier> HALF = List.of(new Power(Expr.constant(0.5)));
    private static final List<GateModifier> INV_HALF = List.of(new Inverse(), new Power(Expr.constant(0.5)));
    private static final double[] NONE = {};

    private StdgatesDefinitions() {
    }

    private static double[] a(double... v) {
        return v;
    }

    static ComplexMatrix body(StandardGate gate, double[] p) {
        return switch (gate) {
            case P -> new Body(1).modified(CTRL, GPHASE, p, 0).matrix();
            case X -> new Body(1).gate(U, a(PI, 0, PI), 0).matrix();
            case Y -> new Body(1).gate(U, a(PI, PI / 2, PI / 2), 0).matrix();
            case Z -> new Body(1).gate(P, a(PI), 0).matrix();
            case H -> new Body(1).gate(U, a(PI / 2, 0, PI), 0).matrix();
            case S -> new Body(1).modified(HALF, Z, NONE, 0).matrix();
            case SDG -> new Body(1).modified(INV_HALF, Z, NONE, 0).matrix();
            case T -> new Body(1).modified(HALF, S, NONE, 0).matrix();
            case TDG -> new Body(1).modified(INV_HALF, S, NONE, 0).matrix();
            case SX -> new Body(1).modified(HALF, StandardGate.X, NONE, 0).matrix();
            case RX -> new Body(1).gate(U, a(p[0], -PI / 2, PI / 2), 0).matrix();
            case RY -> new Body(1).gate(U, a(p[0], 0, 0), 0).matrix();
            case RZ -> new Body(1).gate(GPHASE, a(-p[0] / 2)).gate(U, a(0, 0, p[0]), 0).matrix();
            case CX -> controlled(StandardGate.X, p);
            case CY -> controlled(StandardGate.Y, p);
            case CZ -> controlled(Z, p);
            case CP -> controlled(P, p);
            case CRX -> controlled(StandardGate.RX, p);
            case CRY -> controlled(StandardGate.RY, p);
            case CRZ -> controlled(StandardGate.RZ, p);
            case CH -> controlled(StandardGate.H, p);
            case SWAP -> new Body(2).gate(CX, 0, 1).gate(CX, 1, 0).gate(CX, 0, 1).matrix();
            case CCX -> new Body(3).modified(List.of(new Ctrl(1), new Ctrl(1)), StandardGate.X, NONE, 0, 1, 2)
                    .matrix();
            case CSWAP -> new Body(3).modified(CTRL, StandardGate.SWAP, NONE, 0, 1, 2).matrix();
            case CU -> new Body(2).gate(P, a(p[3]), 0).modified(CTRL, U, a(p[0], p[1], p[2]), 0, 1).matrix();
            case ID -> new Body(1).gate(U, a(0, 0, 0), 0).matrix();
            case U1 -> new Body(1).gate(U, a(0, 0, p[0]), 0).matrix();
            case U2 -> new Body(1).gate(GPHASE, a(-(p[0] + p[1]) / 2)).gate(U, a(PI / 2, p[0], p[1]), 0).matrix();
            case U3 -> new Body(1).gate(GPHASE, a(-(p[1] + p[2]) / 2)).gate(U, p, 0).matrix();
            default -> throw new IllegalArgumentException(gate + " is not defined in stdgates.inc");
        };
    }

    private static ComplexMatrix controlled(StandardGate target, double[] p) {
        return new Body(2).modified(CTRL, target, p, 0, 1).matrix();
    }
}
