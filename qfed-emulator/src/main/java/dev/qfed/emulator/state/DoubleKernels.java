// GENERATED from FloatKernels.java by DoublePrecisionSourcesTest: edit that file, then run
// ./mvnw -q -pl qfed-emulator test -Dtest=DoublePrecisionSourcesTest -Dqfed.regenerate=true
package dev.qfed.emulator.state;

/**
 * The arithmetic of a {@link DoubleStateVector}: gates and sums of squares over ranges of its chunks. Two
 * implementations: {@link VectorDoubleKernels} (SIMD through the Vector API) and {@link ScalarDoubleKernels}
 * (plain Java, the fallback); {@link KernelSelector} picks one.
 *
 * <p>Implementations are stateless and compute every block with the same instructions whichever thread and piece
 * it falls in, so results do not depend on how the work is split.
 */
interface DoubleKernels {

    /** Amplitudes per block in the layouts this implementation works on. */
    int lanes();

    /** Applies {@code plan} to the bases with counters in {@code [from, to)}. */
    void apply(GatePlan plan, Coefficients coefficients, double[][] chunks, long from, long to);

    /**
     * Σ weight[lane]·|amplitude|² over {@code blocks} consecutive blocks starting at element {@code element} of
     * {@code chunk}, summed in a fixed order. Weights are 0 or 1 (lane selection).
     */
    double sumSquares(double[] chunk, int element, int blocks, double[] laneWeights);

    /**
     * A plan's coefficients in this element type, with the imaginary parts also negated (for fused multiply-adds).
     * The SIMD kernels read the {@code *Bits} copies, the raw bits in an integer array: the JIT must assume a load
     * from a {@code double[]} may alias the state's {@code double[]} stores and then keeps every coefficient load in
     * program order after them, which halves the speed of a memory-bound pass; an integer array is a different
     * alias class.
     */
    record Coefficients(double[] re, double[] im, double[] negIm, double[] termRe, double[] termIm, double[] termNegIm,
                        long[] reBits, long[] imBits, long[] negImBits, long[] termReBits, long[] termImBits,
                        long[] termNegImBits) {

        static Coefficients of(GatePlan plan) {
            double[] re = convert(plan.coefRe(), false);
            double[] im = convert(plan.coefIm(), false);
            double[] negIm = convert(plan.coefIm(), true);
            double[] termRe = convert(plan.termRe(), false);
            double[] termIm = convert(plan.termIm(), false);
            double[] termNegIm = convert(plan.termIm(), true);
            return new Coefficients(re, im, negIm, termRe, termIm, termNegIm, bits(re), bits(im), bits(negIm),
                    bits(termRe), bits(termIm), bits(termNegIm));
        }

        private static double[] convert(double[] values, boolean negate) {
            double[] out = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = (double) (negate ? -values[i] : values[i]);
            }
            return out;
        }

        private static long[] bits(double[] values) {
            long[] out = new long[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = Double.doubleToRawLongBits(values[i]);
            }
            return out;
        }
    }
}
