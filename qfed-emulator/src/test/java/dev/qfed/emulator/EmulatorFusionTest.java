package dev.qfed.emulator;

import static dev.qfed.emulator.TestPrecision.tolerance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.Measure;
import dev.qfed.circuit.Operation;
import dev.qfed.circuit.Register;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmulatorFusionTest {

    private static Emulator emulator(int fusion) {
        return new Emulator(new EmulatorOptions(2, TestPrecision.PRECISION, 1L << 30, fusion));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void everyFusionWidthGivesTheUnfusedState(int fusion) {
        for (long seed = 1; seed <= 4; seed++) {
            Circuit c = RandomCircuits.unitary(seed, 7, 80);
            double[] unfused = emulator(0).statevector(c).amplitudes();
            double[] fused = emulator(fusion).statevector(c).amplitudes();
            assertThat(fused).as("seed %d", seed).containsExactly(unfused, within(tolerance(1e-10)));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 3})
    void fusionTakesFewerPassesAndSamplesTheSameDistribution(int fusion) {
        Circuit unitary = RandomCircuits.unitary(9, 6, 60);
        List<Operation> ops = new ArrayList<>(unitary.operations());
        for (int q = 0; q < 6; q++) {
            ops.add(new Measure(q, q));
        }
        Circuit c = new Circuit(unitary.qregs(), List.of(Register.of("c", 6)), List.of(), ops);
        RunResult run = emulator(fusion).run(c, RunRequest.of(2000, 5));
        RunResult reference = emulator(0).run(c, RunRequest.of(2000, 5));
        assertThat(run.stats().sharedPrefixGates()).isEqualTo(reference.stats().sharedPrefixGates());
        // identity gates take no pass even unfused
        assertThat(reference.stats().sharedPrefixPasses()).isLessThanOrEqualTo(reference.stats().sharedPrefixGates());
        if (fusion > 0) {
            assertThat(run.stats().sharedPrefixPasses()).isLessThan(reference.stats().sharedPrefixPasses());
        }
        // same seed, same distribution up to rounding: the counts agree except for shots on an interval boundary
        long differing = 0;
        for (String key : reference.counts().keySet()) {
            differing += Math.abs(reference.counts().get(key) - run.counts().getOrDefault(key, 0L));
        }
        assertThat(differing).isLessThanOrEqualTo(4);
    }
}
