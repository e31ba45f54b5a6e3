package dev.qfed.emulator.state;

import java.util.Objects;

/**
 * Creates state vectors: the fast blocked, SIMD and multithreaded implementations ({@link FloatStateVector} for
 * single precision, {@link DoubleStateVector} for double). {@link ArrayStateVector}, the simple one, stays as the
 * test oracle.
 */
public final class StateVectors {
    private StateVectors() {
    }

    /** Threads to use by default: all available cores. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Starts, on a background thread, the once-per-JVM preparation that a state of {@code numQubits} qubits in this
     * precision needs (compiling the SIMD kernels: a few hundred milliseconds), so that it overlaps the caller's
     * other work; {@link #create} then waits only for what is left of it. Does nothing for states too small to need
     * it, without SIMD kernels, or when already started.
     */
    public static void prepare(int numQubits, Precision precision) {
        Objects.requireNonNull(precision, "precision");
        if (numQubits < FloatKernelWarmup.MIN_QUBITS) {
            return;
        }
        // the thread also pays for detecting the Vector API (loading its classes takes a good part of the time)
        Thread thread = new Thread(() -> {
            if (KernelSelector.simd()) {
                switch (precision) {
                    case SINGLE -> FloatKernelWarmup.ensure(KernelSelector.floatKernels());
                    case DOUBLE -> DoubleKernelWarmup.ensure(KernelSelector.doubleKernels());
                }
            }
        }, "qfed-kernel-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Bytes of amplitudes a thread works on at a time when gates are cache-blocked or tiled (this machine's size,
     * see docs/emulator.md, "Cache blocking"); benchmarks report it so runs on different machines compare.
     */
    public static int cacheBlockBytes() {
        return CacheBlocks.bytes();
    }

    /**
     * |0…0⟩ on {@code numQubits} qubits whose kernels use {@code threads} threads.
     *
     * @throws IllegalArgumentException when the state does not fit in this JVM's heap (the message says how much
     *                                  it needs), {@code numQubits} is out of range or {@code threads < 1}
     */
    public static StateVector create(int numQubits, Precision precision, int threads) {
        Objects.requireNonNull(precision, "precision");
        return switch (precision) {
            case SINGLE -> new FloatStateVector(numQubits, threads);
            case DOUBLE -> new DoubleStateVector(numQubits, threads);
        };
    }
}
