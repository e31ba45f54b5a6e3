package dev.qfed.emulator.state;

/**
 * The arithmetic of a {@link FloatStateVector}: gates and sums of squares over ranges of its chunks. Two
 * implementations: {@link VectorFloatKernels} (SIMD through the Vector API) and {@link ScalarFloatKernels}
 * (plain Java, the fallback); {@link KernelSelector} picks one.
 *
 * <p>Implementations are stateless and compute every block with the same instructions whichever thread and piece
 * it falls in, so results do not depend on how the work is split.
 */
interface FloatKernels {

    /** Amplitudes per block in the layouts this implementation works on. */
    int lanes();

    /** Applies {@code plan} to the bases with counters in {@code [from, to)}. */
    void apply(GatePlan plan, Coefficients coefficients, float[][] chunks, long from, long to);

    /**
     * Σ weight[lane]·|amplitude|² over {@code blocks} consecutive blocks starting at element {@code element} of
     * {@code chunk}, summed in a fixed order. Weights are 0 or 1 (lane selection).
     */
    double sumSquares(float[] chunk, int element, int blocks, float[] laneWeights);

    /**
     * A plan's coefficients in this element type, with the imaginary parts also negated (for fused multiply-adds).
     * The SIMD kernels read the {@code *Bits} copies, the raw bits in an integer array: the JIT must assume a load
     * from a {@code float[]} may alias the state's {@code float[]} stores and then keeps every coefficient load in
     * program order after them, which halves the speed of a memory-bound pass; an integer array is a different
     * alias class.
     */
    record Coefficients(float[] re, float[] im, float[] negIm, float[] termRe, float[] termIm, float[] termNegIm,
                        int[] reBits, int[] imBits, int[] negImBits, int[] termReBits, int[] termImBits,
                        int[] termNegImBits) {

        static Coefficients of(GatePlan plan) {
            float[] re = convert(plan.coefRe(), false);
            float[] im = convert(plan.coefIm(), false);
            float[] negIm = convert(plan.coefIm(), true);
            float[] termRe = convert(plan.termRe(), false);
            float[] termIm = convert(plan.termIm(), false);
            float[] termNegIm = convert(plan.termIm(), true);
            return new Coefficients(re, im, negIm, termRe, termIm, termNegIm, bits(re), bits(im), bits(negIm),
                    bits(termRe), bits(termIm), bits(termNegIm));
        }

        private static float[] convert(double[] values, boolean negate) {
            float[] out = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = (float) (negate ? -values[i] : values[i]);
            }
            return out;
        }

        private static int[] bits(float[] values) { //@float-only
        //@double-only private static long[] bits(double[] values) {
            int[] out = new int[values.length]; //@float-only
            //@double-only long[] out = new long[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = Float.floatToRawIntBits(values[i]); //@float-only
                //@double-only out[i] = Double.doubleToRawLongBits(values[i]);
            }
            return out;
        }
    }
}
