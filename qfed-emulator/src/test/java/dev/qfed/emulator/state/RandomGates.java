package dev.qfed.emulator.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Seeded random gates for kernel tests. */
final class RandomGates {
    private RandomGates() {
    }

    /** A Haar-ish random unitary of dimension dim: Gram–Schmidt on Gaussian columns, interleaved row-major. */
    static double[] unitary(Random rnd, int dim) {
        double[][] re = new double[dim][dim];
        double[][] im = new double[dim][dim];
        for (int c = 0; c < dim; c++) {
            for (int r = 0; r < dim; r++) {
                re[c][r] = rnd.nextGaussian();
                im[c][r] = rnd.nextGaussian();
            }
            for (int p = 0; p < c; p++) {
                double dr = 0;
                double di = 0;
                for (int r = 0; r < dim; r++) { // <p, c> = Σ conj(p) c
                    dr += re[p][r] * re[c][r] + im[p][r] * im[c][r];
                    di += re[p][r] * im[c][r] - im[p][r] * re[c][r];
                }
                for (int r = 0; r < dim; r++) {
                    re[c][r] -= dr * re[p][r] - di * im[p][r];
                    im[c][r] -= dr * im[p][r] + di * re[p][r];
                }
            }
            double norm = 0;
            for (int r = 0; r < dim; r++) {
                norm += re[c][r] * re[c][r] + im[c][r] * im[c][r];
            }
            norm = Math.sqrt(norm);
            for (int r = 0; r < dim; r++) {
                re[c][r] /= norm;
                im[c][r] /= norm;
            }
        }
        double[] m = new double[2 * dim * dim];
        for (int r = 0; r < dim; r++) {
            for (int c = 0; c < dim; c++) {
                m[2 * (r * dim + c)] = re[c][r];
                m[2 * (r * dim + c) + 1] = im[c][r];
            }
        }
        return m;
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
