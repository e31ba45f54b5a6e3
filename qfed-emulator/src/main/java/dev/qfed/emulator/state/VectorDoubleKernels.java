// GENERATED from VectorFloatKernels.java by DoublePrecisionSourcesTest: edit that file, then run
// ./mvnw -q -pl qfed-emulator test -Dtest=DoublePrecisionSourcesTest -Dqfed.regenerate=true
package dev.qfed.emulator.state;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels through the Vector API: one block (real lanes, then imaginary lanes) is two vectors of the preferred
 * species, so every kernel works on whole registers with no de-interleaving.
 *
 * <p>Paths: DENSE runs the unrolled kernels of {@link VectorDoubleDenseKernels}; DIAGONAL multiplies each block by
 * its row's lane coefficients in place; GENERAL copies the inputs of a base to a small scratch array (applying the
 * XOR lane permutations low targets need), then forms each output row as a sum of terms, skipping zero ones.
 * Complex products are four fused multiply-adds with the negated imaginary coefficient precomputed; coefficients
 * are read from integer arrays (see {@link DoubleKernels.Coefficients}).
 *
 * <p>Only this class (and {@link VectorProbe}) mention {@code jdk.incubator.vector}: {@link KernelSelector} loads
 * it only when the module is present.
 */
final class VectorDoubleKernels implements DoubleKernels {

    static final VectorDoubleKernels INSTANCE = new VectorDoubleKernels();

    private static final VectorSpecies<Double> SP = DoubleVector.SPECIES_PREFERRED;
    private static final int S = SP.length();
    private static final int LOG_S = Integer.numberOfTrailingZeros(S);
    private static final int BLOCK = 2 * S;
    private static final VectorSpecies<Long> BITS = LongVector.SPECIES_PREFERRED;
    private static final VectorShuffle<Double>[] XOR = xorShuffles();

    private VectorDoubleKernels() {
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Double>[] xorShuffles() {
        VectorShuffle<Double>[] out = new VectorShuffle[S];
        for (int x = 0; x < S; x++) {
            int mask = x;
            out[x] = VectorShuffle.fromOp(SP, i -> i ^ mask);
        }
        return out;
    }

    @Override
    public int lanes() {
        return S;
    }

    @Override
    public void apply(GatePlan plan, Coefficients c, double[][] chunks, long from, long to) {
        switch (plan.kind()) {
            case DENSE -> VectorDoubleDenseKernels.apply(plan, c.reBits(), c.imBits(), chunks, from, to);
            case DIAGONAL -> diagonal(plan, c, chunks, from, to);
            case GENERAL -> {
                if (plan.laneCoefficients()) {
                    generalLanes(plan, c.termReBits(), c.termImBits(), c.termNegImBits(), chunks, from, to);
                } else {
                    generalUniform(plan, c.termReBits(), c.termImBits(), c.termNegImBits(), chunks, from, to);
                }
            }
        }
    }

    /** The general path, which handles any plan (tests compare it with the specialised ones). */
    void applyGeneral(GatePlan plan, Coefficients c, double[][] chunks, long from, long to) {
        if (plan.laneCoefficients()) {
            generalLanes(plan, c.termReBits(), c.termImBits(), c.termNegImBits(), chunks, from, to);
        } else {
            generalUniform(plan, c.termReBits(), c.termImBits(), c.termNegImBits(), chunks, from, to);
        }
    }

    private static void diagonal(GatePlan p, Coefficients c, double[][] chunks, long from, long to) {
        long[] reBits = c.reBits();
        long[] imBits = c.imBits();
        long[] niBits = c.negImBits();
        int rows = p.rows();
        long[] masks = p.expandMasks();
        long ctrl = p.controlBits();
        int shift = p.chunkShift();
        long cmask = p.chunkBlockMask();
        int[] tc = p.termChunk();
        int[] tof = p.termOffset();
        boolean[] identity = p.rowMove(); // a diagonal row moved onto itself unchanged
        long runMask = (1L << p.runLog()) - 1;
        for (long t = from; t < to; ) {
            long end = Math.min(to, (t | runMask) + 1);
            long g = GatePlan.expand(t, masks) | ctrl;
            int chunk = (int) (g >>> shift);
            int base = (int) ((g & cmask) << (LOG_S + 1));
            int n = (int) (end - t) * BLOCK;
            for (int row = 0; row < rows; row++) {
                if (identity[row]) {
                    continue; // e.g. most rows of a group of CZs: no memory traffic for them
                }
                double[] a = chunks[chunk | tc[row]];
                int o = base + tof[row];
                DoubleVector cr = LongVector.fromArray(BITS, reBits, row * S).reinterpretAsDoubles();
                DoubleVector ci = LongVector.fromArray(BITS, imBits, row * S).reinterpretAsDoubles();
                DoubleVector cn = LongVector.fromArray(BITS, niBits, row * S).reinterpretAsDoubles();
                for (int r = 0; r < n; r += BLOCK) {
                    DoubleVector xr = DoubleVector.fromArray(SP, a, o + r);
                    DoubleVector xi = DoubleVector.fromArray(SP, a, o + r + S);
                    xi.fma(cn, xr.mul(cr)).intoArray(a, o + r);
                    xr.fma(ci, xi.mul(cr)).intoArray(a, o + r + S);
                }
            }
            t = end;
        }
    }

    private static void generalUniform(GatePlan p, long[] reBits, long[] imBits, long[] niBits, double[][] chunks,
                                       long from, long to) {
        int rows = p.rows();
        int slots = p.numSlots();
        int[] slotSource = p.slotSource();
        int[] rowStart = p.rowStart();
        int[] termSlot = p.termSlot();
        boolean[] rowMove = p.rowMove();
        long[] masks = p.expandMasks();
        long ctrl = p.controlBits();
        int shift = p.chunkShift();
        long cmask = p.chunkBlockMask();
        int[] tc = p.termChunk();
        int[] tof = p.termOffset();
        long runMask = (1L << p.runLog()) - 1;
        double[][] arr = new double[rows][];
        int[] off = new int[rows];
        double[] scratch = new double[slots * BLOCK];
        for (long t = from; t < to; ) {
            long end = Math.min(to, (t | runMask) + 1);
            long g = GatePlan.expand(t, masks) | ctrl;
            int chunk = (int) (g >>> shift);
            int base = (int) ((g & cmask) << (LOG_S + 1));
            for (int a = 0; a < rows; a++) {
                arr[a] = chunks[chunk | tc[a]];
                off[a] = base + tof[a];
            }
            int n = (int) (end - t) * BLOCK;
            for (int r = 0; r < n; r += BLOCK) {
                for (int s = 0; s < slots; s++) {
                    int a = slotSource[s];
                    double[] src = arr[a];
                    int o = off[a] + r;
                    DoubleVector.fromArray(SP, src, o).intoArray(scratch, s * BLOCK);
                    DoubleVector.fromArray(SP, src, o + S).intoArray(scratch, s * BLOCK + S);
                }
                for (int row = 0; row < rows; row++) {
                    int e = rowStart[row];
                    int e1 = rowStart[row + 1];
                    double[] dst = arr[row];
                    int o = off[row] + r;
                    if (rowMove[row]) {
                        int so = termSlot[e] * BLOCK;
                        DoubleVector.fromArray(SP, scratch, so).intoArray(dst, o);
                        DoubleVector.fromArray(SP, scratch, so + S).intoArray(dst, o + S);
                        continue;
                    }
                    DoubleVector accR = DoubleVector.zero(SP);
                    DoubleVector accI = DoubleVector.zero(SP);
                    for (; e < e1; e++) {
                        int so = termSlot[e] * BLOCK;
                        DoubleVector vr = DoubleVector.fromArray(SP, scratch, so);
                        DoubleVector vi = DoubleVector.fromArray(SP, scratch, so + S);
                        DoubleVector mr = LongVector.broadcast(BITS, reBits[e]).reinterpretAsDoubles();
                        accR = vr.fma(mr, accR);
                        accR = vi.fma(LongVector.broadcast(BITS, niBits[e]).reinterpretAsDoubles(), accR);
                        accI = vi.fma(mr, accI);
                        accI = vr.fma(LongVector.broadcast(BITS, imBits[e]).reinterpretAsDoubles(), accI);
                    }
                    accR.intoArray(dst, o);
                    accI.intoArray(dst, o + S);
                }
            }
            t = end;
        }
    }

    private static void generalLanes(GatePlan p, long[] reBits, long[] imBits, long[] niBits, double[][] chunks,
                                     long from, long to) {
        int rows = p.rows();
        int slots = p.numSlots();
        int[] slotSource = p.slotSource();
        int[] slotXor = p.slotXor();
        int[] rowStart = p.rowStart();
        int[] termSlot = p.termSlot();
        boolean[] rowMove = p.rowMove();
        long[] masks = p.expandMasks();
        long ctrl = p.controlBits();
        int shift = p.chunkShift();
        long cmask = p.chunkBlockMask();
        int[] tc = p.termChunk();
        int[] tof = p.termOffset();
        long runMask = (1L << p.runLog()) - 1;
        double[][] arr = new double[rows][];
        int[] off = new int[rows];
        double[] scratch = new double[slots * BLOCK];
        for (long t = from; t < to; ) {
            long end = Math.min(to, (t | runMask) + 1);
            long g = GatePlan.expand(t, masks) | ctrl;
            int chunk = (int) (g >>> shift);
            int base = (int) ((g & cmask) << (LOG_S + 1));
            for (int a = 0; a < rows; a++) {
                arr[a] = chunks[chunk | tc[a]];
                off[a] = base + tof[a];
            }
            int n = (int) (end - t) * BLOCK;
            for (int r = 0; r < n; r += BLOCK) {
                for (int s = 0; s < slots; s++) {
                    int a = slotSource[s];
                    double[] src = arr[a];
                    int o = off[a] + r;
                    DoubleVector vr = DoubleVector.fromArray(SP, src, o);
                    DoubleVector vi = DoubleVector.fromArray(SP, src, o + S);
                    int x = slotXor[s];
                    if (x != 0) {
                        VectorShuffle<Double> sh = XOR[x];
                        vr = vr.rearrange(sh);
                        vi = vi.rearrange(sh);
                    }
                    vr.intoArray(scratch, s * BLOCK);
                    vi.intoArray(scratch, s * BLOCK + S);
                }
                for (int row = 0; row < rows; row++) {
                    int e = rowStart[row];
                    int e1 = rowStart[row + 1];
                    double[] dst = arr[row];
                    int o = off[row] + r;
                    if (rowMove[row]) {
                        int so = termSlot[e] * BLOCK;
                        DoubleVector.fromArray(SP, scratch, so).intoArray(dst, o);
                        DoubleVector.fromArray(SP, scratch, so + S).intoArray(dst, o + S);
                        continue;
                    }
                    DoubleVector accR = DoubleVector.zero(SP);
                    DoubleVector accI = DoubleVector.zero(SP);
                    for (; e < e1; e++) {
                        int so = termSlot[e] * BLOCK;
                        int co = e * S;
                        DoubleVector vr = DoubleVector.fromArray(SP, scratch, so);
                        DoubleVector vi = DoubleVector.fromArray(SP, scratch, so + S);
                        DoubleVector mr = LongVector.fromArray(BITS, reBits, co).reinterpretAsDoubles();
                        accR = vr.fma(mr, accR);
                        accR = vi.fma(LongVector.fromArray(BITS, niBits, co).reinterpretAsDoubles(), accR);
                        accI = vi.fma(mr, accI);
                        accI = vr.fma(LongVector.fromArray(BITS, imBits, co).reinterpretAsDoubles(), accI);
                    }
                    accR.intoArray(dst, o);
                    accI.intoArray(dst, o + S);
                }
            }
            t = end;
        }
    }

    @Override
    public double sumSquares(double[] chunk, int element, int blocks, double[] laneWeights) {
        DoubleVector w = DoubleVector.fromArray(SP, laneWeights, 0);
        DoubleVector acc0 = DoubleVector.zero(SP);
        int end = element + blocks * BLOCK;
        for (int o = element; o < end; o += BLOCK) {
            DoubleVector xr = DoubleVector.fromArray(SP, chunk, o);
            DoubleVector xi = DoubleVector.fromArray(SP, chunk, o + S);
            DoubleVector sq = xr.fma(xr, xi.mul(xi)).mul(w);
            acc0 = acc0.add(sq);
        }
        // lane sums in a fixed order: reduceLanes leaves the order of its additions unspecified
        double[] lanes = new double[S];
        acc0.intoArray(lanes, 0);
        double sum = 0;
        for (double v : lanes) {
            sum += v;
        }
        return sum;
    }
}
