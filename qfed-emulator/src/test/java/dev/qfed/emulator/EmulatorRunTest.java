package dev.qfed.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.Measure;
import dev.qfed.circuit.Operation;
import dev.qfed.circuit.Register;
import dev.qfed.emulator.state.Precision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmulatorRunTest {
    private static Emulator emulator(int threads) {
        return new Emulator(new EmulatorOptions(threads, TestPrecision.PRECISION, 1L << 30));
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void sampledCountsFitTheExactDistribution(long seed) {
        Circuit circuit = measured(RandomCircuits.unitary(seed, 4, 25));
        Probabilities exact = emulator(2).probabilities(circuit);
        RunResult run = emulator(2).run(circuit, RunRequest.of(20_000, seed));
        assertThat(run.stats().trajectories()).isEqualTo(1);
        assertThat(run.counts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(20_000);
        assertThat(ChiSquare.fits(run.counts(), exact.byBitstring(), 20_000)).as("counts %s vs %s", run.counts(),
                exact.byBitstring()).isTrue();
    }

    @Test
    void aDistributionThatDiffersIsRejectedByTheFitTest() { // the test above can fail
        Circuit circuit = measured(RandomCircuits.unitary(11, 4, 25));
        Map<String, Double> skewed = new TreeMap<>(emulator(1).probabilities(circuit).byBitstring());
        String first = skewed.keySet().iterator().next();
        String last = ((TreeMap<String, Double>) skewed).lastKey();
        double shift = Math.min(skewed.get(first), 0.05);
        skewed.merge(first, -shift, Double::sum);
        skewed.merge(last, shift, Double::sum);
        RunResult run = emulator(1).run(circuit, RunRequest.of(20_000, 11));
        assertThat(ChiSquare.fits(run.counts(), skewed, 20_000)).isFalse();
    }

    @Test
    void trajectoriesOfACircuitWithMidCircuitMeasurementsFitTheExactDistribution() {
        Circuit circuit = EmulatorProbabilitiesTest.teleportation(2.2);
        RunResult run = emulator(2).run(circuit, RunRequest.of(20_000, 5));
        assertThat(run.stats().trajectories()).isEqualTo(20_000);
        assertThat(run.stats().sharedPrefixGates()).isEqualTo(5); // ry, h, cx, cx, h before the first measurement
        assertThat(ChiSquare.fits(run.counts(), emulator(1).probabilities(circuit).byBitstring(), 20_000)).isTrue();
    }

    @Test
    void memoryListsEachShotAndAgreesWithTheCounts() {
        Circuit circuit = CircuitBuilder.of(2, 2).h(0).cx(0, 1).measureAll().build();
        RunResult run = emulator(1).run(circuit, RunRequest.of(1000, 3).withMemory(true));
        assertThat(run.memory()).isPresent();
        List<String> memory = run.memory().orElseThrow();
        assertThat(memory).hasSize(1000).allMatch(s -> s.equals("00") || s.equals("11"));
        Map<String, Long> tally = new TreeMap<>();
        memory.forEach(s -> tally.merge(s, 1L, Long::sum));
        assertThat(tally).isEqualTo(run.counts());
        assertThat(emulator(1).run(circuit, RunRequest.of(1000, 3)).memory()).isEmpty();
    }

    @Test
    void aCircuitWithoutClassicalBitsCountsTheEmptyString() {
        RunResult run = emulator(1).run(CircuitBuilder.of(1, 0).h(0).build(), RunRequest.of(7, 1).withMemory(true));
        assertThat(run.counts()).containsExactly(Map.entry("", 7L));
        assertThat(run.memory().orElseThrow()).containsOnly("");
    }

    @Test
    void aCircuitWithoutQubitsStillRunsAndReadsZeros() {
        Circuit empty = CircuitBuilder.of(0, 2).build();
        assertThat(emulator(1).run(empty, RunRequest.of(5, 1)).counts()).containsExactly(Map.entry("00", 5L));
        assertThat(emulator(1).statevector(empty).amplitudes()).containsExactly(1, 0);
    }

    @Test
    void theExampleDevicesRunACircuitWithNoise() {
        Circuit ghz = CircuitBuilder.of(3, 3).h(0).cx(0, 1).cx(1, 2).measureAll().build();
        for (String name : dev.qfed.emulator.noise.DeviceDescription.EXAMPLES) {
            RunResult run = emulator(2).run(ghz, RunRequest.of(2000, 1)
                    .withNoise(dev.qfed.emulator.noise.DeviceDescription.example(name)));
            long correct = run.counts().getOrDefault("000", 0L) + run.counts().getOrDefault("111", 0L);
            assertThat(correct).as("%s: %s", name, run.counts()).isBetween(1500L, 1999L);
        }
    }

    @Test
    void theSameSeedGivesTheSameShotsAndAnotherSeedOtherShots() {
        Circuit circuit = measured(RandomCircuits.unitary(4, 3, 20));
        RunRequest request = RunRequest.of(500, 77).withMemory(true);
        assertThat(emulator(1).run(circuit, request).memory()).isEqualTo(emulator(1).run(circuit, request).memory());
        assertThat(emulator(1).run(circuit, request).memory())
                .isNotEqualTo(emulator(1).run(circuit, RunRequest.of(500, 78).withMemory(true)).memory());
    }

    @Test
    void countsAndMemoryAreIdenticalAtOneToFourThreadsForSampledCircuits() {
        Circuit circuit = measured(RandomCircuits.unitary(21, 15, 40)); // large enough to split across threads
        assertSameAtEveryThreadCount(circuit, RunRequest.of(3000, 9).withMemory(true), 1);
    }

    @Test
    void countsAndMemoryAreIdenticalAtOneToFourThreadsForTrajectories() {
        assertSameAtEveryThreadCount(EmulatorProbabilitiesTest.teleportation(0.7),
                RunRequest.of(2000, 4).withMemory(true), 2000);
    }

    @Test
    void countsAndMemoryAreIdenticalAtOneToFourThreadsWhenThreadsShareOneLargeState() {
        CircuitBuilder b = CircuitBuilder.of(18, 18);
        for (int q = 0; q < 18; q++) {
            b.h(q);
        }
        b.measure(3, 3).cx(3, 4).rx(0.3, 5).measureAll();
        assertSameAtEveryThreadCount(b.build(), RunRequest.of(12, 8).withMemory(true), 12);
    }

    @Test
    void aSmallMemoryBudgetThatForbidsSharingThePrefixGivesTheSameShots() {
        Circuit circuit = EmulatorProbabilitiesTest.teleportation(0.7);
        RunRequest request = RunRequest.of(300, 6).withMemory(true);
        long oneState = TestPrecision.PRECISION.stateBytes(3);
        RunResult tight = new Emulator(new EmulatorOptions(3, TestPrecision.PRECISION, oneState)).run(circuit, request);
        assertThat(tight.memory()).isEqualTo(emulator(3).run(circuit, request).memory());
    }

    @Test
    void shotsOutsideTheAllowedRangeAreRejected() {
        assertThatThrownBy(() -> RunRequest.of(0, 1)).hasMessageContaining("shots must be between 1 and 100000000");
        assertThatThrownBy(() -> RunRequest.of(100_000_001, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void memoryForMoreShotsThanItAllowsIsAResourceLimit() {
        Circuit circuit = CircuitBuilder.of(1, 1).h(0).measure(0, 0).build();
        assertThatThrownBy(() -> emulator(1).run(circuit, RunRequest.of(2_000_000, 1).withMemory(true)))
                .isInstanceOfSatisfying(EmulatorException.class,
                        e -> assertThat(e.kind()).isEqualTo(EmulatorException.Kind.RESOURCE_LIMIT))
                .hasMessageContaining("at most 1000000 shots");
    }

    static void assertSameAtEveryThreadCount(Circuit circuit, RunRequest request, long trajectories) {
        RunResult first = emulator(1).run(circuit, request);
        assertThat(first.stats().trajectories()).isEqualTo(trajectories);
        for (int threads = 2; threads <= 4; threads++) {
            RunResult other = emulator(threads).run(circuit, request);
            assertThat(other.counts()).as("counts at %d threads", threads).isEqualTo(first.counts());
            assertThat(other.memory()).as("memory at %d threads", threads).isEqualTo(first.memory());
        }
    }

    /** The circuit with every qubit measured into the classical bit of the same index. */
    static Circuit measured(Circuit unitary) {
        List<Operation> ops = new ArrayList<>(unitary.operations());
        for (int q = 0; q < unitary.numQubits(); q++) {
            ops.add(new Measure(q, q));
        }
        return new Circuit(unitary.qregs(), List.of(Register.of("c", unitary.numQubits())), List.of(), ops);
    }
}
