package dev.qfed.emulator.state;

import jdk.incubator.vector.DoubleVector; //@float-only
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators; //@float-only
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels through the Vector API: one block (real lanes, then imaginary lanes) is two vectors of the preferred
 * species, so every kernel works on whole registers with no de-interleaving.
 *
 * <p>Paths: DENSE1 and DENSE2 keep the matrix in broadcast registers and stream the 2 or 4 blocks of each base;
 * DIAGONAL multiplies each block by its row's lane coefficients in place; GENERAL copies the inputs of a base to a
 * small scratch array (applying the XOR lane permutations low targets need), then forms each output row as a sum of
 * terms. Complex products are four fused multiply-adds with the negated imaginary coefficient precomputed.
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
            case DENSE1 -> dense1(plan, c, chunks, from, to);
            case DENSE2 -> dense2(plan, c, chunks, from, to);
            case DIAGONAL -> diagonal(plan, c, chunks, from, to);
            case GENERAL -> {
                if (plan.laneCoefficients()) {
                    generalLanes(plan, c.termRe(), c.termIm(), c.termNegIm(), chunks, from, to);
                } else {
                    generalUniform(plan, c.termRe(), c.termIm(), c.termNegIm(), chunks, from, to);
                }
            }
        }
    }

    /** The general path for any plan (tests compare it with the specialised ones). */
    void applyGeneral(GatePlan plan, Coefficients c, float[][] chunks, long from, long to) {
        if (plan.laneCoefficients()) {
            generalLanes(plan, c.termRe(), c.termIm(), c.termNegIm(), chunks, from, to);
        } else {
            generalUniform(plan, c.termRe(), c.termIm(), c.termNegIm(), chunks, from, to);
        }
    }

    private static void dense1(GatePlan p, Coefficients c, float[][] chunks, long from, long to) {
        float[] re = c.re();
        float[] im = c.im();
        float[] ni = c.negIm();
        FloatVector m00r = FloatVector.broadcast(SP, re[0]);
        FloatVector m00i = FloatVector.broadcast(SP, im[0]);
        FloatVector m00n = FloatVector.broadcast(SP, ni[0]);
        FloatVector m01r = FloatVector.broadcast(SP, re[1]);
        FloatVector m01i = FloatVector.broadcast(SP, im[1]);
        FloatVector m01n = FloatVector.broadcast(SP, ni[1]);
        FloatVector m10r = FloatVector.broadcast(SP, re[2]);
        FloatVector m10i = FloatVector.broadcast(SP, im[2]);
        FloatVector m10n = FloatVector.broadcast(SP, ni[2]);
        FloatVector m11r = FloatVector.broadcast(SP, re[3]);
        FloatVector m11i = FloatVector.broadcast(SP, im[3]);
        FloatVector m11n = FloatVector.broadcast(SP, ni[3]);
        long[] masks = p.expandMasks();
        long ctrl = p.controlBits();
        int shift = p.chunkShift();
        long cmask = p.chunkBlockMask();
        int tc1 = p.termChunk()[1];
        int to1 = p.termOffset()[1];
        long runMask = (1L << p.runLog()) - 1;
        for (long t = from; t < to; ) {
            long end = Math.min(to, (t | runMask) + 1);
            long g = GatePlan.expand(t, masks) | ctrl;
            int chunk = (int) (g >>> shift);
            float[] a0 = chunks[chunk];
            float[] a1 = chunks[chunk | tc1];
            int o0 = (int) ((g & cmask) << (LOG_S + 1));
            int o1 = o0 + to1;
            int n = (int) (end - t) * BLOCK;
            for (int r = 0; r < n; r += BLOCK) {
                FloatVector x0r = FloatVector.fromArray(SP, a0, o0 + r);
                FloatVector x0i = FloatVector.fromArray(SP, a0, o0 + r + S);
                FloatVector x1r = FloatVector.fromArray(SP, a1, o1 + r);
                FloatVector x1i = FloatVector.fromArray(SP, a1, o1 + r + S);
                FloatVector y0r = x1i.fma(m01n, x1r.fma(m01r, x0i.fma(m00n, x0r.mul(m00r))));
                FloatVector y0i = x1r.fma(m01i, x1i.fma(m01r, x0r.fma(m00i, x0i.mul(m00r))));
                FloatVector y1r = x1i.fma(m11n, x1r.fma(m11r, x0i.fma(m10n, x0r.mul(m10r))));
                FloatVector y1i = x1r.fma(m11i, x1i.fma(m11r, x0r.fma(m10i, x0i.mul(m10r))));
                y0r.intoArray(a0, o0 + r);
                y0i.intoArray(a0, o0 + r + S);
                y1r.intoArray(a1, o1 + r);
                y1i.intoArray(a1, o1 + r + S);
            }
            t = end;
        }
    }

    private static void dense2(GatePlan p, Coefficients c, float[][] chunks, long from, long to) {
        float[] re = c.re();
        float[] im = c.im();
        float[] ni = c.negIm();
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
            float[] a0 = chunks[chunk];
            float[] a1 = chunks[chunk | tc[1]];
            float[] a2 = chunks[chunk | tc[2]];
            float[] a3 = chunks[chunk | tc[3]];
            int base = (int) ((g & cmask) << (LOG_S + 1));
            int o0 = base;
            int o1 = base + tof[1];
            int o2 = base + tof[2];
            int o3 = base + tof[3];
            int n = (int) (end - t) * BLOCK;
            for (int r = 0; r < n; r += BLOCK) {
                FloatVector x0r = FloatVector.fromArray(SP, a0, o0 + r);
                FloatVector x0i = FloatVector.fromArray(SP, a0, o0 + r + S);
                FloatVector x1r = FloatVector.fromArray(SP, a1, o1 + r);
                FloatVector x1i = FloatVector.fromArray(SP, a1, o1 + r + S);
                FloatVector x2r = FloatVector.fromArray(SP, a2, o2 + r);
                FloatVector x2i = FloatVector.fromArray(SP, a2, o2 + r + S);
                FloatVector x3r = FloatVector.fromArray(SP, a3, o3 + r);
                FloatVector x3i = FloatVector.fromArray(SP, a3, o3 + r + S);
                rowRe(re, ni, 0, x0r, x0i, x1r, x1i, x2r, x2i, x3r, x3i).intoArray(a0, o0 + r);
                rowIm(re, im, 0, x0r, x0i, x1r, x1i, x2r, x2i, x3r, x3i).intoArray(a0, o0 + r + S);
                rowRe(re, ni, 4, x0r, x0i, x1r, x1i, x2r, x2i, x3r, x3i).intoArray(a1, o1 + r);
                rowIm(re, im, 4, x0r, x0i, x1r, x1i, x2r, x2i, x3r, x3i).intoArray(a1, o1 + r + S);
                rowRe(re, ni, 8, x0r, x0i, x1r, x1i, x2r, x2i, x3r, x3i).intoArray(a2, o2 + r);
                rowIm(re, im, 8, x0r, x0i, x1r, x1i, x2r, x2i, x3r, x3i).intoArray(a2, o2 + r + S);
                rowRe(re, ni, 12, x0r, x0i, x1r, x1i, x2r, x2i, x3r, x3i).intoArray(a3, o3 + r);
                rowIm(re, im, 12, x0r, x0i, x1r, x1i, x2r, x2i, x3r, x3i).intoArray(a3, o3 + r + S);
            }
            t = end;
        }
    }

    /** Real part of row {@code b/4}: Σ re·xr − im·xi. */
    private static FloatVector rowRe(float[] re, float[] ni, int b, FloatVector x0r, FloatVector x0i,
                                     FloatVector x1r, FloatVector x1i, FloatVector x2r, FloatVector x2i,
                                     FloatVector x3r, FloatVector x3i) {
        FloatVector acc = x0r.mul(re[b]);
        acc = x0i.fma(FloatVector.broadcast(SP, ni[b]), acc);
        acc = x1r.fma(FloatVector.broadcast(SP, re[b + 1]), acc);
        acc = x1i.fma(FloatVector.broadcast(SP, ni[b + 1]), acc);
        acc = x2r.fma(FloatVector.broadcast(SP, re[b + 2]), acc);
        acc = x2i.fma(FloatVector.broadcast(SP, ni[b + 2]), acc);
        acc = x3r.fma(FloatVector.broadcast(SP, re[b + 3]), acc);
        return x3i.fma(FloatVector.broadcast(SP, ni[b + 3]), acc);
    }

    /** Imaginary part of row {@code b/4}: Σ re·xi + im·xr. */
    private static FloatVector rowIm(float[] re, float[] im, int b, FloatVector x0r, FloatVector x0i,
                                     FloatVector x1r, FloatVector x1i, FloatVector x2r, FloatVector x2i,
                                     FloatVector x3r, FloatVector x3i) {
        FloatVector acc = x0i.mul(re[b]);
        acc = x0r.fma(FloatVector.broadcast(SP, im[b]), acc);
        acc = x1i.fma(FloatVector.broadcast(SP, re[b + 1]), acc);
        acc = x1r.fma(FloatVector.broadcast(SP, im[b + 1]), acc);
        acc = x2i.fma(FloatVector.broadcast(SP, re[b + 2]), acc);
        acc = x2r.fma(FloatVector.broadcast(SP, im[b + 2]), acc);
        acc = x3i.fma(FloatVector.broadcast(SP, re[b + 3]), acc);
        return x3r.fma(FloatVector.broadcast(SP, im[b + 3]), acc);
    }

    private static void diagonal(GatePlan p, Coefficients c, float[][] chunks, long from, long to) {
        float[] re = c.re();
        float[] im = c.im();
        float[] ni = c.negIm();
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
                FloatVector cr = FloatVector.fromArray(SP, re, row * S);
                FloatVector ci = FloatVector.fromArray(SP, im, row * S);
                FloatVector cn = FloatVector.fromArray(SP, ni, row * S);
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

    private static void generalUniform(GatePlan p, float[] re, float[] im, float[] ni, float[][] chunks,
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
                        FloatVector mr = FloatVector.broadcast(SP, re[e]);
                        accR = vr.fma(mr, accR);
                        accR = vi.fma(FloatVector.broadcast(SP, ni[e]), accR);
                        accI = vi.fma(mr, accI);
                        accI = vr.fma(FloatVector.broadcast(SP, im[e]), accI);
                    }
                    accR.intoArray(dst, o);
                    accI.intoArray(dst, o + S);
                }
            }
            t = end;
        }
    }

    private static void generalLanes(GatePlan p, float[] re, float[] im, float[] ni, float[][] chunks,
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
                        FloatVector mr = FloatVector.fromArray(SP, re, co);
                        accR = vr.fma(mr, accR);
                        accR = vi.fma(FloatVector.fromArray(SP, ni, co), accR);
                        accI = vi.fma(mr, accI);
                        accI = vr.fma(FloatVector.fromArray(SP, im, co), accI);
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
