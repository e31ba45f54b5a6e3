package dev.qfed.circuit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Test helpers: unitaries of small gate sequences, built independently of the code under test. */
public final class Unitaries {
    private Unitaries() {
    }

    /**
     * The 2^n matrix that applies {@code gate} to {@code qubits} (gate bit j = qubit qubits[j]) and the identity to
     * the rest; a 1x1 gate (gphase) scales everything.
     */
    public static ComplexMatrix embed(ComplexMatrix gate, int n, List<Integer> qubits) {
        int dim = 1 << n;
        int k = qubits.size();
        double[] out = new double[2 * dim * dim];
        for (int col = 0; col < dim; col++) {
            int in = 0;
            int rest = col;
            for (int j = 0; j < k; j++) {
                in |= ((col >>> qubits.get(j)) & 1) << j;
                rest &= ~(1 << qubits.get(j));
            }
            for (int r = 0; r < (1 << k); r++) {
                int row = rest;
                for (int j = 0; j < k; j++) {
                    row |= ((r >>> j) & 1) << qubits.get(j);
                }
                out[2 * (row * dim + col)] += gate.re(r, in);
                out[2 * (row * dim + col) + 1] += gate.im(r, in);
            }
        }
        return ComplexMatrix.of(dim, out);
    }

    static List<Expr> constants(double... values) {
        return Arrays.stream(values).mapToObj(Expr::constant).map(Expr.class::cast).toList();
    }

    static List<Integer> list(int... qubits) {
        return Arrays.stream(qubits).boxed().toList();
    }

    /** Accumulates the unitary of a gate body on n qubits, in program order. */
    static final class Body {
        private final int n;
        private ComplexMatrix acc;

        Body(int n) {
            this.n = n;
            this.acc = ComplexMatrix.identity(1 << n);
        }

        Body gate(StandardGate g, double[] params, int... qubits) {
            return op(new GateOperation(g, constants(params), List.of(), list(qubits)));
        }

        Body gate(StandardGate g, int... qubits) {
            return gate(g, new double[0], qubits);
        }

        Body modified(List<GateModifier> modifiers, StandardGate g, double[] params, int... qubits) {
            return op(new GateOperation(g, constants(params), modifiers, list(qubits)));
        }

        Body op(GateOperation op) {
            acc = embed(op.matrix(), n, op.qubits()).multiply(acc);
            return this;
        }

        ComplexMatrix matrix() {
            return acc;
        }
    }

    /** A Haar-ish random unitary: Gram–Schmidt on a complex Gaussian matrix. */
    public static ComplexMatrix randomUnitary(int dim, Random random) {
        double[][] re = new double[dim][dim];
        double[][] im = new double[dim][dim];
        for (int c = 0; c < dim; c++) {
            for (int r = 0; r < dim; r++) {
                re[c][r] = random.nextGaussian();
                im[c][r] = random.nextGaussian();
            }
            for (int p = 0; p < c; p++) {
                double dr = 0;
                double di = 0;
                for (int r = 0; r < dim; r++) { // <p, c>
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
        double[] d = new double[2 * dim * dim];
        for (int r = 0; r < dim; r++) {
            for (int c = 0; c < dim; c++) {
                d[2 * (r * dim + c)] = re[c][r];
                d[2 * (r * dim + c) + 1] = im[c][r];
            }
        }
        return ComplexMatrix.of(dim, d);
    }

    static double[] randomAngles(int count, Random random) {
        double[] a = new double[count];
        for (int i = 0; i < count; i++) {
            a[i] = (random.nextDouble() * 2 - 1) * 2 * Math.PI;
        }
        return a;
    }

    /** Seeds 1..20 for property tests; use {@code @MethodSource("dev.qfed.circuit.Unitaries#seeds")}. */
    static List<Long> seeds() {
        List<Long> seeds = new ArrayList<>();
        for (long s = 1; s <= 20; s++) {
            seeds.add(s);
        }
        return seeds;
    }
}
