package dev.qfed.emulator.state;

import jdk.incubator.vector.DoubleVector; //@float-only
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators; //@float-only
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels through the Vector API: one block (real lanes, then imaginary lanes) is two vectors of the preferred
 * species, so every kernel works on whole registers with no de-interleaving.
 *
 * <p>Paths: DENSE runs the unrolled kernels of {@link VectorFloatDenseKernels}; DIAGONAL multiplies each block by
 * its row's lane coefficients in place; GENERAL copies the inputs of a base to a small scratch array (applying the
 * XOR lane permutations low targets need), then forms each output row as a sum of terms, skipping zero ones.
 * Complex products are four fused multiply-adds with the negated imaginary coefficient precomputed; coefficients
 * are read from integer arrays (see {@link FloatKernels.Coefficients}).
 *
 * <p>Only this class (and {@link VectorProbe}) mention {@code jdk.incubator.vector}: {@link KernelSelector} loads
 * it only when the module is present.
 */
final class VectorFloatKernels implements FloatKernels {

    static final VectorFloatKernels INSTANCE = new VectorFloatKernels();

    private static final VectorSpecies<Float> SP = FloatVector.SPECIES_PREFERRED;
    private static final int S = SP.length();
    private static final int LOG_S = Integer.numberOfTrailingZeros(S);
    private static final int BLOCK = 2 * S;
    private static final VectorSpecies<Double> WIDE = DoubleVector.SPECIES_PREFERRED; //@float-only
    private static final VectorSpecies<Integer> BITS = IntVector.SPECIES_PREFERRED;
    private static final VectorShuffle<Float>[] XOR = xorShuffles();

    private VectorFloatKernels() {
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] xorShuffles() {
        VectorShuffle<Float>[] out = new VectorShuffle[S];
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
    public void apply(GatePlan plan, Coefficients c, float[][] chunks, long from, long to) {
        switch (plan.kind()) {
            case DENSE -> VectorFloatDenseKernels.apply(plan, c.reBits(), c.imBits(), chunks, from, to);
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
    void applyGeneral(GatePlan plan, Coefficients c, float[][] chunks, long from, long to) {
        if (plan.laneCoefficients()) {
            generalLanes(plan, c.termReBits(), c.termImBits(), c.termNegImBits(), chunks, from, to);
        } else {
            generalUniform(plan, c.termReBits(), c.termImBits(), c.termNegImBits(), chunks, from, to);
        }
    }

    private static void diagonal(GatePlan p, Coefficients c, float[][] chunks, long from, long to) {
        int[] reBits = c.reBits();
        int[] imBits = c.imBits();
        int[] niBits = c.negImBits();
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
                float[] a = chunks[chunk | tc[row]];
                int o = base + tof[row];
                FloatVector cr = IntVector.fromArray(BITS, reBits, row * S).reinterpretAsFloats();
                FloatVector ci = IntVector.fromArray(BITS, imBits, row * S).reinterpretAsFloats();
                FloatVector cn = IntVector.fromArray(BITS, niBits, row * S).reinterpretAsFloats();
                for (int r = 0; r < n; r += BLOCK) {
                    FloatVector xr = FloatVector.fromArray(SP, a, o + r);
                    FloatVector xi = FloatVector.fromArray(SP, a, o + r + S);
                    xi.fma(cn, xr.mul(cr)).intoArray(a, o + r);
                    xr.fma(ci, xi.mul(cr)).intoArray(a, o + r + S);
                }
            }
            t = end;
        }
    }

    private static void generalUniform(GatePlan p, int[] reBits, int[] imBits, int[] niBits, float[][] chunks,
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
        float[][] arr = new float[rows][];
        int[] off = new int[rows];
        float[] scratch = new float[slots * BLOCK];
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
                    float[] src = arr[a];
                    int o = off[a] + r;
                    FloatVector.fromArray(SP, src, o).intoArray(scratch, s * BLOCK);
                    FloatVector.fromArray(SP, src, o + S).intoArray(scratch, s * BLOCK + S);
                }
                for (int row = 0; row < rows; row++) {
                    int e = rowStart[row];
                    int e1 = rowStart[row + 1];
                    float[] dst = arr[row];
                    int o = off[row] + r;
                    if (rowMove[row]) {
                        int so = termSlot[e] * BLOCK;
                        FloatVector.fromArray(SP, scratch, so).intoArray(dst, o);
                        FloatVector.fromArray(SP, scratch, so + S).intoArray(dst, o + S);
                        continue;
                    }
                    FloatVector accR = FloatVector.zero(SP);
                    FloatVector accI = FloatVector.zero(SP);
                    for (; e < e1; e++) {
                        int so = termSlot[e] * BLOCK;
                        FloatVector vr = FloatVector.fromArray(SP, scratch, so);
                        FloatVector vi = FloatVector.fromArray(SP, scratch, so + S);
                        FloatVector mr = IntVector.broadcast(BITS, reBits[e]).reinterpretAsFloats();
                        accR = vr.fma(mr, accR);
                        accR = vi.fma(IntVector.broadcast(BITS, niBits[e]).reinterpretAsFloats(), accR);
                        accI = vi.fma(mr, accI);
                        accI = vr.fma(IntVector.broadcast(BITS, imBits[e]).reinterpretAsFloats(), accI);
                    }
                    accR.intoArray(dst, o);
                    accI.intoArray(dst, o + S);
                }
            }
            t = end;
        }
    }

    private static void generalLanes(GatePlan p, int[] reBits, int[] imBits, int[] niBits, float[][] chunks,
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
        float[][] arr = new float[rows][];
        int[] off = new int[rows];
        float[] scratch = new float[slots * BLOCK];
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
                    float[] src = arr[a];
                    int o = off[a] + r;
                    FloatVector vr = FloatVector.fromArray(SP, src, o);
                    FloatVector vi = FloatVector.fromArray(SP, src, o + S);
                    int x = slotXor[s];
                    if (x != 0) {
                        VectorShuffle<Float> sh = XOR[x];
                        vr = vr.rearrange(sh);
                        vi = vi.rearrange(sh);
                    }
                    vr.intoArray(scratch, s * BLOCK);
                    vi.intoArray(scratch, s * BLOCK + S);
                }
                for (int row = 0; row < rows; row++) {
                    int e = rowStart[row];
                    int e1 = rowStart[row + 1];
                    float[] dst = arr[row];
                    int o = off[row] + r;
                    if (rowMove[row]) {
                        int so = termSlot[e] * BLOCK;
                        FloatVector.fromArray(SP, scratch, so).intoArray(dst, o);
                        FloatVector.fromArray(SP, scratch, so + S).intoArray(dst, o + S);
                        continue;
                    }
                    FloatVector accR = FloatVector.zero(SP);
                    FloatVector accI = FloatVector.zero(SP);
                    for (; e < e1; e++) {
                        int so = termSlot[e] * BLOCK;
                        int co = e * S;
                        FloatVector vr = FloatVector.fromArray(SP, scratch, so);
                        FloatVector vi = FloatVector.fromArray(SP, scratch, so + S);
                        FloatVector mr = IntVector.fromArray(BITS, reBits, co).reinterpretAsFloats();
                        accR = vr.fma(mr, accR);
                        accR = vi.fma(IntVector.fromArray(BITS, niBits, co).reinterpretAsFloats(), accR);
                        accI = vi.fma(mr, accI);
                        accI = vr.fma(IntVector.fromArray(BITS, imBits, co).reinterpretAsFloats(), accI);
                    }
                    accR.intoArray(dst, o);
                    accI.intoArray(dst, o + S);
                }
            }
            t = end;
        }
    }

    @Override
    public double sumSquares(float[] chunk, int element, int blocks, float[] laneWeights) {
        FloatVector w = FloatVector.fromArray(SP, laneWeights, 0);
        DoubleVector acc0 = DoubleVector.zero(WIDE); //@float-only
        DoubleVector acc1 = DoubleVector.zero(WIDE); //@float-only
        //@double-only DoubleVector acc0 = DoubleVector.zero(SP);
        int end = element + blocks * BLOCK;
        for (int o = element; o < end; o += BLOCK) {
            FloatVector xr = FloatVector.fromArray(SP, chunk, o);
            FloatVector xi = FloatVector.fromArray(SP, chunk, o + S);
            FloatVector sq = xr.fma(xr, xi.mul(xi)).mul(w);
            acc0 = acc0.add(sq.convertShape(VectorOperators.F2D, WIDE, 0)); //@float-only
            acc1 = acc1.add(sq.convertShape(VectorOperators.F2D, WIDE, 1)); //@float-only
            //@double-only acc0 = acc0.add(sq);
        }
        // lane sums in a fixed order: reduceLanes leaves the order of its additions unspecified
        double[] lanes = new double[S];
        acc0.intoArray(lanes, 0);
        acc1.intoArray(lanes, S / 2); //@float-only
        double sum = 0;
        for (double v : lanes) {
            sum += v;
        }
        return sum;
    }
}
