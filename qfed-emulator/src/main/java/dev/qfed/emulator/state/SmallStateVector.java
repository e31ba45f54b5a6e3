package dev.qfed.emulator.state;

import java.util.Arrays;

/**
 * A state of at most {@value #MAX_QUBITS} qubits, for the many small runs a site agent executes (a 5-qubit job with
 * noise applies a few thousand tiny operations: gates, noise draws, probabilities).
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>Per call, not per amplitude.</b> A state this size fits in L1 (16 KiB at most), so a gate costs what its
 *       call costs: this class plans nothing, queues nothing, allocates nothing per gate and never leaves the
 *       calling thread. Each kernel is one loop over all indices that skips those outside the gate's control
 *       subspace — a few dozen iterations.</li>
 *   <li><b>Precision.</b> Amplitudes are held and multiplied as doubles; in {@link Precision#SINGLE} every amplitude
 *       an operation writes is rounded to a float, so the state holds exactly what complex64 storage would.</li>
 *   <li><b>Reductions</b> sum in index order on one thread: the same bits on any thread count, and (one reduction
 *       block) the same order as {@link ArrayStateVector}.</li>
 * </ul>
 */
public final class SmallStateVector implements StateVector {
    /** The most qubits this class holds; larger states belong in the blocked, SIMD implementations. */
    public static final int MAX_QUBITS = 10;

    private final int numQubits;
    private final int size;
    private final Precision precision;
    private final boolean single;
    private final double[] amps;
    /** Gathered amplitudes of one group of a gate on two or more targets; grown on demand. */
    private double[] scratch = new double[0];
    /** Offsets of a group's members for the gate being applied; grown on demand. */
    private int[] offsets = new int[0];

    /** |0…0⟩ on {@code numQubits} (0 to {@value #MAX_QUBITS}) qubits. */
    public SmallStateVector(int numQubits, Precision precision) {
        if (numQubits < 0 || numQubits > MAX_QUBITS) {
            throw new IllegalArgumentException("a small state holds 0 to " + MAX_QUBITS + " qubits, got "
                    + numQubits);
        }
        this.numQubits = numQubits;
        this.size = 1 << numQubits;
        this.precision = java.util.Objects.requireNonNull(precision, "precision");
        this.single = precision == Precision.SINGLE;
        this.amps = new double[2 * size];
        amps[0] = 1;
    }

    @Override
    public int numQubits() {
        return numQubits;
    }

    @Override
    public Precision precision() {
        return precision;
    }

    @Override
    public void setZero() {
        Arrays.fill(amps, 0.0);
        amps[0] = 1;
    }

    /** {@code x} as this state stores it. */
    private double store(double x) {
        return single ? (float) x : x;
    }

    // ---------------------------------------------------------------------------------------------- gate kernels

    @Override
    public void apply(int[] controls, int controlValues, int[] targets, double[] matrix) {
        int k = targets.length;
        int dim = 1 << k;
        if (matrix.length != 2 * dim * dim) {
            throw new IllegalArgumentException("a matrix on " + k + " target(s) has " + 2 * dim * dim
                    + " doubles, got " + matrix.length);
        }
        // a group's base index has every target bit 0 and every control bit at its value
        int involved = involvedMask(controls, targets);
        int controlBase = controlBase(controls, controlValues);
        double[] a = amps;
        if (k == 1) {
            int stride = 1 << targets[0];
            double m00r = matrix[0], m00i = matrix[1], m01r = matrix[2], m01i = matrix[3];
            double m10r = matrix[4], m10i = matrix[5], m11r = matrix[6], m11i = matrix[7];
            for (int i = 0; i < size; i++) {
                if ((i & involved) != controlBase) {
                    continue;
                }
                int i0 = 2 * i;
                int i1 = 2 * (i | stride);
                double ar = a[i0], ai = a[i0 + 1], br = a[i1], bi = a[i1 + 1];
                a[i0] = store(m00r * ar - m00i * ai + m01r * br - m01i * bi);
                a[i0 + 1] = store(m00r * ai + m00i * ar + m01r * bi + m01i * br);
                a[i1] = store(m10r * ar - m10i * ai + m11r * br - m11i * bi);
                a[i1 + 1] = store(m10r * ai + m10i * ar + m11r * bi + m11i * br);
            }
            return;
        }
        int[] off = offsets(targets);
        if (scratch.length < 2 * dim) {
            scratch = new double[2 * dim];
        }
        double[] in = scratch;
        for (int base = 0; base < size; base++) {
            if ((base & involved) != controlBase) {
                continue;
            }
            for (int c = 0; c < dim; c++) {
                int idx = 2 * (base | off[c]);
                in[2 * c] = a[idx];
                in[2 * c + 1] = a[idx + 1];
            }
            for (int r = 0; r < dim; r++) {
                int row = 2 * r * dim;
                double sr = 0;
                double si = 0;
                for (int c = 0; c < dim; c++) {
                    double mr = matrix[row + 2 * c];
                    double mi = matrix[row + 2 * c + 1];
                    double xr = in[2 * c];
                    double xi = in[2 * c + 1];
                    sr += mr * xr - mi * xi;
                    si += mr * xi + mi * xr;
                }
                int idx = 2 * (base | off[r]);
                a[idx] = store(sr);
                a[idx + 1] = store(si);
            }
        }
    }

    @Override
    public void applyDiagonal(int[] controls, int controlValues, int[] targets, double[] diagonal) {
        int k = targets.length;
        int dim = 1 << k;
        if (diagonal.length != 2 * dim) {
            throw new IllegalArgumentException("a diagonal on " + k + " target(s) has " + 2 * dim
                    + " doubles, got " + diagonal.length);
        }
        involvedMask(controls, targets); // checks them
        int controlMask = 0;
        for (int c : controls) {
            controlMask |= 1 << c;
        }
        int controlBase = controlBase(controls, controlValues);
        double[] a = amps;
        for (int i = 0; i < size; i++) {
            if ((i & controlMask) != controlBase) {
                continue;
            }
            int j = 0;
            for (int b = 0; b < k; b++) {
                j |= ((i >>> targets[b]) & 1) << b;
            }
            double dr = diagonal[2 * j];
            double di = diagonal[2 * j + 1];
            double xr = a[2 * i];
            double xi = a[2 * i + 1];
            a[2 * i] = store(dr * xr - di * xi);
            a[2 * i + 1] = store(dr * xi + di * xr);
        }
    }

    @Override
    public void applyGlobalPhase(double phase) {
        double c = Math.cos(phase);
        double s = Math.sin(phase);
        double[] a = amps;
        for (int i = 0; i < 2 * size; i += 2) {
            double xr = a[i];
            double xi = a[i + 1];
            a[i] = store(c * xr - s * xi);
            a[i + 1] = store(c * xi + s * xr);
        }
    }

    // ------------------------------------------------------------------------------------------------ reductions

    @Override
    public double probabilityOfOne(int qubit) {
        checkQubit(qubit);
        int stride = 1 << qubit;
        double[] a = amps;
        double s = 0;
        for (int i = stride; i < size; i++) {
            if ((i & stride) != 0) {
                s += a[2 * i] * a[2 * i] + a[2 * i + 1] * a[2 * i + 1];
            }
        }
        return s;
    }

    @Override
    public void collapse(int qubit, int outcome, double probability) {
        checkQubit(qubit);
        if (outcome != 0 && outcome != 1) {
            throw new IllegalArgumentException("outcome must be 0 or 1, got " + outcome);
        }
        if (!(probability > 0) || probability > 1 + (single ? 1e-6 : 1e-9)) { // float rounding adds up
            throw new IllegalArgumentException("cannot collapse onto an outcome of probability " + probability);
        }
        double scale = 1 / Math.sqrt(probability);
        int stride = 1 << qubit;
        int keep = outcome == 1 ? stride : 0;
        double[] a = amps;
        for (int i = 0; i < size; i++) {
            if ((i & stride) == keep) {
                a[2 * i] = store(a[2 * i] * scale);
                a[2 * i + 1] = store(a[2 * i + 1] * scale);
            } else {
                a[2 * i] = 0;
                a[2 * i + 1] = 0;
            }
        }
    }

    @Override
    public double normSquared() {
        double[] a = amps;
        double s = 0;
        for (int i = 0; i < 2 * size; i += 2) {
            s += a[i] * a[i] + a[i + 1] * a[i + 1];
        }
        return s;
    }

    @Override
    public double[] probabilities(int[] qubits) {
        int k = qubits.length;
        checkDistinct(new int[0], qubits);
        double[] out = new double[1 << k];
        double[] a = amps;
        for (int i = 0; i < size; i++) {
            int x = 0;
            for (int j = 0; j < k; j++) {
                x |= ((i >>> qubits[j]) & 1) << j;
            }
            out[x] += a[2 * i] * a[2 * i] + a[2 * i + 1] * a[2 * i + 1];
        }
        return out;
    }

    @Override
    public void sample(double[] sortedUniforms, long[] out) {
        int m = sortedUniforms.length;
        if (out.length != m) {
            throw new IllegalArgumentException("out has " + out.length + " slots for " + m + " uniforms");
        }
        if (m == 0) {
            return;
        }
        double total = normSquared();
        if (!(total > 0)) {
            throw new IllegalStateException("cannot sample from a state of norm zero");
        }
        double[] a = amps;
        double cumulative = 0;
        int last = -1;
        int j = 0;
        for (int i = 0; i < size && j < m; i++) {
            double p = a[2 * i] * a[2 * i] + a[2 * i + 1] * a[2 * i + 1];
            if (p == 0) {
                continue;
            }
            cumulative += p;
            last = i;
            while (j < m && checkedUniform(sortedUniforms, j) * total < cumulative) {
                out[j++] = i;
            }
        }
        if (j < m && last < 0) {
            last = size - 1;
            while (a[2 * last] == 0 && a[2 * last + 1] == 0) {
                last--;
            }
        }
        while (j < m) { // past the total by rounding: the last basis state with any amplitude
            checkedUniform(sortedUniforms, j);
            out[j++] = last;
        }
    }

    private static double checkedUniform(double[] sorted, int j) {
        double u = sorted[j];
        if (j > 0 && u < sorted[j - 1] || !(u >= 0 && u < 1)) {
            throw new IllegalArgumentException("uniforms must be ascending numbers in [0, 1); entry " + j + " is "
                    + u);
        }
        return u;
    }

    // ------------------------------------------------------------------------------------------------- access

    @Override
    public double[] amplitude(long index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("amplitude " + index + " of a " + numQubits + "-qubit state");
        }
        int i = (int) index;
        return new double[] {amps[2 * i], amps[2 * i + 1]};
    }

    @Override
    public double[] toArray() {
        return amps.clone();
    }

    @Override
    public SmallStateVector copy() {
        SmallStateVector c = new SmallStateVector(numQubits, precision);
        System.arraycopy(amps, 0, c.amps, 0, amps.length);
        return c;
    }

    @Override
    public void copyFrom(StateVector other) {
        if (!(other instanceof SmallStateVector o) || o.numQubits != numQubits || o.precision != precision) {
            throw new IllegalArgumentException("can only copy from a " + numQubits + "-qubit "
                    + SmallStateVector.class.getSimpleName() + " in " + precision + " precision, got "
                    + other.numQubits() + " qubits in " + other.getClass().getSimpleName());
        }
        System.arraycopy(o.amps, 0, amps, 0, amps.length);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** The bits of {@code controls} and {@code targets}, checked to be distinct qubits of this state. */
    private int involvedMask(int[] controls, int[] targets) {
        int mask = 0;
        for (int q : controls) {
            mask = addQubit(mask, q, controls, targets);
        }
        for (int q : targets) {
            mask = addQubit(mask, q, controls, targets);
        }
        return mask;
    }

    private int addQubit(int mask, int q, int[] controls, int[] targets) {
        checkQubit(q);
        if ((mask & (1 << q)) != 0) {
            throw new IllegalArgumentException("qubit " + q + " appears twice among controls "
                    + Arrays.toString(controls) + " and targets " + Arrays.toString(targets));
        }
        return mask | (1 << q);
    }

    private void checkDistinct(int[] controls, int[] targets) {
        involvedMask(controls, targets);
    }

    private static int controlBase(int[] controls, int controlValues) {
        int base = 0;
        for (int j = 0; j < controls.length; j++) {
            base |= ((controlValues >>> j) & 1) << controls[j];
        }
        return base;
    }

    /** Offset of member j of a group: bit b of j placed at {@code targets[b]} (in a reused array). */
    private int[] offsets(int[] targets) {
        int dim = 1 << targets.length;
        if (offsets.length < dim) {
            offsets = new int[dim];
        }
        int[] off = offsets;
        for (int j = 0; j < dim; j++) {
            int o = 0;
            for (int b = 0; b < targets.length; b++) {
                o |= ((j >>> b) & 1) << targets[b];
            }
            off[j] = o;
        }
        return off;
    }

    private void checkQubit(int qubit) {
        if (qubit < 0 || qubit >= numQubits) {
            throw new IllegalArgumentException("qubit " + qubit + " is out of range for a " + numQubits
                    + "-qubit state");
        }
    }
}
