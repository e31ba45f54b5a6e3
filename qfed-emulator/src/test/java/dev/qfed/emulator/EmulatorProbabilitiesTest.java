package dev.qfed.emulator;

import static dev.qfed.emulator.TestPrecision.tolerance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.ComplexMatrix;
import dev.qfed.circuit.Condition;
import dev.qfed.circuit.Conditional;
import dev.qfed.circuit.Measure;
import dev.qfed.circuit.Operation;
import dev.qfed.emulator.state.Precision;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmulatorProbabilitiesTest {
    private final Emulator emulator = new Emulator(new EmulatorOptions(2, TestPrecision.PRECISION, 1L << 30));

    @Test
    void aGhzStateGivesAllZerosOrAllOnes() {
        Probabilities p = emulator.probabilities(CircuitBuilder.of(3, 3).h(0).cx(0, 1).cx(1, 2).measureAll().build());
        assertThat(p.numClbits()).isEqualTo(3);
        assertThat(p.byBitstring()).containsOnlyKeys("000", "111");
        assertThat(p.get("000")).isCloseTo(0.5, within(tolerance(1e-15)));
        assertThat(p.get("111")).isCloseTo(0.5, within(tolerance(1e-15)));
    }

    @Test
    void classicalBitZeroIsTheRightmostCharacterAndUnmeasuredBitsReadZero() {
        assertThat(emulator.probabilities(CircuitBuilder.of(2, 3).x(0).measure(0, 0).build()).byBitstring())
                .containsExactly(Map.entry("001", 1.0));
        assertThat(emulator.probabilities(CircuitBuilder.of(2, 3).x(0).measure(0, 2).build()).byBitstring())
                .containsExactly(Map.entry("100", 1.0));
    }

    @Test
    void aClassicalBitMeasuredTwiceKeepsTheLaterMeasurement() {
        Probabilities p = emulator.probabilities(CircuitBuilder.of(2, 1).x(0).measure(0, 0).measure(1, 0).build());
        assertThat(p.byBitstring()).containsExactly(Map.entry("0", 1.0));
    }

    @Test
    void aCircuitWithoutClassicalBitsHasTheEmptyStringOnly() {
        assertThat(emulator.probabilities(CircuitBuilder.of(2, 0).h(0).build()).byBitstring())
                .containsExactly(Map.entry("", 1.0));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void terminalMeasurementsOfRandomCircuitsMatchTheOracle(long seed) {
        int n = 2 + (int) (seed % 4);
        Circuit unitary = RandomCircuits.unitary(seed, n, 20);
        Random rnd = new Random(seed);
        List<Integer> clbits = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            clbits.add(c);
        }
        Collections.shuffle(clbits, rnd);
        int measured = 1 + rnd.nextInt(n);
        List<Operation> ops = new ArrayList<>(unitary.operations());
        for (int q = 0; q < measured; q++) {
            ops.add(new Measure(q, clbits.get(q)));
        }
        Circuit circuit = new Circuit(unitary.qregs(), List.of(dev.qfed.circuit.Register.of("c", n)), List.of(), ops);
        Map<String, Double> expected = oracleDistribution(unitary, n, clbits.subList(0, measured));
        Probabilities actual = emulator.probabilities(circuit);
        assertThat(actual.byBitstring().keySet()).isSubsetOf(expected.keySet());
        expected.forEach((key, p) -> assertThat(actual.get(key)).as(key).isCloseTo(p, within(tolerance(1e-12))));
    }

    @Test
    void aMidCircuitMeasurementSplitsIntoBothOutcomes() {
        Probabilities p = emulator.probabilities(CircuitBuilder.of(1, 2).h(0).measure(0, 0).h(0).measure(0, 1)
                .build());
        assertThat(p.byBitstring()).hasSize(4);
        p.byBitstring().values().forEach(v -> assertThat(v).isCloseTo(0.25, within(tolerance(1e-15))));
    }

    @Test
    void aResetReturnsAnEntangledQubitToZero() {
        Probabilities p = emulator.probabilities(CircuitBuilder.of(2, 2).h(0).cx(0, 1).reset(0).measureAll().build());
        assertThat(p.byBitstring()).containsOnlyKeys("00", "10");
        assertThat(p.get("00")).isCloseTo(0.5, within(tolerance(1e-15)));
        assertThat(p.get("10")).isCloseTo(0.5, within(tolerance(1e-15)));
    }

    @Test
    void teleportationDeliversTheStateWhateverTheCorrections() {
        double theta = 1.1;
        Probabilities p = emulator.probabilities(teleportation(theta));
        double one = Math.pow(Math.sin(theta / 2), 2);
        assertThat(p.byBitstring()).hasSize(8);
        for (String c1c0 : List.of("00", "01", "10", "11")) {
            assertThat(p.get("1" + c1c0)).isCloseTo(one / 4, within(tolerance(1e-14)));
            assertThat(p.get("0" + c1c0)).isCloseTo((1 - one) / 4, within(tolerance(1e-14)));
        }
    }

    @Test
    void anElseBranchRunsWhenTheConditionFails() {
        // if (c0 == 1) x q1 else { x q1; x q2 }: c0 = 0 gives q1 = q2 = 1, c0 = 1 gives q1 = 1 only
        Circuit c = CircuitBuilder.of(3, 3).h(0).measure(0, 0)
                .op(new Conditional(new Condition(List.of(0), 1),
                        List.of(dev.qfed.circuit.GateOperation.of(dev.qfed.circuit.StandardGate.X, List.of(1))),
                        List.of(dev.qfed.circuit.GateOperation.of(dev.qfed.circuit.StandardGate.X, List.of(1)),
                                dev.qfed.circuit.GateOperation.of(dev.qfed.circuit.StandardGate.X, List.of(2)))))
                .measure(1, 1).measure(2, 2).build();
        assertThat(emulator.probabilities(c).byBitstring()).containsOnlyKeys("011", "110");
    }

    @Test
    void tooManyBranchesIsAResourceLimitNamingTheLimit() {
        CircuitBuilder b = CircuitBuilder.of(1, 1);
        for (int i = 0; i < 13; i++) {
            b.h(0).measure(0, 0);
        }
        b.h(0);
        assertThatThrownBy(() -> emulator.probabilities(b.build())).isInstanceOfSatisfying(EmulatorException.class,
                e -> assertThat(e.kind()).isEqualTo(EmulatorException.Kind.RESOURCE_LIMIT))
                .hasMessageContaining("more than 4096 branches").hasMessageContaining("use run with shots");
    }

    @Test
    void impossibleBranchesArePrunedRatherThanCounted() {
        CircuitBuilder b = CircuitBuilder.of(2, 1);
        for (int i = 0; i < 5000; i++) {
            b.x(0).measure(0, 0); // deterministic outcomes: no split
        }
        assertThat(emulator.probabilities(b.build()).byBitstring()).containsExactly(Map.entry("0", 1.0));
    }

    static Circuit teleportation(double theta) {
        return CircuitBuilder.of(3, 3)
                .ry(theta, 0)
                .h(1).cx(1, 2)
                .cx(0, 1).h(0)
                .measure(0, 0).measure(1, 1)
                .when(List.of(1), 1, b -> b.x(2))
                .when(List.of(0), 1, b -> b.z(2))
                .measure(2, 2)
                .build();
    }

    /** Distribution of the measured qubits 0..k-1 (into {@code clbits}) from the oracle's state. */
    static Map<String, Double> oracleDistribution(Circuit unitary, int numClbits, List<Integer> clbits) {
        ComplexMatrix u = UnitaryOracle.unitary(unitary);
        Map<String, Double> out = new TreeMap<>();
        for (int i = 0; i < u.dim(); i++) {
            double p = u.re(i, 0) * u.re(i, 0) + u.im(i, 0) * u.im(i, 0);
            char[] key = "0".repeat(numClbits).toCharArray();
            for (int q = 0; q < clbits.size(); q++) {
                key[numClbits - 1 - clbits.get(q)] = (char) ('0' + ((i >> q) & 1));
            }
            out.merge(new String(key), p, Double::sum);
        }
        out.values().removeIf(p -> p < 1e-15);
        return out;
    }
}
