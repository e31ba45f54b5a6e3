package dev.qfed.emulator.state;

/**
 * A mutable n-qubit state vector: the seam between the emulator (which walks a circuit) and the kernels (which
 * move amplitudes). Amplitude index = Σ bit(qᵢ)·2ⁱ (Qiskit's order).
 *
 * <p>Matrices are row-major with real and imaginary parts interleaved ({@code 2·4^k} doubles for k targets) and
 * little-endian over their target list: matrix index bit j is the state of {@code targets[j]} — the convention of
 * {@link dev.qfed.circuit.ComplexMatrix} and {@link dev.qfed.circuit.StandardGate}.
 *
 * <p>Implementations must give results that do not depend on the number of threads they use: any reduction
 * (norms, probabilities, sampling) sums in a fixed order over fixed-size blocks.
 */
public interface StateVector {

    int numQubits();

    Precision precision();

    /** Sets the state to |0…0⟩. */
    void setZero();

    /**
     * Applies a dense {@code 2^k × 2^k} unitary to {@code targets} on the subspace where each {@code controls[j]}
     * has the value of bit j of {@code controlValues} (1 for an ordinary control, 0 for a negated one).
     * Controls and targets are distinct qubits; {@code controls} may be empty.
     *
     * <p>The matrix need not be unitary: the noise model applies renormalised Kraus operators (amplitude-damping
     * jumps) through this method and {@link #applyDiagonal}, so implementations must not assume unitarity (for
     * example by fusing it with a neighbour through its adjoint).
     */
    void apply(int[] controls, int controlValues, int[] targets, double[] matrix);

    /** Multiplies amplitude i by {@code diagonal[index of i's target bits]}: {@code 2·2^k} doubles, interleaved. */
    void applyDiagonal(int[] controls, int controlValues, int[] targets, double[] diagonal);

    /** Multiplies every amplitude by e^{i·phase}. */
    void applyGlobalPhase(double phase);

    /** The probability of reading 1 on {@code qubit}. */
    double probabilityOfOne(int qubit);

    /**
     * Projects {@code qubit} onto {@code outcome} (0 or 1) and renormalises, given the probability of that outcome
     * (from {@link #probabilityOfOne}).
     */
    void collapse(int qubit, int outcome, double probability);

    /** Σ |amplitude|². */
    double normSquared();

    /**
     * The marginal distribution over {@code qubits}: entry x (bit j of x = outcome of {@code qubits[j]}) is the sum
     * of |amplitude|² over the basis states with those outcomes. At most 26 qubits (the result is one array).
     *
     * <p>The default walks {@link #amplitude} one index at a time and is slow; implementations should override it
     * with a pass that, like every reduction here, does not depend on the number of threads.
     */
    default double[] probabilities(int[] qubits) {
        int k = qubits.length;
        if (k > 26) {
            throw new IllegalArgumentException("a marginal over " + k + " qubits has more than 2^26 entries");
        }
        double[] out = new double[1 << k];
        long size = 1L << numQubits();
        for (long i = 0; i < size; i++) {
            double[] a = amplitude(i);
            int x = 0;
            for (int j = 0; j < k; j++) {
                x |= (int) ((i >>> qubits[j]) & 1) << j;
            }
            out[x] += a[0] * a[0] + a[1] * a[1];
        }
        return out;
    }

    /**
     * Samples basis states: {@code sortedUniforms} are ascending numbers in [0, 1); {@code out[i]} receives the
     * basis index whose cumulative probability interval contains {@code sortedUniforms[i]}. One pass over the state.
     */
    void sample(double[] sortedUniforms, long[] out);

    /** Amplitude {@code index} as {@code {re, im}} in double precision. */
    double[] amplitude(long index);

    /**
     * All amplitudes, interleaved, in double precision.
     *
     * @throws IllegalStateException when the state has more than 2^26 amplitudes (too large for one array)
     */
    double[] toArray();

    /** An independent copy (for reusing a shared prefix across trajectories). */
    StateVector copy();

    /** Overwrites this state with {@code other}'s amplitudes; both have the same size and precision. */
    void copyFrom(StateVector other);

    /**
     * Runs any gates the implementation has queued to execute together (see {@code FloatStateVector}'s cache
     * blocking). Reads do this by themselves; callers that time gate application call it at the end of a stretch.
     */
    default void flush() {
    }

    /**
     * Passes over the whole state's memory the gates have taken so far (a run of cache-blocked gates counts once),
     * or 0 when the implementation does not count them.
     */
    default long sweeps() {
        return 0;
    }
}
