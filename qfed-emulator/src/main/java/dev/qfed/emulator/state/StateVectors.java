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
