package dev.qfed.emulator.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GateFuserTest {

    /** The circuit's unitary by definition: each gate applied to each basis state. */
    static double[][] unitary(int n, List<UnitaryGate> gates) {
        int dim = 1 << n;
        double[][] columns = new double[dim][];
        for (int b = 0; b < dim; b++) {
            double[] v = new double[2 * dim];
            v[2 * b] = 1;
            for (UnitaryGate g : gates) {
                v = apply(n, g, v);
            }
            columns[b] = v;
        }
        return columns;
    }

    private static double[] apply(int n, UnitaryGate g, double[] v) {
        double[] out = v.clone();
        int k = g.targets().length;
        int gd = 1 << k;
        for (int i = 0; i < (1 << n); i++) {
            boolean active = true;
            for (int j = 0; j < g.controls().length; j++) {
                active &= ((i >>> g.controls()[j]) & 1) == ((g.controlValues() >>> j) & 1);
            }
            if (!active) {
                continue;
            }
            int row = 0;
            for (int j = 0; j < k; j++) {
                row |= ((i >>> g.targets()[j]) & 1) << j;
            }
            double re = 0;
            double im = 0;
            for (int col = 0; col < gd; col++) {
                int src = i;
                for (int j = 0; j < k; j++) {
                    src = (src & ~(1 << g.targets()[j])) | (((col >>> j) & 1) << g.targets()[j]);
                }
                double mr;
                double mi;
                if (g.diagonal()) {
                    mr = row == col ? g.matrix()[2 * row] : 0;
                    mi = row == col ? g.matrix()[2 * row + 1] : 0;
                } else {
                    mr = g.matrix()[2 * (row * gd + col)];
                    mi = g.matrix()[2 * (row * gd + col) + 1];
                }
                re += mr * v[2 * src] - mi * v[2 * src + 1];
                im += mr * v[2 * src + 1] + mi * v[2 * src];
            }
            out[2 * i] = re;
            out[2 * i + 1] = im;
        }
        return out;
    }

    static double[] randomUnitary(Random rnd, int dim) {
        // a product of random 2x2 rotations on random pairs of basis states, then random phases: unitary
        double[] m = new double[2 * dim * dim];
        for (int i = 0; i < dim; i++) {
            m[2 * (i * dim + i)] = 1;
        }
        for (int step = 0; step < 3 * dim; step++) {
            int a = rnd.nextInt(dim);
            int b = rnd.nextInt(dim);
            if (a == b) {
                continue;
            }
            double t = rnd.nextDouble() * Math.PI;
            double p = rnd.nextDouble() * 2 * Math.PI;
            double c = Math.cos(t);
            double s = Math.sin(t);
            for (int col = 0; col < dim; col++) {
                double ar = m[2 * (a * dim + col)];
                double ai = m[2 * (a * dim + col) + 1];
                double br = m[2 * (b * dim + col)];
                double bi = m[2 * (b * dim + col) + 1];
                // row a = c·a − s·e^{ip}·b, row b = s·e^{-ip}·a + c·b
                m[2 * (a * dim + col)] = c * ar - s * (Math.cos(p) * br - Math.sin(p) * bi);
                m[2 * (a * dim + col) + 1] = c * ai - s * (Math.cos(p) * bi + Math.sin(p) * br);
                m[2 * (b * dim + col)] = s * (Math.cos(p) * ar + Math.sin(p) * ai) + c * br;
                m[2 * (b * dim + col) + 1] = s * (Math.cos(p) * ai - Math.sin(p) * ar) + c * bi;
            }
        }
        return m;
    }

    static List<UnitaryGate> randomCircuit(Random rnd, int n, int count) {
        List<UnitaryGate> gates = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int k = 1 + rnd.nextInt(Math.min(3, n));
            int c = Math.min(n - k, rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(2) : 0);
            List<Integer> qs = new ArrayList<>();
            for (int q = 0; q < n; q++) {
                qs.add(q);
            }
            Collections.shuffle(qs, rnd);
            int[] targets = qs.subList(0, k).stream().mapToInt(Integer::intValue).toArray();
            int[] controls = qs.subList(k, k + c).stream().mapToInt(Integer::intValue).toArray();
            int cv = rnd.nextInt(1 << c);
            if (rnd.nextInt(3) == 0) {
                double[] d = new double[2 << k];
                for (int j = 0; j < (1 << k); j++) {
                    double a = rnd.nextDouble() * 2 * Math.PI;
                    d[2 * j] = Math.cos(a);
                    d[2 * j + 1] = Math.sin(a);
                }
                gates.add(new UnitaryGate(controls, cv, targets, d, true));
            } else {
                gates.add(new UnitaryGate(controls, cv, targets, randomUnitary(rnd, 1 << k), false));
            }
        }
        return gates;
    }

    static Stream<Arguments> widthsAndSeeds() {
        List<Arguments> out = new ArrayList<>();
        for (int width = 0; width <= 5; width++) {
            for (int seed = 1; seed <= 5; seed++) {
                out.add(Arguments.of(width, seed));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "width {0}, seed {1}")
    @MethodSource("widthsAndSeeds")
    void fusionPreservesTheCircuitsUnitary(int width, int seed) {
        Random rnd = new Random(seed);
        int n = 6;
        List<UnitaryGate> gates = randomCircuit(rnd, n, 60);
        FusedCircuit fused = new GateFuser(width).fuse(gates);
        double[][] expected = unitary(n, gates);
        double[][] actual = unitary(n, fused.gates());
        for (int c = 0; c < expected.length; c++) {
            for (int e = 0; e < expected[c].length; e++) {
                assertThat(Math.abs(actual[c][e] - expected[c][e])).as("column %d element %d", c, e)
                        .isLessThan(1e-10);
            }
        }
        assertThat(fused.inputGates()).isEqualTo(60);
        assertThat(fused.passes()).isLessThanOrEqualTo(60);
        if (width == 0) {
            assertThat(fused.gates()).isEqualTo(gates);
        }
        if (width >= 2) {
            assertThat(fused.passes()).as("fusion merges something").isLessThan(60);
        }
        GateFuser fuser = new GateFuser(width);
        for (UnitaryGate g : fused.gates()) {
            int qubits = g.targets().length + g.controls().length;
            boolean original = gates.contains(g);
            assertThat(original || qubits <= (g.diagonal() ? fuser.maxDiagonalQubits() : fuser.maxQubits()))
                    .as("%s is an input gate or within the width limit", g).isTrue();
        }
    }

    @Test
    void singleQubitGatesFoldIntoTheirNeighbouringTwoQubitGate() {
        double h = 1 / Math.sqrt(2);
        double[] hadamard = {h, 0, h, 0, h, 0, -h, 0};
        double[] x = {0, 0, 1, 0, 1, 0, 0, 0};
        List<UnitaryGate> gates = List.of(
                UnitaryGate.dense(new int[] {0}, hadamard),
                UnitaryGate.dense(new int[] {1}, hadamard),
                new UnitaryGate(new int[] {0}, 1, new int[] {1}, x, false),
                UnitaryGate.dense(new int[] {1}, hadamard),
                UnitaryGate.dense(new int[] {5}, hadamard));
        FusedCircuit fused = new GateFuser(2).fuse(gates);
        assertThat(fused.passes()).isEqualTo(2);
        assertThat(fused.merged()).isEqualTo(1);
        assertThat(fused.gates().get(0).targets()).containsExactly(0, 1);
        assertThat(fused.gates().get(1)).isSameAs(gates.get(4));
    }

    @Test
    void diagonalGatesFuseIntoOneWideDiagonal() {
        List<UnitaryGate> gates = new ArrayList<>();
        double[] t = {1, 0, Math.cos(Math.PI / 4), Math.sin(Math.PI / 4)};
        double[] cz = {1, 0, 1, 0, 1, 0, -1, 0};
        for (int q = 0; q < 6; q++) {
            gates.add(UnitaryGate.diagonal(new int[] {q}, t));
        }
        for (int q = 0; q < 5; q++) {
            gates.add(UnitaryGate.diagonal(new int[] {q, q + 1}, cz));
        }
        FusedCircuit fused = new GateFuser(2).fuse(gates);
        assertThat(fused.passes()).isEqualTo(1);
        assertThat(fused.gates().get(0).diagonal()).isTrue();
        assertThat(fused.gates().get(0).targets()).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void aGateWiderThanTheLimitStaysAsItIs() {
        double[] m = randomUnitary(new Random(1), 16);
        UnitaryGate wide = UnitaryGate.dense(new int[] {0, 1, 2, 3}, m);
        FusedCircuit fused = new GateFuser(2).fuse(List.of(wide));
        assertThat(fused.gates()).containsExactly(wide);
    }

    @Test
    void widthsOutsideTheKernelsRangeAreRejected() {
        assertThatThrownBy(() -> new GateFuser(7)).hasMessageContaining("0 (off) to 6 qubits, got 7");
        assertThatThrownBy(() -> new GateFuser(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
