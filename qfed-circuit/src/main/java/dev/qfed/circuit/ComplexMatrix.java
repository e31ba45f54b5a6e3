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
