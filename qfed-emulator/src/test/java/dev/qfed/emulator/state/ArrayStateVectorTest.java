package dev.qfed.emulator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArrayStateVectorTest {

    @Test
    void startsInTheAllZeroState() {
        ArrayStateVector s = new ArrayStateVector(3, 1);
        assertThat(s.toArray()).containsExactly(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(s.normSquared()).isEqualTo(1.0);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void denseKernelMatchesTheDefinitionForRandomMatricesControlsAndStates(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 1 + rnd.nextInt(7);
        double[] amps = randomAmplitudes(n, rnd);
        ArrayStateVector s = ArrayStateVector.of(n, amps, 1);
        for (int step = 0; step < 6; step++) {
            List<Integer> qubits = shuffledQubits(n, rnd);
            int k = rnd.nextInt(Math.min(n, 3) + 1);
            int c = rnd.nextInt(n - k + 1);
            int[] targets = qubits.subList(0, k).stream().mapToInt(Integer::intValue).toArray();
            int[] controls = qubits.subList(k, k + c).stream().mapToInt(Integer::intValue).toArray();
            int values = rnd.nextInt(1 << c);
            double[] m = randomDoubles(2 << (2 * k), rnd); // not unitary: the kernel is linear either way
            s.apply(controls, values, targets, m);
            amps = reference(amps, n, controls, values, targets, m);
            assertThat(s.toArray()).containsExactly(amps, within(1e-12));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void diagonalKernelEqualsTheDenseKernelWithThatDiagonal(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 2 + rnd.nextInt(5);
        double[] amps = randomAmplitudes(n, rnd);
        List<Integer> qubits = shuffledQubits(n, rnd);
        int k = 1 + rnd.nextInt(Math.min(n, 3));
        int c = rnd.nextInt(n - k + 1);
        int[] targets = qubits.subList(0, k).stream().mapToInt(Integer::intValue).toArray();
        int[] controls = qubits.subList(k, k + c).stream().mapToInt(Integer::intValue).toArray();
        int values = rnd.nextInt(1 << c);
        double[] diag = randomDoubles(2 << k, rnd);
        double[] dense = new double[2 << (2 * k)];
        for (int j = 0; j < (1 << k); j++) {
            dense[2 * (j * (1 << k) + j)] = diag[2 * j];
            dense[2 * (j * (1 << k) + j) + 1] = diag[2 * j + 1];
        }
        ArrayStateVector viaDiagonal = ArrayStateVector.of(n, amps, 1);
        ArrayStateVector viaDense = ArrayStateVector.of(n, amps, 1);
        viaDiagonal.applyDiagonal(controls, values, targets, diag);
        viaDense.apply(controls, values, targets, dense);
        assertThat(viaDiagonal.toArray()).containsExactly(viaDense.toArray(), within(1e-14));
    }

    @Test
    void globalPhaseRotatesEveryAmplitude() {
        ArrayStateVector s = ArrayStateVector.of(1, new double[] {1, 0, 0, 1}, 1);
        s.applyGlobalPhase(Math.PI / 2);
        assertThat(s.toArray()).containsExactly(new double[] {0, 1, -1, 0}, within(1e-15));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void probabilitiesAndMarginalsAgreeWithDirectSums(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 1 + rnd.nextInt(14);
        double[] amps = randomAmplitudes(n, rnd);
        ArrayStateVector s = ArrayStateVector.of(n, amps, 1);
        double norm = 0;
        for (int i = 0; i < amps.length; i += 2) {
            norm += amps[i] * amps[i] + amps[i + 1] * amps[i + 1];
        }
        assertThat(s.normSquared()).isCloseTo(norm, within(1e-12));
        for (int q = 0; q < n; q++) {
            double p1 = 0;
            for (int i = 0; i < (1 << n); i++) {
                if ((i >> q & 1) == 1) {
                    p1 += amps[2 * i] * amps[2 * i] + amps[2 * i + 1] * amps[2 * i + 1];
                }
            }
            assertThat(s.probabilityOfOne(q)).isCloseTo(p1, within(1e-12));
        }
        int[] qubits = shuffledQubits(n, rnd).subList(0, 1 + rnd.nextInt(n)).stream().mapToInt(i -> i).toArray();
        double[] expected = new double[1 << qubits.length];
        for (int i = 0; i < (1 << n); i++) {
            int x = 0;
            for (int j = 0; j < qubits.length; j++) {
                x |= (i >> qubits[j] & 1) << j;
            }
            expected[x] += amps[2 * i] * amps[2 * i] + amps[2 * i + 1] * amps[2 * i + 1];
        }
        assertThat(s.probabilities(qubits)).containsExactly(expected, within(1e-12));
    }

    @Test
    void collapseKeepsTheChosenOutcomeAndRenormalises() {
        double h = Math.sqrt(0.5);
        ArrayStateVector s = ArrayStateVector.of(2, new double[] {h, 0, 0, 0, 0, 0, h, 0}, 1); // Bell state
        double p1 = s.probabilityOfOne(0);
        assertThat(p1).isCloseTo(0.5, within(1e-15));
        s.collapse(0, 1, p1);
        assertThat(s.toArray()).containsExactly(new double[] {0, 0, 0, 0, 0, 0, 1, 0}, within(1e-15));
        assertThatThrownBy(() -> s.collapse(0, 0, 0.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("probability 0.0");
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 13, 15})
    void samplingInvertsTheCumulativeDistributionAndNeverPicksAnImpossibleState(int n) {
        SplittableRandom rnd = new SplittableRandom(n);
        double[] amps = randomAmplitudes(n, rnd);
        for (int i = 0; i < (1 << n); i++) { // zero out two thirds of the states, including the last one
            if (i % 3 != 1) {
                amps[2 * i] = 0;
                amps[2 * i + 1] = 0;
            }
        }
        ArrayStateVector s = ArrayStateVector.of(n, amps, 1);
        double total = s.normSquared();
        double[] u = new double[2000];
        for (int j = 0; j < u.length; j++) {
            u[j] = rnd.nextDouble();
        }
        u[0] = 0;
        u[1] = Math.nextDown(1.0);
        Arrays.sort(u);
        long[] out = new long[u.length];
        s.sample(u, out);
        double[] cumulative = new double[(1 << n) + 1];
        for (int i = 0; i < (1 << n); i++) {
            cumulative[i + 1] = cumulative[i] + amps[2 * i] * amps[2 * i] + amps[2 * i + 1] * amps[2 * i + 1];
        }
        for (int j = 0; j < u.length; j++) {
            int i = (int) out[j];
            assertThat(i % 3).as("sampled state %d has probability zero", i).isEqualTo(1);
            double t = u[j] * total;
            assertThat(t).isBetween(cumulative[i] - 1e-12, cumulative[i + 1] + 1e-12);
        }
        assertThat(out[0]).isEqualTo(1);
        int lastPossible = (1 << n) - 1;
        while (lastPossible % 3 != 1) {
            lastPossible--;
        }
        assertThat(out[out.length - 1]).isEqualTo(lastPossible);
    }

    @Test
    void everyResultIsBitIdenticalAtAnyThreadCount() {
        int n = 16; // above the serial threshold, so the pool splits the work
        double[] start = randomAmplitudes(n, new SplittableRandom(7));
        List<double[]> states = new ArrayList<>();
        List<double[]> reductions = new ArrayList<>();
        List<long[]> samples = new ArrayList<>();
        for (int threads = 1; threads <= 4; threads++) {
            SplittableRandom rnd = new SplittableRandom(99);
            ArrayStateVector s = ArrayStateVector.of(n, start, threads);
            for (int step = 0; step < 20; step++) {
                List<Integer> qubits = shuffledQubits(n, rnd);
                int k = 1 + rnd.nextInt(3);
                s.apply(new int[] {qubits.get(k)}, 1, qubits.subList(0, k).stream().mapToInt(i -> i).toArray(),
                        randomDoubles(2 << (2 * k), rnd));
                double norm = Math.sqrt(s.normSquared());
                s.applyDiagonal(new int[0], 0, new int[] {qubits.get(5)}, new double[] {1 / norm, 0, 1 / norm, 0});
            }
            double p = s.probabilityOfOne(3);
            s.collapse(3, 1, p);
            reductions.add(new double[] {p, s.normSquared(), s.probabilityOfOne(15)});
            reductions.add(s.probabilities(new int[] {2, 9, 14}));
            double[] u = new double[500];
            for (int j = 0; j < u.length; j++) {
                u[j] = rnd.nextDouble();
            }
            Arrays.sort(u);
            long[] out = new long[u.length];
            s.sample(u, out);
            samples.add(out);
            states.add(s.toArray());
        }
        for (int t = 1; t < 4; t++) {
            assertThat(states.get(t)).isEqualTo(states.get(0));
            assertThat(reductions.get(2 * t)).isEqualTo(reductions.get(0));
            assertThat(reductions.get(2 * t + 1)).isEqualTo(reductions.get(1));
            assertThat(samples.get(t)).isEqualTo(samples.get(0));
        }
    }

    @Test
    void aCopyIsIndependentAndCopyFromRestoresIt() {
        ArrayStateVector s = new ArrayStateVector(2, 1);
        StateVector copy = s.copy();
        s.apply(new int[0], 0, new int[] {1}, new double[] {0, 0, 1, 0, 1, 0, 0, 0}); // X on qubit 1
        assertThat(copy.amplitude(0)).containsExactly(1, 0);
        assertThat(s.amplitude(2)).containsExactly(1, 0);
        s.copyFrom(copy);
        assertThat(s.amplitude(0)).containsExactly(1, 0);
        assertThat(s.amplitude(2)).containsExactly(0, 0);
    }

    @Test
    void rejectsRepeatedOrOutOfRangeQubitsWithTheirIndices() {
        ArrayStateVector s = new ArrayStateVector(3, 1);
        double[] x = {0, 0, 1, 0, 1, 0, 0, 0};
        assertThatThrownBy(() -> s.apply(new int[] {1}, 1, new int[] {1}, x))
                .hasMessageContaining("qubit 1 appears twice");
        assertThatThrownBy(() -> s.apply(new int[0], 0, new int[] {3}, x))
                .hasMessageContaining("qubit 3 is out of range for a 3-qubit state");
        assertThatThrownBy(() -> s.apply(new int[0], 0, new int[] {0, 1}, x))
                .hasMessageContaining("has 32 doubles, got 8");
    }

    @Test
    void refusesMoreQubitsThanOneJavaArrayHolds() {
        assertThatThrownBy(() -> new ArrayStateVector(30, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 to 29 qubits");
    }

    @Test
    void theFactoryMakesADoublePrecisionZeroState() {
        StateVector s = StateVectors.create(2, Precision.DOUBLE, 1);
        assertThat(s.precision()).isEqualTo(Precision.DOUBLE);
        assertThat(s.amplitude(0)).containsExactly(1, 0);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** The definition: out[i] = Σ_c M[r(i)][c] · a[i with its target bits set to c] where the controls match. */
    static double[] reference(double[] a, int n, int[] controls, int values, int[] targets, double[] m) {
        int dim = 1 << targets.length;
        double[] out = a.clone();
        for (int i = 0; i < (1 << n); i++) {
            boolean active = true;
            for (int j = 0; j < controls.length; j++) {
                active &= (i >> controls[j] & 1) == (values >> j & 1);
            }
            if (!active) {
                continue;
            }
            int r = 0;
            int cleared = i;
            for (int b = 0; b < targets.length; b++) {
                r |= (i >> targets[b] & 1) << b;
                cleared &= ~(1 << targets[b]);
            }
            double re = 0;
            double im = 0;
            for (int c = 0; c < dim; c++) {
                int src = cleared;
                for (int b = 0; b < targets.length; b++) {
                    src |= (c >> b & 1) << targets[b];
                }
                double mr = m[2 * (r * dim + c)];
                double mi = m[2 * (r * dim + c) + 1];
                re += mr * a[2 * src] - mi * a[2 * src + 1];
                im += mr * a[2 * src + 1] + mi * a[2 * src];
            }
            out[2 * i] = re;
            out[2 * i + 1] = im;
        }
        return out;
    }

    static double[] randomAmplitudes(int n, SplittableRandom rnd) {
        double[] a = randomDoubles(2 << n, rnd);
        double norm = 0;
        for (double x : a) {
            norm += x * x;
        }
        double scale = 1 / Math.sqrt(norm);
        for (int i = 0; i < a.length; i++) {
            a[i] *= scale;
        }
        return a;
    }

    static double[] randomDoubles(int length, SplittableRandom rnd) {
        double[] a = new double[length];
        for (int i = 0; i < length; i++) {
            a[i] = rnd.nextDouble(-1, 1);
        }
        return a;
    }

    static List<Integer> shuffledQubits(int n, SplittableRandom rnd) {
        List<Integer> q = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            q.add(i);
        }
        Collections.shuffle(q, new java.util.Random(rnd.nextLong()));
        return q;
    }
}
