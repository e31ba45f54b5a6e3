package dev.qfed.emulator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmallStateVectorTest {

    @ParameterizedTest(name = "{0} qubits")
    @ValueSource(ints = {1, 2, 3, 5, 8, 10})
    void randomGatesMatchTheReferenceInDoublePrecision(int n) {
        Random rnd = new Random(n);
        SmallStateVector small = new SmallStateVector(n, Precision.DOUBLE);
        ReferenceState ref = new ReferenceState(n);
        List<String> applied = new ArrayList<>();
        for (int g = 0; g < 60; g++) {
            applied.add(FastStateVectorTest.randomGate(rnd, n, small, ref));
            FastStateVectorTest.assertClose(small, ref, 1e-12, "n=" + n + " after " + applied);
        }
        assertThat(small.normSquared()).isCloseTo(1, within(1e-12));
    }

    @Test
    void singlePrecisionHoldsEveryAmplitudeAsAFloat() {
        Random rnd = new Random(3);
        SmallStateVector small = new SmallStateVector(6, Precision.SINGLE);
        ReferenceState ref = new ReferenceState(6);
        for (int g = 0; g < 40; g++) {
            FastStateVectorTest.randomGate(rnd, 6, small, ref);
        }
        small.applyGlobalPhase(0.3);
        ref.applyDiagonal(new int[0], 0, new int[] {0},
                new double[] {Math.cos(0.3), Math.sin(0.3), Math.cos(0.3), Math.sin(0.3)});
        for (double x : small.toArray()) {
            assertThat((double) (float) x).isEqualTo(x);
        }
        FastStateVectorTest.assertClose(small, ref, 1e-5, "single precision");
        assertThat(small.precision()).isEqualTo(Precision.SINGLE);
    }

    @Test
    void reductionsAndSamplingAgreeWithTheArrayState() {
        Random rnd = new Random(11);
        int n = 7;
        SmallStateVector small = new SmallStateVector(n, Precision.DOUBLE);
        ArrayStateVector array = new ArrayStateVector(n, 1);
        for (int g = 0; g < 30; g++) {
            int[] q = RandomGates.distinctQubits(rnd, n, 3);
            double[] m = RandomGates.unitary(rnd, 4);
            small.apply(new int[] {q[2]}, 1, new int[] {q[0], q[1]}, m);
            array.apply(new int[] {q[2]}, 1, new int[] {q[0], q[1]}, m);
        }
        assertThat(small.toArray()).containsExactly(array.toArray());
        for (int q = 0; q < n; q++) {
            assertThat(small.probabilityOfOne(q)).isEqualTo(array.probabilityOfOne(q));
        }
        assertThat(small.normSquared()).isEqualTo(array.normSquared());
        assertThat(small.probabilities(new int[] {4, 0, 6})).containsExactly(array.probabilities(new int[] {4, 0, 6}));
        double[] u = new double[2000];
        for (int i = 0; i < u.length; i++) {
            u[i] = rnd.nextDouble();
        }
        Arrays.sort(u);
        long[] fromSmall = new long[u.length];
        long[] fromArray = new long[u.length];
        small.sample(u, fromSmall);
        array.sample(u, fromArray);
        assertThat(fromSmall).containsExactly(fromArray);
    }

    @Test
    void collapseKeepsTheOutcomeAndRenormalises() {
        SmallStateVector s = new SmallStateVector(2, Precision.DOUBLE);
        double h = 1 / Math.sqrt(2);
        s.apply(new int[0], 0, new int[] {0}, new double[] {h, 0, h, 0, h, 0, -h, 0});
        s.apply(new int[] {0}, 1, new int[] {1}, new double[] {0, 0, 1, 0, 1, 0, 0, 0});
        assertThat(s.probabilityOfOne(1)).isCloseTo(0.5, within(1e-15));
        s.collapse(1, 1, 0.5);
        assertThat(s.amplitude(3)[0]).isCloseTo(1, within(1e-15));
        assertThat(s.normSquared()).isCloseTo(1, within(1e-15));
        s.setZero();
        assertThat(s.toArray()).containsExactly(1, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void badGatesAreRefusedWithoutChangingTheState() {
        SmallStateVector s = new SmallStateVector(3, Precision.DOUBLE);
        double[] before = s.toArray();
        double[] x = {0, 0, 1, 0, 1, 0, 0, 0};
        assertThatThrownBy(() -> s.apply(new int[] {1}, 1, new int[] {1}, x))
                .hasMessageContaining("qubit 1 appears twice");
        assertThatThrownBy(() -> s.applyDiagonal(new int[] {2}, 1, new int[] {3}, new double[] {1, 0, 1, 0}))
                .hasMessageContaining("qubit 3 is out of range for a 3-qubit state");
        assertThatThrownBy(() -> s.apply(new int[0], 0, new int[] {0, 1}, x))
                .hasMessageContaining("a matrix on 2 target(s) has 32 doubles, got 8");
        assertThat(s.toArray()).containsExactly(before);
        assertThatThrownBy(() -> new SmallStateVector(SmallStateVector.MAX_QUBITS + 1, Precision.DOUBLE))
                .hasMessageContaining("a small state holds 0 to " + SmallStateVector.MAX_QUBITS + " qubits");
    }
}
