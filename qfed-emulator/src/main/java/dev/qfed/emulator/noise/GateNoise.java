package dev.qfed.emulator.noise;

import dev.qfed.emulator.state.StateVector;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The noise after one gate, as quantum-trajectory jumps on a pure state: a depolarizing Pauli on the gate's qubits
 * with probability {@link #depolarizing()}, then per qubit amplitude damping (jump probability γ·P(1); otherwise
 * the no-jump Kraus operator diag(1, √(1−γ)), renormalised) and a phase flip with probability (1 − e^{−t/T_φ})/2.
 * Averaged over trajectories this is exactly the channel's action on the density matrix.
 */
public final class GateNoise {
    /** No noise at all. */
    public static final GateNoise NONE = new GateNoise(new int[0], 0, new double[0], new double[0]);

    private static final int[] NO_CONTROLS = new int[0];
    private static final double[] PAULI_X = {0, 0, 1, 0, 1, 0, 0, 0};
    private static final double[] PAULI_Y = {0, 0, 0, -1, 0, 1, 0, 0};
    private static final double[] PAULI_Z_DIAGONAL = {1, 0, -1, 0};

    private final int[] qubits;
    private final double depolarizing;
    private final double[] gamma;
    private final double[] phaseFlip;
    /** {@code {qubits[j]}} for each j: the target lists of the per-qubit operations, made once. */
    private final int[][] targets;
    /** Whether applying this noise never changes a state. */
    private final boolean none;

    private GateNoise(int[] qubits, double depolarizing, double[] gamma, double[] phaseFlip) {
        this.qubits = qubits;
        this.depolarizing = depolarizing;
        this.gamma = gamma;
        this.phaseFlip = phaseFlip;
        this.targets = new int[qubits.length][];
        boolean quiet = depolarizing == 0;
        for (int j = 0; j < qubits.length; j++) {
            targets[j] = new int[] {qubits[j]};
            quiet &= gamma[j] == 0 && phaseFlip[j] == 0;
        }
        this.none = quiet;
    }

    /**
     * @param gamma     amplitude-damping γ per qubit of {@code qubits}
     * @param phaseFlip phase-flip probability per qubit (pure dephasing)
     */
    public static GateNoise of(int[] qubits, double depolarizing, double[] gamma, double[] phaseFlip) {
        if (gamma.length != qubits.length || phaseFlip.length != qubits.length) {
            throw new IllegalArgumentException("need one γ and one phase-flip probability per qubit");
        }
        if (qubits.length > 15) {
            throw new IllegalArgumentException("depolarizing noise on more than 15 qubits is not supported");
        }
        requireProbability(depolarizing, "depolarizing probability");
        for (int j = 0; j < qubits.length; j++) {
            requireProbability(gamma[j], "γ");
            requireProbability(phaseFlip[j], "phase-flip probability");
        }
        return new GateNoise(qubits.clone(), depolarizing, gamma.clone(), phaseFlip.clone());
    }

    /** Whether applying this noise never changes a state (so it needs no trajectory). */
    public boolean isNone() {
        return none;
    }

    public double depolarizing() {
        return depolarizing;
    }

    public int[] qubits() {
        return qubits.clone();
    }

    public double gamma(int j) {
        return gamma[j];
    }

    public double phaseFlip(int j) {
        return phaseFlip[j];
    }

    /** Applies one random draw of this noise to {@code state}, taking random numbers from {@code rng}. */
    public void apply(StateVector state, RandomGenerator rng) {
        int k = qubits.length;
        if (depolarizing > 0 && rng.nextDouble() < depolarizing) {
            long paulis = (1L << (2 * k)) - 1; // non-identity Paulis on k qubits, each equally likely
            long which = 1 + Math.min(paulis - 1, (long) (rng.nextDouble() * paulis));
            for (int j = 0; j < k; j++) {
                int[] target = targets[j];
                switch ((int) (which >>> (2 * j)) & 3) {
                    case 1 -> state.apply(NO_CONTROLS, 0, target, PAULI_X);
                    case 2 -> state.apply(NO_CONTROLS, 0, target, PAULI_Y);
                    case 3 -> state.applyDiagonal(NO_CONTROLS, 0, target, PAULI_Z_DIAGONAL);
                    default -> { }
                }
            }
        }
        for (int j = 0; j < k; j++) {
            int[] target = targets[j];
            if (gamma[j] > 0) {
                double p1 = state.probabilityOfOne(qubits[j]);
                double jump = gamma[j] * p1;
                if (rng.nextDouble() < jump) {
                    // |0⟩⟨1| / √P(1): the jump, renormalised
                    state.apply(NO_CONTROLS, 0, target, new double[] {0, 0, 1 / Math.sqrt(p1), 0, 0, 0, 0, 0});
                } else {
                    double c = 1 / Math.sqrt(1 - jump);
                    state.applyDiagonal(NO_CONTROLS, 0, target, new double[] {c, 0, c * Math.sqrt(1 - gamma[j]), 0});
                }
            }
            if (phaseFlip[j] > 0 && rng.nextDouble() < phaseFlip[j]) {
                state.applyDiagonal(NO_CONTROLS, 0, target, PAULI_Z_DIAGONAL);
            }
        }
    }

    private static void requireProbability(double p, String what) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(what + " must lie in [0, 1], got " + p);
        }
    }

    @Override
    public String toString() {
        return "GateNoise[qubits=" + Arrays.toString(qubits) + ", depolarizing=" + depolarizing + ", gamma="
                + Arrays.toString(gamma) + ", phaseFlip=" + Arrays.toString(phaseFlip) + "]";
    }
}
