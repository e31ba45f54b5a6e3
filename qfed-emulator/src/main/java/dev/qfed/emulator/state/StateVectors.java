package dev.qfed.emulator.state;

/** Creates state vectors: the fast blocked, SIMD and multithreaded implementations. */
public final class StateVectors {

    private StateVectors() {
    }

    /** Threads to use by default: all available cores. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * A state of {@code numQubits} qubits in |0…0⟩.
     *
     * @param threads threads the kernels use (at least 1)
     * @throws IllegalArgumentException when the state does not fit in this JVM's heap, with how much it needs
     */
    public static StateVector create(int numQubits, Precision precision, int threads) {
        return switch (precision) {
            case SINGLE -> new FloatStateVector(numQubits, threads);
            case DOUBLE -> new DoubleStateVector(numQubits, threads);
        };
    }
}
