package dev.qfed.agent.emulator;

import dev.qfed.agent.spi.Backend;
import dev.qfed.agent.spi.BackendConformanceTest.TripsAfter;
import dev.qfed.agent.spi.BackendContext;
import dev.qfed.agent.spi.CancellationToken;
import dev.qfed.agent.spi.CircuitSource;
import dev.qfed.agent.spi.ExecutionId;
import dev.qfed.agent.spi.ExecutionRequest;
import dev.qfed.agent.spi.ExecutionResult;
import dev.qfed.circuit.qasm.OpenQasm;
import dev.qfed.circuit.qasm.ParseLimits;
import dev.qfed.emulator.Emulator;
import dev.qfed.emulator.EmulatorOptions;
import dev.qfed.emulator.RunRequest;
import dev.qfed.emulator.noise.DeviceDescription;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EmulatorBackendTest {
    private static final String NOISY_GHZ = """
            OPENQASM 2.0;
            include "qelib1.inc";
            qreg q[3];
            creg c[3];
            h q[0];
            cx q[0], q[1];
            cx q[1], q[2];
            measure q -> c;
            """;

    private static Backend backend(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of("device", "low-noise-5", "threads", 1));
        config.putAll(extra);
        return new EmulatorBackendFactory().create("emu", config, BackendContext.of(Path.of(".")));
    }

    private static ExecutionResult run(Backend b, int shots, long seed, CancellationToken token, String... qasm) {
        List<CircuitSource> circuits = java.util.Arrays.stream(qasm).map(CircuitSource::of).toList();
        return b.execute(new ExecutionRequest(new ExecutionId("job", 1), circuits, shots, seed, token));
    }

    @Test
    void aJobInOneChunkCountsAsTheEmulatorDoesWithTheSameSeed() throws Exception {
        try (Backend b = backend(Map.of())) {
            ExecutionResult.Completed done = (ExecutionResult.Completed) run(b, 700, 99, CancellationToken.NONE,
                    NOISY_GHZ);
            var direct = new Emulator(EmulatorOptions.defaults().withThreads(1)).run(
                    OpenQasm.parse(NOISY_GHZ, "ghz", null, ParseLimits.DEFAULT),
                    RunRequest.of(700, 99).withNoise(DeviceDescription.example("low-noise-5")));
            assertThat(done.circuits().get(0).counts()).isEqualTo(direct.counts());
        }
    }

    @Test
    void aCircuitRunAgainWithOtherParameterValuesIsBoundToTheNewValues() {
        String rotation = """
                OPENQASM 3.0;
                include "stdgates.inc";
                input float theta;
                qubit[1] q;
                bit[1] c;
                rx(theta) q[0];
                c[0] = measure q[0];
                """;
        try (Backend b = backend(Map.of("noise", false))) {
            for (double theta : new double[] {0, Math.PI, 0}) {
                var done = (ExecutionResult.Completed) b.execute(new ExecutionRequest(new ExecutionId("job", 1),
                        List.of(CircuitSource.of(rotation, Map.of("theta", theta))), 50, 3, CancellationToken.NONE));
                assertThat(done.circuits().get(0).counts()).isEqualTo(Map.of(theta == 0 ? "0" : "1", 50L));
            }
        }
    }

    @Test
    void aCircuitRunAgainCountsAsItDidTheFirstTime() {
        try (Backend b = backend(Map.of())) {
            var first = (ExecutionResult.Completed) run(b, 300, 8, CancellationToken.NONE, NOISY_GHZ);
            var other = (ExecutionResult.Completed) run(b, 300, 9, CancellationToken.NONE, NOISY_GHZ);
            var again = (ExecutionResult.Completed) run(b, 300, 8, CancellationToken.NONE, NOISY_GHZ);
            assertThat(again.circuits()).isEqualTo(first.circuits());
            assertThat(other.circuits()).isNotEqualTo(first.circuits());
        }
    }

    @ParameterizedTest(name = "shot_chunk {0}")
    @ValueSource(ints = {1, 7, 100, 999, 1000, 5000})
    void chunkedRunsAddUpToTheShotsAndReproduce(int chunk) {
        try (Backend b = backend(Map.of("shot_chunk", chunk))) {
            var first = (ExecutionResult.Completed) run(b, 1000, 5, CancellationToken.NONE, NOISY_GHZ, NOISY_GHZ);
            var again = (ExecutionResult.Completed) run(b, 1000, 5, CancellationToken.NONE, NOISY_GHZ, NOISY_GHZ);
            assertThat(first.circuits()).allSatisfy(c -> assertThat(c.shots()).isEqualTo(1000));
            assertThat(again.circuits()).isEqualTo(first.circuits());
            assertThat(first.circuits().get(1)).as("a second identical circuit samples independently")
                    .isNotEqualTo(first.circuits().get(0));
        }
    }

    @Test
    void cancellationIsHonouredBetweenChunksOfOneCircuit() {
        try (Backend b = backend(Map.of("shot_chunk", 10))) {
            TripsAfter token = new TripsAfter(4);
            ExecutionResult r = run(b, 1000, 1, token, NOISY_GHZ);
            assertThat(r).isEqualTo(new ExecutionResult.Cancelled("cancelled during the run"));
            assertThat(token.polls()).isEqualTo(5); // once before the circuit, then before each chunk
        }
    }

    @Test
    void anIdealCircuitWithTerminalMeasurementsIsSimulatedOnceWhateverTheChunk() {
        try (Backend b = backend(Map.of("shot_chunk", 10, "noise", false))) {
            var done = (ExecutionResult.Completed) run(b, 1000, 1, CancellationToken.NONE, NOISY_GHZ);
            assertThat(done.metadata().details()).containsEntry("trajectories", "2").containsEntry("noise", "false");
            assertThat(done.circuits().get(0).counts().keySet()).containsOnly("000", "111");
        }
    }

    @Test
    void metadataCarriesTheCalibrationSnapshot() {
        try (Backend b = backend(Map.of())) {
            var done = (ExecutionResult.Completed) run(b, 10, 1, CancellationToken.NONE, NOISY_GHZ);
            DeviceDescription device = DeviceDescription.example("low-noise-5");
            assertThat(done.metadata().calibrationId()).contains(EmulatorBackend.calibrationId(device));
            assertThat(done.metadata().calibrationId().orElseThrow()).matches("sha256:[0-9a-f]{16}");
            assertThat(done.metadata().calibrationTimestamp()).contains(device.timestamp());
            assertThat(done.metadata().firmwareVersion()).contains(device.firmwareVersion());
            assertThat(done.metadata().details()).containsEntry("device", device.name()).containsKey("engine");
        }
    }

    @Test
    void theOversizedRefusalSaysWhatToDo() {
        try (Backend b = backend(Map.of())) {
            String six = "OPENQASM 2.0;\nqreg q[6];\n";
            assertThat(run(b, 10, 1, CancellationToken.NONE, six)).isEqualTo(ExecutionResult.permanentFailure(
                    "circuits[0] uses 6 qubits but backend 'emu' has 5; submit it to a backend with at least 6 qubits"));
        }
    }

    @Test
    void anOpaqueGateIsRefusedForGood() {
        try (Backend b = backend(Map.of())) {
            String opaque = "OPENQASM 2.0;\nqreg q[1];\nopaque magic q;\nmagic q[0];\n";
            ExecutionResult.Failed f = (ExecutionResult.Failed) run(b, 10, 1, CancellationToken.NONE, opaque);
            assertThat(f.retryable()).isFalse();
            assertThat(f.reason()).startsWith("circuits[0]: ").contains("magic");
        }
    }
}
