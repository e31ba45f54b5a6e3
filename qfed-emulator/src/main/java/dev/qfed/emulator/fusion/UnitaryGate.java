package dev.qfed.emulator.fusion;

import dev.qfed.emulator.state.StateVector;
import java.util.Arrays;

/**
 * A gate as a state vector applies it: {@code matrix} on {@code targets} where each {@code controls[j]} has the
 * value of bit j of {@code controlValues}. The matrix is dense ({@code 2·4^k} doubles, row-major, interleaved,
 * little-endian over targets) or, when {@code diagonal}, its diagonal ({@code 2·2^k} doubles). Arrays are not copied:
 * do not modify them.
 */
public record UnitaryGate(int[] controls, int controlValues, int[] targets, double[] matrix, boolean diagonal) {

    public UnitaryGate {
        int dim = 1 << targets.length;
        int expected = diagonal ? 2 * dim : 2 * dim * dim;
        if (matrix.length != expected) {
            throw new IllegalArgumentException((diagonal ? "a diagonal" : "a dense") + " gate on " + targets.length
                    + " target(s) needs " + expected + " doubles, got " + matrix.length);
        }
        if (controls.length > 30 || controlValues < 0 || controlValues >= 1 << controls.length) {
            throw new IllegalArgumentException("control values " + controlValues + " do not fit " + controls.length
                    + " control(s)");
        }
        long seen = 0;
        for (int[] qs : new int[][] {controls, targets}) {
            for (int q : qs) {
                if (q < 0 || q > 62 || (seen & (1L << q)) != 0) {
                    throw new IllegalArgumentException("qubits must be distinct and in [0, 62]: controls "
                            + Arrays.toString(controls) + ", targets " + Arrays.toString(targets));
                }
                seen |= 1L << q;
            }
        }
    }

    /** A dense gate without controls. */
    public static UnitaryGate dense(int[] targets, double[] matrix) {
        return new UnitaryGate(new int[0], 0, targets, matrix, false);
    }

    /** A diagonal gate without controls. */
    public static UnitaryGate diagonal(int[] targets, double[] diagonal) {
        return new UnitaryGate(new int[0], 0, targets, diagonal, true);
    }

    /** Every qubit the gate touches: targets, then controls. */
    public int[] qubits() {
        int[] q = Arrays.copyOf(targets, targets.length + controls.length);
        System.arraycopy(controls, 0, q, targets.length, controls.length);
        return q;
    }

    /** Bit mask of {@link #qubits()}. */
    long qubitMask() {
        long m = 0;
        for (int q : targets) {
            m |= 1L << q;
        }
        for (int q : controls) {
            m |= 1L << q;
        }
        return m;
    }

    public void applyTo(StateVector state) {
        if (diagonal) {
            state.applyDiagonal(controls, controlValues, targets, matrix);
        } else {
            state.apply(controls, controlValues, targets, matrix);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnitaryGate g && g.controlValues == controlValues && g.diagonal == diagonal
                && Arrays.equals(g.controls, controls) && Arrays.equals(g.targets, targets)
                && Arrays.equals(g.matrix, matrix);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(targets) * 31 + Arrays.hashCode(controls) + Arrays.hashCode(matrix);
    }

    @Override
    public String toString() {
        return (diagonal ? "diagonal" : "dense") + " on " + Arrays.toString(targets)
                + (controls.length == 0 ? "" : " controlled by " + Arrays.toString(controls) + "="
                        + Integer.toBinaryString(controlValues));
    }
}
