package dev.qfed.emulator.state;

/**
 * Chooses SIMD or scalar kernels once per JVM. The SIMD kernels need the incubating module
 * {@code jdk.incubator.vector} ({@code --add-modules jdk.incubator.vector}, which the {@code qfed} launcher and the
 * test runner pass); without it, loading them fails with a {@link LinkageError}, caught here once, and the scalar
 * kernels take over. {@code -Dqfed.emulator.simd=false} forces the scalar ones.
 */
public final class KernelSelector {

    /** Scalar block widths: wide enough for the JIT to vectorise the lane loops by itself. */
    private static final int SCALAR_FLOAT_LANES = 16;
    private static final int SCALAR_DOUBLE_LANES = 8;

    private static final boolean SIMD = detect();

    private KernelSelector() {
    }

    private static boolean detect() {
        if ("false".equalsIgnoreCase(System.getProperty("qfed.emulator.simd", "true"))) {
            return false;
        }
        try {
            // under 4 lanes the Vector API would run in its slow Java fallback
            return VectorProbe.floatLanes() >= 4 && VectorProbe.doubleLanes() >= 2;
        } catch (LinkageError e) {
            return false;
        }
    }

    /** Whether the SIMD kernels are in use. */
    public static boolean simd() {
        return SIMD;
    }

    /** A one-line description for benchmark reports, such as {@code "SIMD, 16 float / 8 double lanes"}. */
    public static String describe() {
        return SIMD
                ? "SIMD (Vector API), " + VectorProbe.floatLanes() + " float / " + VectorProbe.doubleLanes()
                        + " double lanes"
                : "scalar (jdk.incubator.vector not present or disabled)";
    }

    static FloatKernels floatKernels() {
        return SIMD ? VectorFloatKernels.INSTANCE : scalarFloat();
    }

    static DoubleKernels doubleKernels() {
        return SIMD ? VectorDoubleKernels.INSTANCE : scalarDouble();
    }

    static FloatKernels scalarFloat() {
        return new ScalarFloatKernels(SCALAR_FLOAT_LANES);
    }

    static DoubleKernels scalarDouble() {
        return new ScalarDoubleKernels(SCALAR_DOUBLE_LANES);
    }
}
