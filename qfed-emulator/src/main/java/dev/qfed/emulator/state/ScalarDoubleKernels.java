// GENERATED from ScalarFloatKernels.java by DoublePrecisionSourcesTest: edit that file, then run
// ./mvnw -q -pl qfed-emulator test -Dtest=DoublePrecisionSourcesTest -Dqfed.regenerate=true
package dev.qfed.emulator.state;

/**
 * Plain-Java kernels: the fallback when the Vector API is absent, and a second implementation for tests. They walk
 * the same plans and layouts as {@link VectorDoubleKernels}, with loops over the lanes of a block that the JIT may
 * vectorise by itself. Every path goes through the general term lists except diagonal gates, which need no scratch.
 */
final class ScalarDoubleKernels implements DoubleKernels {

    private final int lanes;
    private final int logLanes;

    /** Kernels for blocks of {@code lanes} amplitudes (a power of two). */
    ScalarDoubleKernels(int lanes) {
        if (Integer.bitCount(lanes) != 1 || lanes > 64) {
            throw new IllegalArgumentException("lanes must be a power of two up to 64, got " + lanes);
        }
        this.lanes = lanes;
        this.logLanes = Integer.numberOfTrailingZeros(lanes);
    }

    @Override
    public int lanes() {
        return lanes;
    }

    @Override
    public void apply(GatePlan p, Coefficients c, double[][] chunks, long from, long to) {
        if (p.kind() == GatePlan.Kind.DIAGONAL) {
            diagonal(p, c, chunks, from, to);
        } else {
            general(p, c, chunks, from, to);
        }
    }

    private void diagonal(GatePlan p, Coefficients c, double[][] chunks, long from, long to) {
        int s = lanes;
        int block = 2 * s;
        double[] re = c.re();
        double[] im = c.im();
        int rows = p.rows();
        boolean[] identity = p.rowMove(); // a diagonal row moved onto itself unchanged
        long[] masks = p.expandMasks();
        int[] tc = p.termChunk();
        int[] tof = p.termOffset();
        long runMask = (1L << p.runLog()) - 1;
        for (long t = from; t < to; ) {
            long end = Math.min(to, (t | runMask) + 1);
            long g = GatePlan.expand(t, masks) | p.controlBits();
            int chunk = (int) (g >>> p.chunkShift());
            int base = (int) ((g & p.chunkBlockMask()) << (logLanes + 1));
            int n = (int) (end - t) * block;
            for (int row = 0; row < rows; row++) {
                if (identity[row]) {
                    continue;
                }
                double[] a = chunks[chunk | tc[row]];
                int o = base + tof[row];
                int co = row * s;
                for (int r = 0; r < n; r += block) {
                    for (int l = 0; l < s; l++) {
                        double xr = a[o + r + l];
                        double xi = a[o + r + s + l];
                        a[o + r + l] = re[co + l] * xr - im[co + l] * xi;
                        a[o + r + s + l] = re[co + l] * xi + im[co + l] * xr;
                    }
                }
            }
            t = end;
        }
    }

    private void general(GatePlan p, Coefficients c, double[][] chunks, long from, long to) {
        int s = lanes;
        int block = 2 * s;
        double[] re = c.termRe();
        double[] im = c.termIm();
        boolean perLane = p.laneCoefficients();
        int rows = p.rows();
        int slots = p.numSlots();
        int[] slotSource = p.slotSource();
        int[] slotXor = p.slotXor();
        int[] rowStart = p.rowStart();
        int[] termSlot = p.termSlot();
        long[] masks = p.expandMasks();
        int[] tc = p.termChunk();
        int[] tof = p.termOffset();
        long runMask = (1L << p.runLog()) - 1;
        double[][] arr = new double[rows][];
        int[] off = new int[rows];
        double[] scratch = new double[slots * block];
        double[] accR = new double[s];
        double[] accI = new double[s];
        for (long t = from; t < to; ) {
            long end = Math.min(to, (t | runMask) + 1);
            long g = GatePlan.expand(t, masks) | p.controlBits();
            int chunk = (int) (g >>> p.chunkShift());
            int base = (int) ((g & p.chunkBlockMask()) << (logLanes + 1));
            for (int a = 0; a < rows; a++) {
                arr[a] = chunks[chunk | tc[a]];
                off[a] = base + tof[a];
            }
            int n = (int) (end - t) * block;
            for (int r = 0; r < n; r += block) {
                for (int sl = 0; sl < slots; sl++) {
                    double[] src = arr[slotSource[sl]];
                    int o = off[slotSource[sl]] + r;
                    int x = slotXor[sl];
                    for (int l = 0; l < s; l++) {
                        scratch[sl * block + l] = src[o + (l ^ x)];
                        scratch[sl * block + s + l] = src[o + s + (l ^ x)];
                    }
                }
                for (int row = 0; row < rows; row++) {
                    java.util.Arrays.fill(accR, 0);
                    java.util.Arrays.fill(accI, 0);
                    for (int e = rowStart[row]; e < rowStart[row + 1]; e++) {
                        int so = termSlot[e] * block;
                        for (int l = 0; l < s; l++) {
                            int ci = perLane ? e * s + l : e;
                            double vr = scratch[so + l];
                            double vi = scratch[so + s + l];
                            accR[l] += re[ci] * vr - im[ci] * vi;
                            accI[l] += re[ci] * vi + im[ci] * vr;
                        }
                    }
                    double[] dst = arr[row];
                    int o = off[row] + r;
                    System.arraycopy(accR, 0, dst, o, s);
                    System.arraycopy(accI, 0, dst, o + s, s);
                }
            }
            t = end;
        }
    }

    @Override
    public double sumSquares(double[] chunk, int element, int blocks, double[] laneWeights) {
        int s = lanes;
        double sum = 0;
        int end = element + blocks * 2 * s;
        for (int o = element; o < end; o += 2 * s) {
            for (int l = 0; l < s; l++) {
                double xr = chunk[o + l];
                double xi = chunk[o + s + l];
                sum += laneWeights[l] * (xr * xr + xi * xi);
            }
        }
        return sum;
    }
}
