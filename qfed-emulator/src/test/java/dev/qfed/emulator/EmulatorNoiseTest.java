package dev.qfed.emulator;

import static dev.qfed.emulator.TestPrecision.tolerance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.StandardGate;
import dev.qfed.emulator.noise.DeviceDescription;
import dev.qfed.emulator.noise.NoiseModel;
import dev.qfed.emulator.state.Precision;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class EmulatorNoiseTest {
    /** A very noisy 3-qubit device, so that every noise mechanism moves the distribution visibly. */
    static final DeviceDescription NOISY = DeviceDescription.parse("""
            {
              "name": "rough-3", "num_qubits": 3, "timestamp": "2026-11-02T09:00:00Z", "firmware_version": "t",
              "native_gates": ["sx", "rz", "cx"],
              "qubits": [
                {"t1_us": 20, "t2_us": 15, "readout_p1_given_0": 0.05, "readout_p0_given_1": 0.08},
                {"t1_us": 30, "t2_us": 50, "readout_p1_given_0": 0.02, "readout_p0_given_1": 0.10},
                {"t1_us": 25, "t2_us": 25, "readout_p1_given_0": 0.07, "readout_p0_given_1": 0.03}
              ],
              "gates": [{"gate": "cx", "qubits": [0, 1], "error": 0.06, "duration_ns": 1500}],
              "defaults": {"error_1q": 0.02, "error_2q": 0.08, "duration_1q_ns": 400, "duration_2q_ns": 2000}
            }
            """, "rough-3.json");
    private static final long SHOTS = 30_000;

    private final Emulator emulator = new Emulator(new EmulatorOptions(2, TestPrecision.PRECISION, 1L << 30));

    static Circuit terminalCircuit() {
        return CircuitBuilder.of(3, 3).h(0).cx(0, 1).gate(StandardGate.CCX, List.of(0, 1, 2)).sx(2).rx(0.7, 1)
                .cx(2, 0).measureAll().build();
    }

    static Circuit midCircuit() {
        return CircuitBuilder.of(3, 4).h(0).cx(0, 1).measure(0, 0)
                .when(List.of(0), 1, b -> b.x(2))
                .reset(1).sx(1).h(0)
                .measure(0, 1).measure(1, 2).measure(2, 3).build();
    }

    @Test
    void trajectoriesReproduceTheDensityMatrixDistributionWithTerminalMeasurements() {
        assertMatchesDensityMatrix(terminalCircuit(), 21);
    }

    @Test
    void trajectoriesReproduceTheDensityMatrixDistributionWithMidCircuitMeasurementResetAndConditional() {
        assertMatchesDensityMatrix(midCircuit(), 22);
    }

    private void assertMatchesDensityMatrix(Circuit circuit, long seed) {
        Map<String, Double> exact = DensityMatrixReference.distribution(circuit, NoiseModel.of(NOISY));
        Map<String, Double> ideal = emulator.probabilities(circuit).byBitstring();
        assertThat(totalVariation(exact, ideal)).as("the noise changes the distribution").isGreaterThan(0.05);
        RunResult run = emulator.run(circuit, new RunRequest(SHOTS, seed, java.util.Optional.of(NOISY), false));
        assertThat(run.stats().trajectories()).isEqualTo(SHOTS);
        assertThat(ChiSquare.fits(run.counts(), exact, SHOTS)).as("counts %s vs exact %s", run.counts(), exact)
                .isTrue();
        assertThat(ChiSquare.fits(run.counts(), ideal, SHOTS)).as("counts fit the ideal distribution").isFalse();
    }

    @Test
    void depolarizingNoiseOnSeveralQubitsIsUniformOverTheirNonIdentityPaulis() {
        DeviceDescription depolarizingOnly = DeviceDescription.parse(NOISY.toJson()
                .replaceAll("\"(readout_p1_given_0|readout_p0_given_1|error_1q)\" : [0-9.]+", "\"$1\" : 0")
                .replaceAll("\"error_2q\" : [0-9.]+", "\"error_2q\" : 0.4")
                .replaceAll("\"error\" : [0-9.]+", "\"error\" : 0.6")
                .replaceAll("\"(duration_ns|duration_1q_ns|duration_2q_ns)\" : [0-9.]+", "\"$1\" : 0"), "dep");
        Circuit c = CircuitBuilder.of(3, 3).cx(0, 1).measureAll().build();
        Map<String, Double> exact = DensityMatrixReference.distribution(c, NoiseModel.of(depolarizingOnly));
        assertThat(exact.get("011")).isCloseTo(0.6 * 4 / 15, within(tolerance(1e-12)));
        RunResult run = emulator.run(c, RunRequest.of(SHOTS, 23).withNoise(depolarizingOnly));
        assertThat(ChiSquare.fits(run.counts(), exact, SHOTS)).as("counts %s vs exact %s", run.counts(), exact)
                .isTrue();
        Circuit toffoli = CircuitBuilder.of(3, 3).gate(StandardGate.CCX, List.of(0, 1, 2)).measureAll().build();
        exact = DensityMatrixReference.distribution(toffoli, NoiseModel.of(depolarizingOnly));
        run = emulator.run(toffoli, RunRequest.of(SHOTS, 24).withNoise(depolarizingOnly));
        assertThat(ChiSquare.fits(run.counts(), exact, SHOTS)).as("counts %s vs exact %s", run.counts(), exact)
                .isTrue();
    }

    @Test
    void noisyCountsAndMemoryAreIdenticalAtOneToFourThreads() {
        EmulatorRunTest.assertSameAtEveryThreadCount(midCircuit(),
                RunRequest.of(1500, 31).withNoise(NOISY).withMemory(true), 1500);
        EmulatorRunTest.assertSameAtEveryThreadCount(terminalCircuit(),
                RunRequest.of(1500, 32).withNoise(NOISY).withMemory(true), 1500);
    }

    @Test
    void aDeviceWithoutNoiseGivesTheIdealShotsFromOneSimulation() {
        DeviceDescription quiet = DeviceDescription.parse(NOISY.toJson()
                .replaceAll("\"(readout_p1_given_0|readout_p0_given_1|error|error_1q|error_2q)\" : [0-9.]+",
                        "\"$1\" : 0")
                .replaceAll("\"(duration_ns|duration_1q_ns|duration_2q_ns)\" : [0-9.]+", "\"$1\" : 0"), "quiet");
        RunResult noisy = emulator.run(terminalCircuit(), RunRequest.of(2000, 5).withNoise(quiet).withMemory(true));
        RunResult ideal = emulator.run(terminalCircuit(), RunRequest.of(2000, 5).withMemory(true));
        assertThat(noisy.stats().trajectories()).isEqualTo(1);
        assertThat(noisy.memory()).isEqualTo(ideal.memory());
    }

    @Test
    void readoutErrorAloneFlipsTheReadBitAtItsRate() {
        DeviceDescription readoutOnly = DeviceDescription.parse(NOISY.toJson()
                .replaceAll("\"(error|error_1q|error_2q)\" : [0-9.]+", "\"$1\" : 0")
                .replaceAll("\"(duration_ns|duration_1q_ns|duration_2q_ns)\" : [0-9.]+", "\"$1\" : 0"), "ro");
        Circuit circuit = CircuitBuilder.of(1, 1).x(0).measure(0, 0).build();
        RunResult run = emulator.run(circuit, RunRequest.of(SHOTS, 8).withNoise(readoutOnly));
        assertThat(run.stats().trajectories()).isEqualTo(1); // sampled once, misread per shot
        assertThat(ChiSquare.fits(run.counts(), Map.of("0", 0.08, "1", 0.92), SHOTS)).as("%s", run.counts()).isTrue();
    }

    @Test
    void aCircuitWiderThanTheDeviceIsInvalid() {
        Circuit wide = CircuitBuilder.of(4, 0).h(3).build();
        assertThatThrownBy(() -> emulator.run(wide, RunRequest.of(1, 1).withNoise(NOISY)))
                .isInstanceOfSatisfying(EmulatorException.class,
                        e -> assertThat(e.kind()).isEqualTo(EmulatorException.Kind.INVALID_CIRCUIT))
                .hasMessageContaining("the circuit has 4 qubits but device 'rough-3' has 3");
    }

    @Test
    void theSharedPrefixEndsAtTheFirstNoisyGate() {
        // rz is calibrated as free on this device: the two rz gates are simulated once, the rest per shot
        DeviceDescription virtualZ = DeviceDescription.parse(NOISY.toJson().replace("\"gates\" : [ {",
                "\"gates\" : [ {\"gate\" : \"rz\", \"qubits\" : [ 0 ], \"error\" : 0, \"duration_ns\" : 0}, {"),
                "vz");
        Circuit c = CircuitBuilder.of(1, 1).gate(StandardGate.RZ, List.of(0), 0.3)
                .gate(StandardGate.RZ, List.of(0), 0.2).h(0).measure(0, 0).build();
        RunResult run = emulator.run(c, RunRequest.of(10, 1).withNoise(virtualZ));
        assertThat(run.stats().sharedPrefixGates()).isEqualTo(2);
        assertThat(run.stats().trajectories()).isEqualTo(10);
    }

    private static double totalVariation(Map<String, Double> a, Map<String, Double> b) {
        Map<String, Double> diff = new TreeMap<>(a);
        b.forEach((k, v) -> diff.merge(k, -v, Double::sum));
        return diff.values().stream().mapToDouble(Math::abs).sum() / 2;
    }
}
