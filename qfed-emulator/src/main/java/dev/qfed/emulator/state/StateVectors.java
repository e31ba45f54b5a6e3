package dev.qfed.emulator.state;

import java.util.Objects;

/** Creates the state-vector implementation for a precision. */
public final class StateVectors {
    private StateVectors() {
    }

    /** Whether this build has a state vector of {@code precision}. */
    public static boolean supports(Precision precision) {
        return precision == Precision.DOUBLE;
    }

    /** The most qubits a state of {@code precision} can have in this build (0 when the precision is not available). */
    public static int maxQubits(Precision precision) {
        return supports(precision) ? ArrayStateVector.MAX_QUBITS : 0;
    }

    /**
     * |0…0⟩ on {@code numQubits} qubits whose kernels use {@code threads} threads.
     *
     * @throws UnsupportedOperationException when {@code precision} is not available in this build
     * @throws IllegalArgumentException when {@code numQubits} exceeds {@link #maxQubits} or {@code threads < 1}
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
