package dev.qfed.emulator.state;

import java.util.Objects;

/** Creates the state-vector implementation for a precision. */
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
     * @throws UnsupportedOperationException when {@code precision} is not available in this build (SINGLE, for now)
     * @throws IllegalArgumentException      when {@code numQubits} exceeds what one array holds
     *                                       ({@value ArrayStateVector#MAX_QUBITS}) or {@code threads < 1}
     */
    public static StateVector create(int numQubits, Precision precision, int threads) {
        Objects.requireNonNull(precision, "precision");
        return switch (precision) {
            case DOUBLE -> new ArrayStateVector(numQubits, threads);
            case SINGLE -> throw new UnsupportedOperationException(
                    "single precision not available yet; use --precision double");
        };
    }
}
