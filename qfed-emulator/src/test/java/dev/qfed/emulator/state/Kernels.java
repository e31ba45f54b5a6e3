package dev.qfed.emulator.state;

/** The kernel configurations tests run every state operation under. */
record Kernels(String name, Precision precision, boolean simd, int lanes, int maxChunkBits, int threads) {

    StateVector create(int numQubits) {
        return precision == Precision.SINGLE
                ? new FloatStateVector(numQubits, threads,
                        simd ? VectorFloatKernels.INSTANCE : new ScalarFloatKernels(lanes), maxChunkBits)
                : new DoubleStateVector(numQubits, threads,
                        simd ? VectorDoubleKernels.INSTANCE : new ScalarDoubleKernels(lanes), maxChunkBits);
    }

    double tolerance() {
        return precision == Precision.SINGLE ? 3e-5 : 1e-12;
    }

    @Override
    public String toString() {
        return name;
    }

    static java.util.List<Kernels> all() {
        int f = VectorFloatKernels.INSTANCE.lanes();
        int d = VectorDoubleKernels.INSTANCE.lanes();
        int big = Layout.MAX_CHUNK_BITS;
        return java.util.List.of(
                new Kernels("simd-single", Precision.SINGLE, true, f, big, 1),
                new Kernels("simd-single-2threads-smallchunks", Precision.SINGLE, true, f, log2(f) + 2, 2),
                new Kernels("simd-double", Precision.DOUBLE, true, d, big, 1),
                new Kernels("simd-double-2threads-smallchunks", Precision.DOUBLE, true, d, log2(d) + 1, 2),
                new Kernels("scalar-single", Precision.SINGLE, false, f, big, 1),
                new Kernels("scalar-single-4lanes-smallchunks", Precision.SINGLE, false, 4, 3, 2),
                new Kernels("scalar-double", Precision.DOUBLE, false, d, big, 2),
                new Kernels("scalar-double-1lane-smallchunks", Precision.DOUBLE, false, 1, 2, 1));
    }

    private static int log2(int x) {
        return Integer.numberOfTrailingZeros(x);
    }
}
