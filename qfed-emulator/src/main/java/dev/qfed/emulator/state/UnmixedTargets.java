package dev.qfed.emulator.state;

import java.util.Arrays;

/**
 * Dense gates that never mix the two values of one of their high targets — the fused product of a one-qubit gate
 * and a CZ ({@code |0⟩⟨0| ⊗ A + |1⟩⟨1| ⊗ A·Z}), or a controlled gate given as a full matrix — run as two gates
 * controlled on that target: each reads half the blocks, so the pair moves the memory of one pass with half the
 * multiply-adds of the dense kernel. A half that is the identity is dropped, a diagonal half runs as a diagonal,
 * and a dense half may split again. Low targets are left alone: a low control costs a whole block's work. The split
 * depends on the matrix and the layout only, never on the thread count. Precision independent: the fast state
 * vectors of both precisions call it.
 */
final class UnmixedTargets {

    /** Where a half goes: {@code (controls, controlValues, targets, matrix or diagonal)}. */
    interface Sink {
        void apply(int[] controls, int controlValues, int[] targets, double[] values);
    }

    private UnmixedTargets() {
    }

    /**
     * Hands the halves of a dense gate to {@code dense} and {@code diagonal} when it leaves a high target unmixed;
     * returns false, having done nothing, when it does not (or has no room for another control).
     *
     * @param logLanes the layout's low qubits: targets below it select lanes, not blocks
     * @param matrix   {@code 2·4^k} doubles, row-major, interleaved, little-endian over {@code targets}
     */
    static boolean split(int logLanes, int[] controls, int controlValues, int[] targets, double[] matrix,
            Sink dense, Sink diagonal) {
        int selector = controls.length < GatePlan.MAX_CONTROLS ? unmixedHighTarget(logLanes, targets, matrix) : -1;
        if (selector < 0) {
            return false;
        }
        int k = targets.length;
        int[] c = Arrays.copyOf(controls, controls.length + 1);
        c[controls.length] = targets[selector];
        int[] t = new int[k - 1];
        for (int j = 0, i = 0; j < k; j++) {
            if (j != selector) {
                t[i++] = targets[j];
            }
        }
        int dim = 1 << (k - 1);
        for (int v = 0; v < 2; v++) {
            double[] m = new double[2 * dim * dim];
            boolean identity = true;
            boolean isDiagonal = true;
            for (int r = 0; r < dim; r++) {
                int row = insertBit(r, selector, v);
                for (int col = 0; col < dim; col++) {
                    int e = 2 * (row * (2 * dim) + insertBit(col, selector, v));
                    double re = matrix[e];
                    double im = matrix[e + 1];
                    m[2 * (r * dim + col)] = re;
                    m[2 * (r * dim + col) + 1] = im;
                    identity &= re == (r == col ? 1 : 0) && im == 0;
                    isDiagonal &= r == col || (re == 0 && im == 0);
                }
            }
            int values = controlValues | v << controls.length;
            if (identity) {
                continue;
            }
            if (isDiagonal) {
                double[] d = new double[2 * dim];
                for (int r = 0; r < dim; r++) {
                    d[2 * r] = m[2 * (r * dim + r)];
                    d[2 * r + 1] = m[2 * (r * dim + r) + 1];
                }
                diagonal.apply(c, values, t, d);
            } else {
                dense.apply(c, values, t, m);
            }
        }
        return true;
    }

    /** The matrix index bit of a high target whose two values the gate never mixes; -1 if none (or one target). */
    private static int unmixedHighTarget(int logLanes, int[] targets, double[] matrix) {
        int dim = 1 << targets.length;
        for (int j = 0; j < targets.length && targets.length > 1; j++) {
            if (targets[j] < logLanes) {
                continue;
            }
            boolean unmixed = true;
            for (int r = 0; r < dim && unmixed; r++) {
                for (int col = 0; col < dim; col++) {
                    int e = 2 * (r * dim + col);
                    if (((r ^ col) >>> j & 1) != 0 && (matrix[e] != 0 || matrix[e + 1] != 0)) {
                        unmixed = false;
                        break;
                    }
                }
            }
            if (unmixed) {
                return j;
            }
        }
        return -1;
    }

    /** {@code x} with {@code bit} inserted at position {@code at}. */
    private static int insertBit(int x, int at, int bit) {
        int low = x & ((1 << at) - 1);
        return (x >>> at) << (at + 1) | bit << at | low;
    }
}
