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

    static final boolean DENSE_LOOP = Boolean.getBoolean("qfed.denseLoop");

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
            case DENSE -> {
                if (DENSE_LOOP) {
                    denseLoop(plan, c.reBits(), c.imBits(), chunks, from, to);
                } else {
                    VectorFloatDenseKernels.apply(plan, c.reBits(), c.imBits(), chunks, from, to);
                }
            }
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

    /** The general path for any plan (tests compare it with the specialised ones). */
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
        long runMask = (1L << p.runLog()) - 1;
        for (long t = from; t < to; ) {
            long end = Math.min(to, (t | runMask) + 1);
            long g = GatePlan.expand(t, masks) | ctrl;
            int chunk = (int) (g >>> shift);
            int base = (int) ((g & cmask) << (LOG_S + 1));
            int n = (int) (end - t) * BLOCK;
            for (int row = 0; row < rows; row++) {
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

    /**
     * Dense gates of any shape in one loop-based method: per base, the inputs (blocks, XOR-permuted for low
     * targets) go to a scratch array with their imaginary parts also negated; then each pair of output rows sums
     * its terms with eight accumulators in flight. Two rows per pass over the inputs halve the input loads.
     */
    static void denseLoop(GatePlan p, int[] reBits, int[] imBits, float[][] chunks, long from, long to) {
        int rows = p.rows();
        int l = p.lowTargets();
        int patterns = 1 << l;
        int inputs = rows << l;
        int[] px = p.patternXor();
        long[] masks = p.expandMasks();
        long ctrl = p.controlBits();
        int shift = p.chunkShift();
        long cmask = p.chunkBlockMask();
        int[] tc = p.termChunk();
        int[] tof = p.termOffset();
        long runMask = (1L << p.runLog()) - 1;
        float[][] arr = new float[rows][];
        int[] off = new int[rows];
        float[] in = new float[inputs * 3 * S];
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
                for (int a = 0; a < rows; a++) {
                    FloatVector br = FloatVector.fromArray(SP, arr[a], off[a] + r);
                    FloatVector bi = FloatVector.fromArray(SP, arr[a], off[a] + r + S);
                    for (int xp = 0; xp < patterns; xp++) {
                        FloatVector vr = br;
                        FloatVector vi = bi;
                        if (xp != 0) {
                            VectorShuffle<Float> sh = XOR[px[xp]];
                            vr = br.rearrange(sh);
                            vi = bi.rearrange(sh);
                        }
                        int at = ((a << l) | xp) * 3 * S;
                        vr.intoArray(in, at);
                        vi.intoArray(in, at + S);
                        vi.neg().intoArray(in, at + 2 * S);
                    }
                }
                for (int row = 0; row < rows; row += 2) {
                    int row1 = Math.min(row + 1, rows - 1); // a lone last row is computed twice, harmlessly
                    int c0 = row * inputs * S;
                    int c1 = row1 * inputs * S;
                    FloatVector ar0 = FloatVector.zero(SP);
                    FloatVector ar0n = ar0;
                    FloatVector ai0 = ar0;
                    FloatVector ai0n = ar0;
                    FloatVector ar1 = ar0;
                    FloatVector ar1n = ar0;
                    FloatVector ai1 = ar0;
                    FloatVector ai1n = ar0;
                    for (int i = 0; i < inputs; i++) {
                        int at = i * 3 * S;
                        FloatVector vr = FloatVector.fromArray(SP, in, at);
                        FloatVector vi = FloatVector.fromArray(SP, in, at + S);
                        FloatVector vn = FloatVector.fromArray(SP, in, at + 2 * S);
                        FloatVector m0 = IntVector.fromArray(BITS, reBits, c0 + i * S).reinterpretAsFloats();
                        FloatVector k0 = IntVector.fromArray(BITS, imBits, c0 + i * S).reinterpretAsFloats();
                        FloatVector m1 = IntVector.fromArray(BITS, reBits, c1 + i * S).reinterpretAsFloats();
                        FloatVector k1 = IntVector.fromArray(BITS, imBits, c1 + i * S).reinterpretAsFloats();
                        ar0 = vr.fma(m0, ar0);
                        ar0n = vn.fma(k0, ar0n);
                        ai0 = vi.fma(m0, ai0);
                        ai0n = vr.fma(k0, ai0n);
                        ar1 = vr.fma(m1, ar1);
                        ar1n = vn.fma(k1, ar1n);
                        ai1 = vi.fma(m1, ai1);
                        ai1n = vr.fma(k1, ai1n);
                    }
                    ar0.add(ar0n).intoArray(arr[row], off[row] + r);
                    ai0.add(ai0n).intoArray(arr[row], off[row] + r + S);
                    ar1.add(ar1n).intoArray(arr[row1], off[row1] + r);
                    ai1.add(ai1n).intoArray(arr[row1], off[row1] + r + S);
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
