package dev.qfed.emulator.state;

import java.util.Arrays;

/**
 * The reference double-precision state vector: one interleaved {@code double[]} (re, im, re, im, …).
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>Size.</b> A Java array holds at most 2^31 − 3 elements (HotSpot), so one array of doubles holds at most
 *       2^30 doubles = 2^29 amplitudes: {@value #MAX_QUBITS} qubits, 8 GiB. Larger states need a chunked layout
 *       (or single precision in chunks), which this class does not have.</li>
 *   <li><b>Gate kernels.</b> A gate on k targets with c controls splits the index space into 2^(n−k−c) groups:
 *       the group number with a zero bit inserted at every involved qubit (ascending) is the group's base index,
 *       the control values are OR-ed in, and the 2^k target offsets address its members. Each group is gathered
 *       into a per-thread scratch array, multiplied, and written back; one-target gates skip the scratch. There is
 *       no allocation per amplitude or per group.</li>
 *   <li><b>Threads.</b> Work is cut into equal ranges run on a pool of {@code threads} workers. Element-wise kernels
 *       give the same bits whichever thread runs a range; reductions (norm, probabilities, sampling) first sum each
 *       fixed block of 2^{@value #BLOCK_BITS} amplitudes in index order, then add the block sums in block order —
 *       so every result is bit-identical at any thread count.</li>
 * </ul>
 */
public final class ArrayStateVector implements StateVector {
    /** The largest state one {@code double[]} can hold: 2^29 amplitudes = 2^30 doubles. */
    public static final int MAX_QUBITS = 29;
    /** log2 of the amplitudes in one reduction block; fixed so that sums do not depend on the thread count. */
    static final int BLOCK_BITS = 12;
    /** States below 2^14 amplitudes run on the calling thread: handing work to a pool costs more than it saves. */
    private static final int SERIAL_BITS = 14;
    private static final int MAX_ARRAY_QUBITS = 26;
    private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[64]);

    private final int numQubits;
    private final int size;
    private final double[] amps;
    private final Parallel parallel;

    /** |0…0⟩ on {@code numQubits} qubits, with kernels running on {@code threads} threads. */
    public ArrayStateVector(int numQubits, int threads) {
        this(numQubits, Parallel.of(threads), allocate(numQubits));
        amps[0] = 1;
    }

    private ArrayStateVector(int numQubits, Parallel parallel, double[] amps) {
        this.numQubits = numQubits;
        this.size = 1 << numQubits;
        this.amps = amps;
        this.parallel = parallel;
    }

    /** A state with the given interleaved amplitudes (copied; not normalised). */
    public static ArrayStateVector of(int numQubits, double[] amplitudes, int threads) {
        double[] a = allocate(numQubits);
        if (amplitudes.length != a.length) {
            throw new IllegalArgumentException(numQubits + " qubits need " + a.length + " doubles, got "
                    + amplitudes.length);
        }
        System.arraycopy(amplitudes, 0, a, 0, a.length);
        return new ArrayStateVector(numQubits, Parallel.of(threads), a);
    }

    private static double[] allocate(int numQubits) {
        if (numQubits < 0 || numQubits > MAX_QUBITS) {
            throw new IllegalArgumentException("a double-precision array state holds 0 to " + MAX_QUBITS
                    + " qubits (a Java array has fewer than 2^31 elements), got " + numQubits);
        }
        return new double[2 << numQubits];
    }

    @Override
    public int numQubits() {
        return numQubits;
    }

    @Override
    public Precision precision() {
        return Precision.DOUBLE;
    }

    /** The number of threads the kernels use. */
    public int threads() {
        return parallel.threads();
    }

    @Override
    public void setZero() {
        forEachRange(size, (lo, hi) -> Arrays.fill(amps, 2 * lo, 2 * hi, 0.0));
        amps[0] = 1;
    }

    // ---------------------------------------------------------------------------------------------- gate kernels

    @Override
    public void apply(int[] controls, int controlValues, int[] targets, double[] matrix) {
        int dim = 1 << targets.length;
        if (matrix.length != 2 * dim * dim) {
            throw new IllegalArgumentException("a matrix on " + targets.length + " target(s) has " + 2 * dim * dim
                    + " doubles, got " + matrix.length);
        }
        int[] involved = involvedQubits(controls, targets);
        int base = controlMask(controls, controlValues);
        int groups = size >>> involved.length;
        if (targets.length == 1) {
            apply1(involved, base, 1 << targets[0], matrix, groups);
        } else {
            applyK(involved, base, offsets(targets), matrix, groups);
        }
    }

    private void apply1(int[] involved, int ctrlBase, int stride, double[] m, int groups) {
        double m00r = m[0], m00i = m[1], m01r = m[2], m01i = m[3];
        double m10r = m[4], m10i = m[5], m11r = m[6], m11i = m[7];
        double[] a = amps;
        forEachRange(groups, (lo, hi) -> {
            for (int g = lo; g < hi; g++) {
                int i0 = 2 * (insertZeros(g, involved) | ctrlBase);
                int i1 = i0 + 2 * stride;
                double ar = a[i0], ai = a[i0 + 1], br = a[i1], bi = a[i1 + 1];
                a[i0] = m00r * ar - m00i * ai + m01r * br - m01i * bi;
                a[i0 + 1] = m00r * ai + m00i * ar + m01r * bi + m01i * br;
                a[i1] = m10r * ar - m10i * ai + m11r * br - m11i * bi;
                a[i1 + 1] = m10r * ai + m10i * ar + m11r * bi + m11i * br;
            }
        });
    }

    private void applyK(int[] involved, int ctrlBase, int[] offsets, double[] m, int groups) {
        int dim = offsets.length;
        double[] a = amps;
        forEachRange(groups, (lo, hi) -> {
            double[] in = scratch(2 * dim);
            for (int g = lo; g < hi; g++) {
                int base = insertZeros(g, involved) | ctrlBase;
                for (int c = 0; c < dim; c++) {
                    int idx = 2 * (base + offsets[c]);
                    in[2 * c] = a[idx];
                    in[2 * c + 1] = a[idx + 1];
                }
                for (int r = 0; r < dim; r++) {
                    int row = 2 * r * dim;
                    double sr = 0;
                    double si = 0;
                    for (int c = 0; c < dim; c++) {
                        double mr = m[row + 2 * c];
                        double mi = m[row + 2 * c + 1];
                        double xr = in[2 * c];
                        double xi = in[2 * c + 1];
                        sr += mr * xr - mi * xi;
                        si += mr * xi + mi * xr;
                    }
                    int idx = 2 * (base + offsets[r]);
                    a[idx] = sr;
                    a[idx + 1] = si;
                }
            }
        });
    }

    @Override
    public void applyDiagonal(int[] controls, int controlValues, int[] targets, double[] diagonal) {
        int dim = 1 << targets.length;
        if (diagonal.length != 2 * dim) {
            throw new IllegalArgumentException("a diagonal on " + targets.length + " target(s) has " + 2 * dim
                    + " doubles, got " + diagonal.length);
        }
        int[] involved = involvedQubits(controls, targets);
        int ctrlBase = controlMask(controls, controlValues);
        int[] offsets = offsets(targets);
        double[] a = amps;
        forEachRange(size >>> involved.length, (lo, hi) -> {
            for (int g = lo; g < hi; g++) {
                int base = insertZeros(g, involved) | ctrlBase;
                for (int j = 0; j < dim; j++) {
                    int idx = 2 * (base + offsets[j]);
                    double dr = diagonal[2 * j];
                    double di = diagonal[2 * j + 1];
                    double xr = a[idx];
                    double xi = a[idx + 1];
                    a[idx] = dr * xr - di * xi;
                    a[idx + 1] = dr * xi + di * xr;
                }
            }
        });
    }

    @Override
    public void applyGlobalPhase(double phase) {
        double c = Math.cos(phase);
        double s = Math.sin(phase);
        double[] a = amps;
        forEachRange(size, (lo, hi) -> {
            for (int i = 2 * lo; i < 2 * hi; i += 2) {
                double xr = a[i];
                double xi = a[i + 1];
                a[i] = c * xr - s * xi;
                a[i + 1] = c * xi + s * xr;
            }
        });
    }

    // ------------------------------------------------------------------------------------------------ reductions

    @Override
    public double probabilityOfOne(int qubit) {
        checkQubit(qubit);
        int stride = 1 << qubit;
        double[] a = amps;
        return reduce((lo, hi) -> {
            double s = 0;
            if ((hi - lo) <= stride) { // the whole block lies on one side of the qubit
                if ((lo & stride) != 0) {
                    for (int i = 2 * lo; i < 2 * hi; i += 2) {
                        s += a[i] * a[i] + a[i + 1] * a[i + 1];
                    }
                }
                return s;
            }
            for (int start = lo + stride; start < hi; start += 2 * stride) {
                for (int i = 2 * start; i < 2 * (start + stride); i += 2) {
                    s += a[i] * a[i] + a[i + 1] * a[i + 1];
                }
            }
            return s;
        });
    }

    @Override
    public void collapse(int qubit, int outcome, double probability) {
        checkQubit(qubit);
        if (outcome != 0 && outcome != 1) {
            throw new IllegalArgumentException("outcome must be 0 or 1, got " + outcome);
        }
        if (!(probability > 0) || probability > 1 + 1e-9) {
            throw new IllegalArgumentException("cannot collapse onto an outcome of probability " + probability);
        }
        double scale = 1 / Math.sqrt(probability);
        int stride = 1 << qubit;
        int keep = outcome == 1 ? stride : 0;
        double[] a = amps;
        forEachRange(size, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                if ((i & stride) == keep) {
                    a[2 * i] *= scale;
                    a[2 * i + 1] *= scale;
                } else {
                    a[2 * i] = 0;
                    a[2 * i + 1] = 0;
                }
            }
        });
    }

    @Override
    public double normSquared() {
        double[] a = amps;
        return reduce((lo, hi) -> {
            double s = 0;
            for (int i = 2 * lo; i < 2 * hi; i += 2) {
                s += a[i] * a[i] + a[i + 1] * a[i + 1];
            }
            return s;
        });
    }

    @Override
    public double[] probabilities(int[] qubits) {
        int k = qubits.length;
        if (k > MAX_ARRAY_QUBITS) {
            throw new IllegalArgumentException("a marginal over " + k + " qubits has more than 2^"
                    + MAX_ARRAY_QUBITS + " entries; sample instead");
        }
        int[] sorted = involvedQubits(new int[0], qubits);
        int outcomes = 1 << k;
        int blockBits = Math.min(BLOCK_BITS, numQubits - k);
        int blockSize = 1 << blockBits;
        int blocksPerOutcome = (size >>> k) >>> blockBits;
        double[] partial = new double[outcomes * blocksPerOutcome];
        double[] a = amps;
        forEachRange(partial.length, (lo, hi) -> {
            for (int u = lo; u < hi; u++) {
                int x = u / blocksPerOutcome;
                int spread = 0;
                for (int j = 0; j < k; j++) {
                    spread |= ((x >>> j) & 1) << qubits[j];
                }
                int g0 = (u % blocksPerOutcome) * blockSize;
                double s = 0;
                for (int g = g0; g < g0 + blockSize; g++) {
                    int i = 2 * (insertZeros(g, sorted) | spread);
                    s += a[i] * a[i] + a[i + 1] * a[i + 1];
                }
                partial[u] = s;
            }
        });
        if (blocksPerOutcome == 1) {
            return partial;
        }
        double[] out = new double[outcomes];
        for (int x = 0; x < outcomes; x++) {
            double s = 0;
            for (int b = 0; b < blocksPerOutcome; b++) {
                s += partial[x * blocksPerOutcome + b];
            }
            out[x] = s;
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
        int blockBits = Math.min(BLOCK_BITS, numQubits);
        int blockSize = 1 << blockBits;
        int blocks = size >>> blockBits;
        double[] a = amps;
        // pass 1: block sums (fixed blocks, so the cumulative sums below do not depend on the thread count)
        double[] blockSum = new double[blocks];
        forEachRange(blocks, (lo, hi) -> {
            for (int b = lo; b < hi; b++) {
                double s = 0;
                for (int i = 2 * b * blockSize; i < 2 * (b + 1) * blockSize; i += 2) {
                    s += a[i] * a[i] + a[i + 1] * a[i + 1];
                }
                blockSum[b] = s;
            }
        });
        double[] start = new double[blocks + 1];
        int lastNonEmpty = -1;
        for (int b = 0; b < blocks; b++) {
            start[b + 1] = start[b] + blockSum[b];
            if (blockSum[b] > 0) {
                lastNonEmpty = b;
            }
        }
        if (lastNonEmpty < 0) {
            throw new IllegalStateException("cannot sample from a state of norm zero");
        }
        double total = start[blocks];
        // which uniforms fall into which block; targets past the total (rounding) go to the last non-empty block
        int[] firstUniform = new int[blocks + 1];
        int b = 0;
        for (int j = 0; j < m; j++) {
            double u = sortedUniforms[j];
            if (j > 0 && u < sortedUniforms[j - 1] || !(u >= 0 && u < 1)) {
                throw new IllegalArgumentException("uniforms must be ascending numbers in [0, 1); entry " + j
                        + " is " + u);
            }
            double t = u * total;
            while (b < lastNonEmpty && t >= start[b + 1]) {
                firstUniform[++b] = j;
            }
        }
        while (b < blocks) {
            firstUniform[++b] = m;
        }
        // pass 2: walk the blocks that received uniforms
        forEachRange(blocks, (lo, hi) -> {
            for (int blk = lo; blk < hi; blk++) {
                int j = firstUniform[blk];
                int end = firstUniform[blk + 1];
                if (j == end) {
                    continue;
                }
                double cumulative = start[blk];
                int last = -1;
                for (int i = blk * blockSize; i < (blk + 1) * blockSize && j < end; i++) {
                    double p = a[2 * i] * a[2 * i] + a[2 * i + 1] * a[2 * i + 1];
                    if (p == 0) {
                        continue;
                    }
                    cumulative += p;
                    last = i;
                    while (j < end && sortedUniforms[j] * total < cumulative) {
                        out[j++] = i;
                    }
                }
                if (j < end && last < 0) {
                    last = lastNonZeroIn(blk * blockSize, (blk + 1) * blockSize);
                }
                while (j < end) {
                    out[j++] = last;
                }
            }
        });
    }

    private int lastNonZeroIn(int lo, int hi) {
        for (int i = hi - 1; i >= lo; i--) {
            if (amps[2 * i] != 0 || amps[2 * i + 1] != 0) {
                return i;
            }
        }
        throw new IllegalStateException("block without amplitude received samples");
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
        if (numQubits > MAX_ARRAY_QUBITS) {
            throw new IllegalStateException("a " + numQubits + "-qubit state is too large to hand out as one array"
                    + " (limit " + MAX_ARRAY_QUBITS + " qubits)");
        }
        return amps.clone();
    }

    @Override
    public ArrayStateVector copy() {
        double[] a = new double[amps.length];
        forEachRange(size, (lo, hi) -> System.arraycopy(amps, 2 * lo, a, 2 * lo, 2 * (hi - lo)));
        return new ArrayStateVector(numQubits, parallel, a);
    }

    @Override
    public void copyFrom(StateVector other) {
        if (!(other instanceof ArrayStateVector o) || o.numQubits != numQubits) {
            throw new IllegalArgumentException("can only copy from a " + numQubits + "-qubit "
                    + ArrayStateVector.class.getSimpleName() + ", got " + other.numQubits() + " qubits in "
                    + other.getClass().getSimpleName());
        }
        if (o == this) {
            return;
        }
        forEachRange(size, (lo, hi) -> System.arraycopy(o.amps, 2 * lo, amps, 2 * lo, 2 * (hi - lo)));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    @FunctionalInterface
    private interface RangeBody {
        void run(int lo, int hi);
    }

    @FunctionalInterface
    private interface BlockSum {
        double sum(int lo, int hi);
    }

    /** Runs {@code body} over [0, count) cut into ranges, one range per task. */
    private void forEachRange(int count, RangeBody body) {
        int tasks = numQubits < SERIAL_BITS ? 1 : Math.min(count, 4 * parallel.threads());
        if (tasks <= 1) {
            body.run(0, count);
            return;
        }
        int chunk = (count + tasks - 1) / tasks;
        int used = (count + chunk - 1) / chunk;
        parallel.run(used, t -> body.run(t * chunk, Math.min(count, (t + 1) * chunk)));
    }

    /** Σ over fixed blocks of amplitudes of {@code f}, added in block order. */
    private double reduce(BlockSum f) {
        int blockBits = Math.min(BLOCK_BITS, numQubits);
        int blockSize = 1 << blockBits;
        int blocks = size >>> blockBits;
        if (blocks == 1) {
            return f.sum(0, size);
        }
        double[] partial = new double[blocks];
        forEachRange(blocks, (lo, hi) -> {
            for (int b = lo; b < hi; b++) {
                partial[b] = f.sum(b * blockSize, (b + 1) * blockSize);
            }
        });
        double total = 0;
        for (double p : partial) {
            total += p;
        }
        return total;
    }

    /** {@code g} with a zero bit inserted at each of the ascending positions {@code sorted}. */
    private static int insertZeros(int g, int[] sorted) {
        for (int q : sorted) {
            int low = g & ((1 << q) - 1);
            g = ((g >>> q) << (q + 1)) | low;
        }
        return g;
    }

    /** Offset of member j of a group: bit b of j placed at {@code targets[b]}. */
    private static int[] offsets(int[] targets) {
        int dim = 1 << targets.length;
        int[] offsets = new int[dim];
        for (int j = 0; j < dim; j++) {
            int off = 0;
            for (int b = 0; b < targets.length; b++) {
                off |= ((j >>> b) & 1) << targets[b];
            }
            offsets[j] = off;
        }
        return offsets;
    }

    private static int controlMask(int[] controls, int controlValues) {
        int mask = 0;
        for (int j = 0; j < controls.length; j++) {
            mask |= ((controlValues >>> j) & 1) << controls[j];
        }
        return mask;
    }

    /** Controls and targets, checked to be distinct qubits of this state, in ascending order. */
    private int[] involvedQubits(int[] controls, int[] targets) {
        int[] all = new int[controls.length + targets.length];
        System.arraycopy(controls, 0, all, 0, controls.length);
        System.arraycopy(targets, 0, all, controls.length, targets.length);
        Arrays.sort(all);
        for (int i = 0; i < all.length; i++) {
            checkQubit(all[i]);
            if (i > 0 && all[i] == all[i - 1]) {
                throw new IllegalArgumentException("qubit " + all[i] + " appears twice among controls "
                        + Arrays.toString(controls) + " and targets " + Arrays.toString(targets));
            }
        }
        return all;
    }

    private void checkQubit(int qubit) {
        if (qubit < 0 || qubit >= numQubits) {
            throw new IllegalArgumentException("qubit " + qubit + " is out of range for a " + numQubits
                    + "-qubit state");
        }
    }

    private static double[] scratch(int length) {
        double[] s = SCRATCH.get();
        if (s.length < length) {
            s = new double[length];
            SCRATCH.set(s);
        }
        return s;
    }
}
