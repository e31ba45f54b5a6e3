package dev.qfed.circuit;

import java.util.Arrays;

/**
 * A small dense complex square matrix (gate unitaries: at most a few qubits). Row-major, real and imaginary
 * parts interleaved: entry (r, c) is {@code data[2*(r*dim+c)]} + i·{@code data[2*(r*dim+c)+1]}. Immutable once
 * built; the emulator reads {@link #data()} directly, so it hands out the array without copying and must not
 * write to it.
 */
public final class ComplexMatrix {
    private final int dim;
    private final double[] data;

    private ComplexMatrix(int dim, double[] data) {
        this.dim = dim;
        this.data = data;
    }

    /** Takes ownership of {@code data} (length {@code 2*dim*dim}). */
    public static ComplexMatrix of(int dim, double[] data) {
        if (dim < 1 || data.length != 2 * dim * dim) {
            throw new IllegalArgumentException("a " + dim + "x" + dim + " complex matrix needs " + 2 * dim * dim
                    + " doubles, got " + data.length);
        }
        return new ComplexMatrix(dim, data);
    }

    public static ComplexMatrix identity(int dim) {
        double[] d = new double[2 * dim * dim];
        for (int i = 0; i < dim; i++) {
            d[2 * (i * dim + i)] = 1;
        }
        return new ComplexMatrix(dim, d);
    }

    /** A diagonal matrix whose entry k is e^{i·phases[k]}. */
    public static ComplexMatrix diagonalPhases(double... phases) {
        int dim = phases.length;
        double[] d = new double[2 * dim * dim];
        for (int i = 0; i < dim; i++) {
            d[2 * (i * dim + i)] = Math.cos(phases[i]);
            d[2 * (i * dim + i) + 1] = Math.sin(phases[i]);
        }
        return new ComplexMatrix(dim, d);
    }

    public int dim() {
        return dim;
    }

    /** The number of qubits this matrix acts on (log2 of its dimension). */
    public int numQubits() {
        return Integer.numberOfTrailingZeros(dim);
    }

    /** The backing array; do not modify. */
    public double[] data() {
        return data;
    }

    public double re(int row, int col) {
        return data[2 * (row * dim + col)];
    }

    public double im(int row, int col) {
        return data[2 * (row * dim + col) + 1];
    }

    /** {@code this · other}. */
    public ComplexMatrix multiply(ComplexMatrix other) {
        requireSameDim(other);
        double[] out = new double[data.length];
        for (int r = 0; r < dim; r++) {
            for (int k = 0; k < dim; k++) {
                double ar = re(r, k);
                double ai = im(r, k);
                if (ar == 0 && ai == 0) {
                    continue;
                }
                for (int c = 0; c < dim; c++) {
                    double br = other.re(k, c);
                    double bi = other.im(k, c);
                    out[2 * (r * dim + c)] += ar * br - ai * bi;
                    out[2 * (r * dim + c) + 1] += ar * bi + ai * br;
                }
            }
        }
        return new ComplexMatrix(dim, out);
    }

    /** Conjugate transpose. */
    public ComplexMatrix adjoint() {
        double[] out = new double[data.length];
        for (int r = 0; r < dim; r++) {
            for (int c = 0; c < dim; c++) {
                out[2 * (c * dim + r)] = re(r, c);
                out[2 * (c * dim + r) + 1] = -im(r, c);
            }
        }
        return new ComplexMatrix(dim, out);
    }

    /**
     * Kronecker product {@code this ⊗ other}. In the little-endian convention, {@code high.kron(low)} is the
     * operator that applies {@code low} to the low-order qubits and {@code high} to the ones above them.
     */
    public ComplexMatrix kron(ComplexMatrix other) {
        int n = dim * other.dim;
        double[] out = new double[2 * n * n];
        for (int r1 = 0; r1 < dim; r1++) {
            for (int c1 = 0; c1 < dim; c1++) {
                double ar = re(r1, c1);
                double ai = im(r1, c1);
                for (int r2 = 0; r2 < other.dim; r2++) {
                    for (int c2 = 0; c2 < other.dim; c2++) {
                        int r = r1 * other.dim + r2;
                        int c = c1 * other.dim + c2;
                        double br = other.re(r2, c2);
                        double bi = other.im(r2, c2);
                        out[2 * (r * n + c)] = ar * br - ai * bi;
                        out[2 * (r * n + c) + 1] = ar * bi + ai * br;
                    }
                }
            }
        }
        return new ComplexMatrix(n, out);
    }

    /** Multiplies every entry by e^{i·phase}. */
    public ComplexMatrix timesPhase(double phase) {
        double cr = Math.cos(phase);
        double ci = Math.sin(phase);
        double[] out = new double[data.length];
        for (int i = 0; i < data.length; i += 2) {
            out[i] = data[i] * cr - data[i + 1] * ci;
            out[i + 1] = data[i] * ci + data[i + 1] * cr;
        }
        return new ComplexMatrix(dim, out);
    }

    /**
     * This matrix raised to the power {@code k}. An integer k is computed by repeated squaring (k = 0 gives the
     * identity; a negative k uses the adjoint, so the matrix must be unitary). Any other k gives the principal
     * power of a unitary, U^k = Σ e^{i·k·arg λ}|v⟩⟨v| over its eigenpairs with arg λ in (−π, π]; so
     * {@code X.power(0.5)} is SX and {@code Z.power(0.5)} is S.
     *
     * @throws IllegalArgumentException when k is not finite, or is negative or fractional and this matrix is not
     *                                  unitary
     */
    public ComplexMatrix power(double k) {
        if (!Double.isFinite(k)) {
            throw new IllegalArgumentException("matrix power must be a finite number, got " + k);
        }
        if (k < 0 || k != Math.rint(k)) {
            if (!isUnitary(UNITARY_TOLERANCE)) {
                throw new IllegalArgumentException("a negative or fractional power (" + k
                        + ") is only defined here for unitary matrices");
            }
        }
        if (k == Math.rint(k) && Math.abs(k) <= Integer.MAX_VALUE) {
            long n = (long) Math.abs(k);
            ComplexMatrix base = k < 0 ? adjoint() : this;
            ComplexMatrix result = null; // not the identity: one multiplication fewer, and U^1 is U bit for bit
            while (n > 0) {
                if ((n & 1) == 1) {
                    result = result == null ? base : result.multiply(base);
                }
                n >>= 1;
                if (n > 0) {
                    base = base.multiply(base);
                }
            }
            return result == null ? identity(dim) : result;
        }
        if (isDiagonal()) {
            // exact and common (phase gates): no eigensolver rounding
            double[] out = new double[data.length];
            for (int i = 0; i < dim; i++) {
                int at = 2 * (i * dim + i);
                double angle = k * principalArg(data[at], data[at + 1]);
                out[at] = Math.cos(angle);
                out[at + 1] = Math.sin(angle);
            }
            return new ComplexMatrix(dim, out);
        }
        UnitarySchur schur = UnitarySchur.of(this);
        double[] phases = new double[dim];
        for (int i = 0; i < dim; i++) {
            phases[i] = k * principalArg(schur.eigenRe(i), schur.eigenIm(i));
        }
        ComplexMatrix q = schur.vectors();
        return q.multiply(diagonalPhases(phases)).multiply(q.adjoint());
    }

    /**
     * The controlled version of this matrix: it acts on {@code numControls} control qubits, which are the LOW bits
     * of the basis index, followed by this matrix's own qubits. It applies this matrix when control j is in
     * state bit j of {@code controlValues} (1 = {@code ctrl}, 0 = {@code negctrl}) for every j, and the identity
     * otherwise.
     *
     * @throws IllegalArgumentException when numControls is negative or too large, or controlValues has bits at or
     *                                  above numControls
     */
    public ComplexMatrix controlled(int numControls, int controlValues) {
        if (numControls < 0 || numControls > 30 || (long) dim << numControls > MAX_CONTROLLED_DIM) {
            throw new IllegalArgumentException("cannot add " + numControls + " control(s) to a " + dim + "x" + dim
                    + " matrix: the result would be too large");
        }
        if (controlValues < 0 || (controlValues >>> numControls) != 0) {
            throw new IllegalArgumentException("control values " + Integer.toBinaryString(controlValues)
                    + " do not fit in " + numControls + " control bit(s)");
        }
        if (numControls == 0) {
            return this;
        }
        int n = dim << numControls;
        int mask = (1 << numControls) - 1;
        double[] out = new double[2 * n * n];
        for (int i = 0; i < n; i++) {
            if ((i & mask) != controlValues) {
                out[2 * (i * n + i)] = 1;
                continue;
            }
            int r = i >>> numControls;
            for (int c = 0; c < dim; c++) {
                int j = (c << numControls) | controlValues;
                out[2 * (i * n + j)] = re(r, c);
                out[2 * (i * n + j) + 1] = im(r, c);
            }
        }
        return new ComplexMatrix(n, out);
    }

    private boolean isDiagonal() {
        for (int r = 0; r < dim; r++) {
            for (int c = 0; c < dim; c++) {
                if (r != c && (re(r, c) != 0 || im(r, c) != 0)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** arg z in (−π, π]; eigenvalues within rounding of −1 count as e^{iπ}, not e^{−iπ}. */
    private static double principalArg(double re, double im) {
        double arg = Math.atan2(im, re);
        return arg <= -Math.PI + BRANCH_CUT_TOLERANCE ? Math.PI : arg;
    }

    private static final double UNITARY_TOLERANCE = 1e-9;
    private static final double BRANCH_CUT_TOLERANCE = 1e-12;
    private static final long MAX_CONTROLLED_DIM = 1L << 12;

    /** Largest absolute entry-wise difference. */
    public double distance(ComplexMatrix other) {
        requireSameDim(other);
        double max = 0;
        for (int i = 0; i < data.length; i += 2) {
            max = Math.max(max, Math.hypot(data[i] - other.data[i], data[i + 1] - other.data[i + 1]));
        }
        return max;
    }

    public boolean approximatelyEquals(ComplexMatrix other, double tolerance) {
        return dim == other.dim && distance(other) <= tolerance;
    }

    /** Equal up to a global phase: {@code this = e^{iφ} other} for some φ, within {@code tolerance}. */
    public boolean equalsUpToGlobalPhase(ComplexMatrix other, double tolerance) {
        if (dim != other.dim) {
            return false;
        }
        // the phase from the largest entry of other is the best-conditioned estimate
        int best = 0;
        for (int i = 0; i < data.length; i += 2) {
            if (Math.hypot(other.data[i], other.data[i + 1]) > Math.hypot(other.data[best], other.data[best + 1])) {
                best = i;
            }
        }
        double phase = Math.atan2(data[best + 1], data[best]) - Math.atan2(other.data[best + 1], other.data[best]);
        return approximatelyEquals(other.timesPhase(phase), tolerance);
    }

    public boolean isUnitary(double tolerance) {
        return multiply(adjoint()).approximatelyEquals(identity(dim), tolerance);
    }

    private void requireSameDim(ComplexMatrix other) {
        if (dim != other.dim) {
            throw new IllegalArgumentException("matrix dimensions differ: " + dim + " and " + other.dim);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ComplexMatrix m && dim == m.dim && Arrays.equals(data, m.data);
    }

    @Override
    public int hashCode() {
        return 31 * dim + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < dim; r++) {
            sb.append(r == 0 ? "[" : " ");
            for (int c = 0; c < dim; c++) {
                sb.append(String.format(java.util.Locale.ROOT, "%s%.6f%+.6fi", c == 0 ? "[" : ", ", re(r, c), im(r, c)));
            }
            sb.append(r == dim - 1 ? "]]" : "]\n");
        }
        return sb.toString();
    }
}
