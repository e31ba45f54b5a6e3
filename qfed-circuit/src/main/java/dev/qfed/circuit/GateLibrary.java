package dev.qfed.circuit;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Which standard gates each OpenQASM include makes visible, and their matrices. */
public final class GateLibrary {
    private static final Map<String, StandardGate> BY_NAME = new HashMap<>();

    static {
        for (StandardGate g : StandardGate.values()) {
            BY_NAME.put(g.qasmName(), g);
        }
        BY_NAME.put("CX", StandardGate.CX);
        BY_NAME.put("phase", StandardGate.P);
        BY_NAME.put("cphase", StandardGate.CP);
    }

    private static final Set<StandardGate> QELIB1 = Collections.unmodifiableSet(EnumSet.complementOf(
            EnumSet.of(StandardGate.U, StandardGate.GPHASE)));

    private static final Set<StandardGate> STDGATES = Collections.unmodifiableSet(EnumSet.of(
            StandardGate.P, StandardGate.X, StandardGate.Y, StandardGate.Z, StandardGate.H, StandardGate.S,
            StandardGate.SDG, StandardGate.T, StandardGate.TDG, StandardGate.SX, StandardGate.RX, StandardGate.RY,
            StandardGate.RZ, StandardGate.CX, StandardGate.CY, StandardGate.CZ, StandardGate.CP, StandardGate.CRX,
            StandardGate.CRY, StandardGate.CRZ, StandardGate.CH, StandardGate.SWAP, StandardGate.CCX,
            StandardGate.CSWAP, StandardGate.CU, StandardGate.ID, StandardGate.U1, StandardGate.U2,
            StandardGate.U3));

    private GateLibrary() {
    }

    static StandardGate lookup(String name) {
        return BY_NAME.get(name);
    }

    /** Gates of Qiskit's {@code qelib1.inc} (the OpenQASM 2 built-ins {@code U} and {@code CX} are always there). */
    public static Set<StandardGate> qelib1() {
        return QELIB1;
    }

    /**
     * Gates of OpenQASM 3's {@code stdgates.inc}; {@code U} and {@code gphase} are built into the language. The
     * aliases {@code CX}, {@code phase} and {@code cphase} also come with the include.
     */
    public static Set<StandardGate> stdgates() {
        return STDGATES;
    }

    /**
     * Closed forms of Qiskit's matrices (see {@link StandardGate} for the convention). Controlled gates are the
     * closed-form target matrix embedded with {@link ComplexMatrix#controlled}, never a product of a decomposition,
     * so tests that compare against the {@code qelib1.inc} / {@code stdgates.inc} bodies check something.
     */
    static ComplexMatrix matrix(StandardGate gate, double[] p) {
        return switch (gate) {
            case U, U3, LOWER_U -> u(p[0], p[1], p[2]);
            case GPHASE -> ComplexMatrix.of(1, new double[] {Math.cos(p[0]), Math.sin(p[0])});
            case ID, U0 -> ComplexMatrix.identity(2);
            case U1, P -> ComplexMatrix.diagonalPhases(0, p[0]);
            case U2 -> u2(p[0], p[1]);
            case X -> X;
            case Y -> Y;
            case Z -> Z;
            case H -> H;
            case S -> S;
            case SDG -> SDG;
            case T -> T;
            case TDG -> TDG;
            case SX -> SX;
            case SXDG -> SXDG;
            case RX -> rx(p[0]);
            case RY -> ry(p[0]);
            case RZ -> ComplexMatrix.diagonalPhases(-p[0] / 2, p[0] / 2);
            case CX -> X.controlled(1, 1);
            case CY -> Y.controlled(1, 1);
            case CZ -> Z.controlled(1, 1);
            case CH -> H.controlled(1, 1);
            case SWAP -> SWAP;
            case CRX -> rx(p[0]).controlled(1, 1);
            case CRY -> ry(p[0]).controlled(1, 1);
            case CRZ -> ComplexMatrix.diagonalPhases(-p[0] / 2, p[0] / 2).controlled(1, 1);
            case CU1, CP -> ComplexMatrix.diagonalPhases(0, 0, 0, p[0]);
            case CU3 -> u(p[0], p[1], p[2]).controlled(1, 1);
            case CSX -> SX.controlled(1, 1);
            case CU -> u(p[0], p[1], p[2]).timesPhase(p[3]).controlled(1, 1);
            case RXX -> rxx(p[0]);
            case RZZ -> ComplexMatrix.diagonalPhases(-p[0] / 2, p[0] / 2, p[0] / 2, -p[0] / 2);
            case CCX -> X.controlled(2, 0b11);
            case CSWAP -> SWAP.controlled(1, 1);
            case RCCX -> RCCX;
            case RC3X -> RC3X;
            case C3X -> X.controlled(3, 0b111);
            case C3SQRTX -> SX.controlled(3, 0b111);
            case C4X -> X.controlled(4, 0b1111);
        };
    }

    private static final double HALF_SQRT2 = Math.sqrt(0.5);

    private static final ComplexMatrix X = m2(0, 0, 1, 0, 1, 0, 0, 0);
    private static final ComplexMatrix Y = m2(0, 0, 0, -1, 0, 1, 0, 0);
    private static final ComplexMatrix Z = m2(1, 0, 0, 0, 0, 0, -1, 0);
    private static final ComplexMatrix H = m2(HALF_SQRT2, 0, HALF_SQRT2, 0, HALF_SQRT2, 0, -HALF_SQRT2, 0);
    private static final ComplexMatrix S = m2(1, 0, 0, 0, 0, 0, 0, 1);
    private static final ComplexMatrix SDG = m2(1, 0, 0, 0, 0, 0, 0, -1);
    private static final ComplexMatrix T = m2(1, 0, 0, 0, 0, 0, HALF_SQRT2, HALF_SQRT2);
    private static final ComplexMatrix TDG = m2(1, 0, 0, 0, 0, 0, HALF_SQRT2, -HALF_SQRT2);
    private static final ComplexMatrix SX = m2(0.5, 0.5, 0.5, -0.5, 0.5, -0.5, 0.5, 0.5);
    private static final ComplexMatrix SXDG = m2(0.5, -0.5, 0.5, 0.5, 0.5, 0.5, 0.5, -0.5);
    private static final ComplexMatrix SWAP = permutation(0, 2, 1, 3);
    /** Qiskit's RCCXGate: a Toffoli up to the relative phases −1 on |101⟩ and ∓i on the flipped pair. */
    private static final ComplexMatrix RCCX = sparse(8, new double[][] {
            {0, 0, 1, 0}, {1, 1, 1, 0}, {2, 2, 1, 0}, {3, 7, 0, -1}, {4, 4, 1, 0}, {5, 5, -1, 0}, {6, 6, 1, 0},
            {7, 3, 0, 1}});
    /** Qiskit's RC3XGate: a 3-controlled X up to relative phases. */
    private static final ComplexMatrix RC3X = sparse(16, new double[][] {
            {0, 0, 1, 0}, {1, 1, 1, 0}, {2, 2, 1, 0}, {3, 3, 0, 1}, {4, 4, 1, 0}, {5, 5, 1, 0}, {6, 6, 1, 0},
            {7, 15, 1, 0}, {8, 8, 1, 0}, {9, 9, 1, 0}, {10, 10, 1, 0}, {11, 11, 0, -1}, {12, 12, 1, 0},
            {13, 13, 1, 0}, {14, 14, 1, 0}, {15, 7, -1, 0}});

    /** OpenQASM's U(θ, φ, λ) = [[cos(θ/2), −e^{iλ}sin(θ/2)], [e^{iφ}sin(θ/2), e^{i(φ+λ)}cos(θ/2)]]. */
    private static ComplexMatrix u(double theta, double phi, double lambda) {
        double c = Math.cos(theta / 2);
        double s = Math.sin(theta / 2);
        return m2(c, 0,
                -Math.cos(lambda) * s, -Math.sin(lambda) * s,
                Math.cos(phi) * s, Math.sin(phi) * s,
                Math.cos(phi + lambda) * c, Math.sin(phi + lambda) * c);
    }

    /** U(π/2, φ, λ) with Qiskit's exact 1/√2 in every entry. */
    private static ComplexMatrix u2(double phi, double lambda) {
        return m2(HALF_SQRT2, 0,
                -Math.cos(lambda) * HALF_SQRT2, -Math.sin(lambda) * HALF_SQRT2,
                Math.cos(phi) * HALF_SQRT2, Math.sin(phi) * HALF_SQRT2,
                Math.cos(phi + lambda) * HALF_SQRT2, Math.sin(phi + lambda) * HALF_SQRT2);
    }

    private static ComplexMatrix rx(double theta) {
        double c = Math.cos(theta / 2);
        double s = Math.sin(theta / 2);
        return m2(c, 0, 0, -s, 0, -s, c, 0);
    }

    private static ComplexMatrix ry(double theta) {
        double c = Math.cos(theta / 2);
        double s = Math.sin(theta / 2);
        return m2(c, 0, -s, 0, s, 0, c, 0);
    }

    /** exp(−iθ/2·X⊗X) = cos(θ/2)·I − i·sin(θ/2)·X⊗X. */
    private static ComplexMatrix rxx(double theta) {
        double c = Math.cos(theta / 2);
        double s = Math.sin(theta / 2);
        return sparse(4, new double[][] {
                {0, 0, c, 0}, {1, 1, c, 0}, {2, 2, c, 0}, {3, 3, c, 0},
                {0, 3, 0, -s}, {1, 2, 0, -s}, {2, 1, 0, -s}, {3, 0, 0, -s}});
    }

    /** [[a, b], [c, d]] from real and imaginary parts. */
    private static ComplexMatrix m2(double ar, double ai, double br, double bi, double cr, double ci, double dr,
                                    double di) {
        return ComplexMatrix.of(2, new double[] {ar, ai, br, bi, cr, ci, dr, di});
    }

    /** Entries {row, column, re, im}; the rest zero. */
    private static ComplexMatrix sparse(int dim, double[][] entries) {
        double[] d = new double[2 * dim * dim];
        for (double[] e : entries) {
            int at = 2 * ((int) e[0] * dim + (int) e[1]);
            d[at] = e[2];
            d[at + 1] = e[3];
        }
        return ComplexMatrix.of(dim, d);
    }

    /** The permutation matrix sending basis state j to {@code images[j]}. */
    private static ComplexMatrix permutation(int... images) {
        int dim = images.length;
        double[] d = new double[2 * dim * dim];
        for (int j = 0; j < dim; j++) {
            d[2 * (images[j] * dim + j)] = 1;
        }
        return ComplexMatrix.of(dim, d);
    }
}
