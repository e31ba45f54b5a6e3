package dev.qfed.circuit;

import static dev.qfed.circuit.StandardGate.CU1;
import static dev.qfed.circuit.StandardGate.CX;
import static dev.qfed.circuit.StandardGate.H;
import static dev.qfed.circuit.StandardGate.P;
import static dev.qfed.circuit.StandardGate.S;
import static dev.qfed.circuit.StandardGate.SDG;
import static dev.qfed.circuit.StandardGate.T;
import static dev.qfed.circuit.StandardGate.TDG;
import static dev.qfed.circuit.StandardGate.U;
import static dev.qfed.circuit.StandardGate.U1;
import static dev.qfed.circuit.StandardGate.U2;
import static dev.qfed.circuit.StandardGate.U3;

import dev.qfed.circuit.Unitaries.Body;

/**
 * The gate bodies of Qiskit's current {@code qelib1.inc}, transcribed as gate applications; each body's unitary is
 * the product of the library matrices of the gates it calls (the OpenQASM 2 built-ins U and CX included). Older
 * Qiskit releases shipped a c3sqrtx with the cu1 signs flipped (a controlled SX†) and a c4x that is not a
 * 4-controlled X; these are the corrected bodies.
 */
final class Qelib1Definitions {
    private static final double PI = Math.PI;

    private Qelib1Definitions() {
    }

    private static double[] a(double... v) {
        return v;
    }

    static ComplexMatrix body(StandardGate gate, double[] p) {
        return switch (gate) {
            case U3, LOWER_U -> new Body(1).gate(U, p, 0).matrix();
            case U2 -> new Body(1).gate(U, a(PI / 2, p[0], p[1]), 0).matrix();
            case U1, P -> new Body(1).gate(U, a(0, 0, p[0]), 0).matrix();
            case CX -> new Body(2).gate(CX, 0, 1).matrix(); // gate cx c,t { CX c,t; }
            case ID, U0 -> new Body(1).gate(U, a(0, 0, 0), 0).matrix();
            case X -> new Body(1).gate(U3, a(PI, 0, PI), 0).matrix();
            case Y -> new Body(1).gate(U3, a(PI, PI / 2, PI / 2), 0).matrix();
            case Z -> new Body(1).gate(U1, a(PI), 0).matrix();
            case H -> new Body(1).gate(U2, a(0, PI), 0).matrix();
            case S -> new Body(1).gate(U1, a(PI / 2), 0).matrix();
            case SDG -> new Body(1).gate(U1, a(-PI / 2), 0).matrix();
            case T -> new Body(1).gate(U1, a(PI / 4), 0).matrix();
            case TDG -> new Body(1).gate(U1, a(-PI / 4), 0).matrix();
            case RX -> new Body(1).gate(U3, a(p[0], -PI / 2, PI / 2), 0).matrix();
            case RY -> new Body(1).gate(U3, a(p[0], 0, 0), 0).matrix();
            case RZ -> new Body(1).gate(U1, a(p[0]), 0).matrix();
            case SX -> new Body(1).gate(SDG, 0).gate(H, 0).gate(SDG, 0).matrix();
            case SXDG -> new Body(1).gate(S, 0).gate(H, 0).gate(S, 0).matrix();
            case CZ -> new Body(2).gate(H, 1).gate(CX, 0, 1).gate(H, 1).matrix();
            case CY -> new Body(2).gate(SDG, 1).gate(CX, 0, 1).gate(S, 1).matrix();
            case SWAP -> new Body(2).gate(CX, 0, 1).gate(CX, 1, 0).gate(CX, 0, 1).matrix();
            case CH -> new Body(2).gate(H, 1).gate(SDG, 1).gate(CX, 0, 1).gate(H, 1).gate(T, 1).gate(CX, 0, 1)
                    .gate(T, 1).gate(H, 1).gate(S, 1).gate(StandardGate.X, 1).gate(S, 0).matrix();
            case CCX -> ccx(new Body(3), 0, 1, 2).matrix();
            case CSWAP -> ccx(new Body(3).gate(CX, 2, 1), 0, 1, 2).gate(CX, 2, 1).matrix();
            case CRX -> new Body(2).gate(U1, a(PI / 2), 1).gate(CX, 0, 1).gate(U3, a(-p[0] / 2, 0, 0), 1)
                    .gate(CX, 0, 1).gate(U3, a(p[0] / 2, -PI / 2, 0), 1).matrix();
            case CRY -> new Body(2).gate(U3, a(p[0] / 2, 0, 0), 1).gate(CX, 0, 1).gate(U3, a(-p[0] / 2, 0, 0), 1)
                    .gate(CX, 0, 1).matrix();
            case CRZ -> new Body(2).gate(U1, a(p[0] / 2), 1).gate(CX, 0, 1).gate(U1, a(-p[0] / 2), 1)
                    .gate(CX, 0, 1).matrix();
            case CU1 -> new Body(2).gate(U1, a(p[0] / 2), 0).gate(CX, 0, 1).gate(U1, a(-p[0] / 2), 1)
                    .gate(CX, 0, 1).gate(U1, a(p[0] / 2), 1).matrix();
            case CP -> new Body(2).gate(P, a(p[0] / 2), 0).gate(CX, 0, 1).gate(P, a(-p[0] / 2), 1)
                    .gate(CX, 0, 1).gate(P, a(p[0] / 2), 1).matrix();
            case CU3 -> new Body(2).gate(U1, a((p[2] + p[1]) / 2), 0).gate(U1, a((p[2] - p[1]) / 2), 1)
                    .gate(CX, 0, 1).gate(U3, a(-p[0] / 2, 0, -(p[1] + p[2]) / 2), 1).gate(CX, 0, 1)
                    .gate(U3, a(p[0] / 2, p[1], 0), 1).matrix();
            case CSX -> new Body(2).gate(H, 1).gate(CU1, a(PI / 2), 0, 1).gate(H, 1).matrix();
            case CU -> new Body(2).gate(P, a(p[3]), 0).gate(P, a((p[2] + p[1]) / 2), 0)
                    .gate(P, a((p[2] - p[1]) / 2), 1).gate(CX, 0, 1)
                    .gate(StandardGate.LOWER_U, a(-p[0] / 2, 0, -(p[1] + p[2]) / 2), 1).gate(CX, 0, 1)
                    .gate(StandardGate.LOWER_U, a(p[0] / 2, p[1], 0), 1).matrix();
            case RXX -> new Body(2).gate(U3, a(PI / 2, p[0], 0), 0).gate(H, 1).gate(CX, 0, 1)
                    .gate(U1, a(-p[0]), 1).gate(CX, 0, 1).gate(H, 1).gate(U2, a(-PI, PI - p[0]), 0).matrix();
            case RZZ -> new Body(2).gate(CX, 0, 1).gate(U1, a(p[0]), 1).gate(CX, 0, 1).matrix();
            case RCCX -> new Body(3).gate(U2, a(0, PI), 2).gate(U1, a(PI / 4), 2).gate(CX, 1, 2)
                    .gate(U1, a(-PI / 4), 2).gate(CX, 0, 2).gate(U1, a(PI / 4), 2).gate(CX, 1, 2)
                    .gate(U1, a(-PI / 4), 2).gate(U2, a(0, PI), 2).matrix();
            case RC3X -> new Body(4).gate(U2, a(0, PI), 3).gate(U1, a(PI / 4), 3).gate(CX, 2, 3)
                    .gate(U1, a(-PI / 4), 3).gate(U2, a(0, PI), 3).gate(CX, 0, 3).gate(U1, a(PI / 4), 3)
                    .gate(CX, 1, 3).gate(U1, a(-PI / 4), 3).gate(CX, 0, 3).gate(U1, a(PI / 4), 3)
                    .gate(CX, 1, 3).gate(U1, a(-PI / 4), 3).gate(U2, a(0, PI), 3).gate(U1, a(PI / 4), 3)
                    .gate(CX, 2, 3).gate(U1, a(-PI / 4), 3).gate(U2, a(0, PI), 3).matrix();
            case C3X -> c3x(new Body(4)).matrix();
            case C3SQRTX -> c3sqrtx(new Body(4), 0, 1, 2, 3).matrix();
            case C4X -> hcu1h(new Body(5), PI / 2, 3, 4)
                    .gate(StandardGate.C3X, 0, 1, 2, 3)
                    .gate(H, 4).gate(CU1, a(-PI / 2), 3, 4).gate(H, 4)
                    .gate(StandardGate.C3X, 0, 1, 2, 3)
                    .gate(StandardGate.C3SQRTX, 0, 1, 2, 4).matrix();
            case U, GPHASE -> throw new IllegalArgumentException(gate + " is built in, not defined in qelib1.inc");
        };
    }

    private static Body ccx(Body b, int a, int q, int c) {
        return b.gate(H, c).gate(CX, q, c).gate(TDG, c).gate(CX, a, c).gate(T, c).gate(CX, q, c).gate(TDG, c)
                .gate(CX, a, c).gate(T, q).gate(T, c).gate(H, c).gate(CX, a, q).gate(T, a).gate(TDG, q)
                .gate(CX, a, q);
    }

    /** gate c3x a,b,c,d (the p(±π/8) form of current Qiskit). */
    private static Body c3x(Body b) {
        b.gate(H, 3).gate(P, a(PI / 8), 0).gate(P, a(PI / 8), 1).gate(P, a(PI / 8), 2).gate(P, a(PI / 8), 3);
        b.gate(CX, 0, 1).gate(P, a(-PI / 8), 1).gate(CX, 0, 1);
        b.gate(CX, 1, 2).gate(P, a(-PI / 8), 2).gate(CX, 0, 2).gate(P, a(PI / 8), 2).gate(CX, 1, 2)
                .gate(P, a(-PI / 8), 2).gate(CX, 0, 2);
        b.gate(CX, 2, 3).gate(P, a(-PI / 8), 3).gate(CX, 1, 3).gate(P, a(PI / 8), 3).gate(CX, 2, 3)
                .gate(P, a(-PI / 8), 3).gate(CX, 0, 3).gate(P, a(PI / 8), 3).gate(CX, 2, 3)
                .gate(P, a(-PI / 8), 3).gate(CX, 1, 3).gate(P, a(PI / 8), 3).gate(CX, 2, 3)
                .gate(P, a(-PI / 8), 3).gate(CX, 0, 3);
        return b.gate(H, 3);
    }

    /** gate c3sqrtx a,b,c,d: Gray-code controlled X^(1/2) from cu1(±π/8) between Hadamards. */
    private static Body c3sqrtx(Body b, int a, int q, int c, int d) {
        final double angle = PI / 8;
        return hcu1h(b, angle, a, d).gate(CX, a, q)
                .gate(H, d).gate(CU1, a(-angle), q, d).gate(H, d)
                .gate(CX, a, q)
                .gate(H, d).gate(CU1, a(angle), q, d).gate(H, d)
                .gate(CX, q, c)
                .gate(H, d).gate(CU1, a(-angle), c, d).gate(H, d)
                .gate(CX, a, c)
                .gate(H, d).gate(CU1, a(angle), c, d).gate(H, d)
                .gate(CX, q, c)
                .gate(H, d).gate(CU1, a(-angle), c, d).gate(H, d)
                .gate(CX, a, c)
                .gate(H, d).gate(CU1, a(angle), c, d).gate(H, d);
    }

    private static Body hcu1h(Body b, double angle, int control, int target) {
        return b.gate(H, target).gate(CU1, a(angle), control, target).gate(H, target);
    }
}
