package dev.qfed.emulator.state;

import dev.qfed.circuit.Unitaries;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Seeded random gates for kernel tests. */
final class RandomGates {
    private RandomGates() {
    }

    /** A Haar-ish random unitary of dimension dim ({@link Unitaries#randomUnitary}), interleaved row-major. */
    static double[] unitary(Random rnd, int dim) {
        return Unitaries.randomUnitary(dim, rnd).data().clone();
    }

    /** Unit-modulus random phases: a diagonal, interleaved. */
    static double[] phases(Random rnd, int dim) {
        double[] d = new double[2 * dim];
        for (int i = 0; i < dim; i++) {
            double a = rnd.nextDouble() * 2 * Math.PI;
            d[2 * i] = Math.cos(a);
            d[2 * i + 1] = Math.sin(a);
        }
        return d;
    }

    /** A random permutation with random phases (half of them exactly 1), as a dense matrix. */
    static double[] permutation(Random rnd, int dim) {
        List<Integer> perm = new ArrayList<>();
        for (int i = 0; i < dim; i++) {
            perm.add(i);
        }
        Collections.shuffle(perm, rnd);
        double[] m = new double[2 * dim * dim];
        for (int r = 0; r < dim; r++) {
            double a = rnd.nextBoolean() ? 0 : rnd.nextDouble() * 2 * Math.PI;
            m[2 * (r * dim + perm.get(r))] = Math.cos(a);
            m[2 * (r * dim + perm.get(r)) + 1] = a == 0 ? 0 : Math.sin(a);
        }
        return m;
    }

    static double[] diagonalAsMatrix(double[] d) {
        int dim = d.length / 2;
        double[] m = new double[2 * dim * dim];
        for (int r = 0; r < dim; r++) {
            m[2 * (r * dim + r)] = d[2 * r];
            m[2 * (r * dim + r) + 1] = d[2 * r + 1];
        }
        return m;
    }

    /**
     * A gate on k ≥ 2 targets that never mixes the two values of target bit {@code selector}: on each value a
     * random unitary, the identity or random phases of the other k − 1 targets (as the fused product of a one-qubit
     * gate and a CZ is, or a controlled gate given as a full matrix).
     */
    static double[] multiplexed(Random rnd, int k, int selector) {
        int dim = 1 << k;
        int half = dim / 2;
        double[] m = new double[2 * dim * dim];
        for (int v = 0; v < 2; v++) {
            double[] u = switch (rnd.nextInt(3)) {
                case 0 -> diagonalAsMatrix(identityDiagonal(half));
                case 1 -> diagonalAsMatrix(phases(rnd, half));
                default -> unitary(rnd, half);
            };
            for (int r = 0; r < half; r++) {
                for (int c = 0; c < half; c++) {
                    int e = 2 * (insertBit(r, selector, v) * dim + insertBit(c, selector, v));
                    m[e] = u[2 * (r * half + c)];
                    m[e + 1] = u[2 * (r * half + c) + 1];
                }
            }
        }
        return m;
    }

    private static double[] identityDiagonal(int dim) {
        double[] d = new double[2 * dim];
        for (int i = 0; i < dim; i++) {
            d[2 * i] = 1;
        }
        return d;
    }

    private static int insertBit(int x, int at, int bit) {
        return (x >>> at) << (at + 1) | bit << at | (x & ((1 << at) - 1));
    }

    /** {@code count} distinct qubits out of n, in random order. */
    static int[] distinctQubits(Random rnd, int n, int count) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        Collections.shuffle(all, rnd);
        return all.subList(0, count).stream().mapToInt(Integer::intValue).toArray();
    }
}
