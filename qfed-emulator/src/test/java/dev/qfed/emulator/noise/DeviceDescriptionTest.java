package dev.qfed.emulator.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DeviceDescriptionTest {
    static final String VALID = """
            {
              "name": "tiny", "num_qubits": 2, "timestamp": "2026-11-02T10:00:00+01:00", "firmware_version": "1.0",
              "coupling_map": [[0, 1]],
              "native_gates": ["sx", "rz", "cx"],
              "qubits": [
                {"t1_us": 100, "t2_us": 150, "readout_p1_given_0": 0.01, "readout_p0_given_1": 0.02},
                {"t1_us": 80, "t2_us": 60, "readout_p1_given_0": 0.03, "readout_p0_given_1": 0.04}
              ],
              "gates": [{"gate": "cx", "qubits": [1, 0], "error": 0.01, "duration_ns": 300}],
              "defaults": {"error_1q": 0.001, "error_2q": 0.02, "duration_1q_ns": 35, "duration_2q_ns": 400}
            }
            """;

    @Test
    void readsEveryFieldOfAValidDescription() {
        DeviceDescription d = DeviceDescription.parse(VALID, "tiny.json");
        assertThat(d.name()).isEqualTo("tiny");
        assertThat(d.numQubits()).isEqualTo(2);
        assertThat(d.timestamp()).isEqualTo(Instant.parse("2026-11-02T09:00:00Z"));
        assertThat(d.firmwareVersion()).isEqualTo("1.0");
        assertThat(d.couplingMap()).contains(List.of(new DeviceDescription.QubitPair(0, 1)));
        assertThat(d.nativeGates()).containsExactly("sx", "rz", "cx");
        assertThat(d.qubits().get(1)).isEqualTo(new DeviceDescription.QubitCalibration(80, 60, 0.03, 0.04));
        assertThat(d.gates()).containsExactly(new DeviceDescription.GateCalibration("cx", List.of(1, 0), 0.01, 300));
        assertThat(d.defaults()).isEqualTo(new DeviceDescription.GateDefaults(0.001, 0.02, 35, 400));
        assertThat(d.coupled(1, 0)).isTrue();
    }

    @Test
    void optionalFieldsDefaultToAllToAllAndNoGateEntries() {
        String json = VALID.replace("\"coupling_map\": [[0, 1]],", "")
                .replace("\"gates\": [{\"gate\": \"cx\", \"qubits\": [1, 0], \"error\": 0.01, \"duration_ns\": 300}],", "");
        DeviceDescription d = DeviceDescription.parse(json, "tiny.json");
        assertThat(d.couplingMap()).isEmpty();
        assertThat(d.coupled(0, 1)).isTrue();
        assertThat(d.gates()).isEmpty();
    }

    @Test
    void theJsonFormReadsBackToAnEqualDescription() {
        DeviceDescription d = DeviceDescription.parse(VALID, "tiny.json");
        assertThat(DeviceDescription.parse(d.toJson(), "round trip")).isEqualTo(d);
    }

    @ParameterizedTest
    @ValueSource(strings = {"low-noise-5", "noisy-20", "heavy-hex-27"})
    void theShippedExampleDevicesAreValid(String name) throws IOException {
        String json;
        try (InputStream in = getClass().getResourceAsStream("/devices/" + name + ".json")) {
            assertThat(in).as("resource devices/%s.json", name).isNotNull();
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        DeviceDescription d = DeviceDescription.parse(json, name + ".json");
        assertThat(d.name()).isEqualTo("qfed-" + name);
        assertThat(d.qubits()).hasSize(d.numQubits());
        assertThat(DeviceDescription.parse(d.toJson(), "round trip")).isEqualTo(d);
        assertThat(DeviceDescription.example(name)).isEqualTo(d);
        assertThat(DeviceDescription.EXAMPLES).contains(name);
    }

    @Test
    void theHeavyHexExampleHasDegreeAtMostThreeAndIsConnected() {
        DeviceDescription d = DeviceDescription.example("heavy-hex-27");
        int[] degree = new int[d.numQubits()];
        java.util.Set<Integer> reached = new java.util.HashSet<>(List.of(0));
        for (int round = 0; round < d.numQubits(); round++) {
            for (DeviceDescription.QubitPair e : d.couplingMap().orElseThrow()) {
                if (reached.contains(e.first()) || reached.contains(e.second())) {
                    reached.add(e.first());
                    reached.add(e.second());
                }
            }
        }
        d.couplingMap().orElseThrow().forEach(e -> {
            degree[e.first()]++;
            degree[e.second()]++;
        });
        assertThat(java.util.Arrays.stream(degree).boxed().toList()).allMatch(k -> k >= 1 && k <= 3);
        assertThat(reached).hasSize(27);
    }

    @Test
    void anUnknownExampleNameListsTheExamples() {
        assertThatThrownBy(() -> DeviceDescription.example("huge")).hasMessageContaining(
                "the examples are low-noise-5, noisy-20, heavy-hex-27");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown top-level field      | \"name\": \"tiny\",                  | \"name\": \"tiny\", \"colour\": 1, | colour: unknown field; allowed here: coupling_map, defaults,",
            "unknown nested field         | \"t1_us\": 80,                      | \"t1_us\": 80, \"t3_us\": 1,        | qubits[1].t3_us: unknown field; allowed here: readout_p0_given_1",
            "T2 above twice T1            | \"t2_us\": 60                       | \"t2_us\": 161                      | qubits[1].t2_us: 161.0 is out of range: T2 can be at most 2·T1 = 160.0",
            "negative T1                  | \"t1_us\": 80                       | \"t1_us\": -80                      | qubits[1].t1_us: -80.0 is out of range: must be a positive number",
            "readout above one            | \"readout_p0_given_1\": 0.04        | \"readout_p0_given_1\": 1.5         | qubits[1].readout_p0_given_1: 1.5 is out of range: a probability lies in [0, 1]",
            "gate error below zero        | \"error\": 0.01                     | \"error\": -0.01                    | gates[0].error: -0.01 is out of range: a probability lies in [0, 1]",
            "gate qubit not on device     | \"qubits\": [1, 0]                  | \"qubits\": [1, 2]                  | gates[0].qubits[1]: 2 is out of range: qubit indices are 0 to 1",
            "gate arity wrong             | \"qubits\": [1, 0]                  | \"qubits\": [1]                     | gates[0].qubits: cx acts on 2 qubit(s), got 1",
            "coupling outside device      | [[0, 1]]                            | [[0, 5]]                            | coupling_map[0][1]: 5 is out of range: qubit indices are 0 to 1",
            "negative duration            | \"duration_1q_ns\": 35              | \"duration_1q_ns\": -1              | defaults.duration_1q_ns: -1.0 is out of range: must be >= 0",
            "missing field                | \"firmware_version\": \"1.0\",      | ''                                  | required field 'firmware_version' is missing",
            "wrong type                   | \"num_qubits\": 2                   | \"num_qubits\": \"two\"             | num_qubits: expected an integer, got the string \"two\"",
            "fractional count             | \"num_qubits\": 2                   | \"num_qubits\": 2.5                 | num_qubits: expected an integer, got the number 2.5",
            "bad timestamp                | 2026-11-02T10:00:00+01:00           | yesterday                           | timestamp: 'yesterday' is not an RFC 3339 time",
            "too few qubit entries        | \"num_qubits\": 2                   | \"num_qubits\": 3                   | qubits: has 2 entries; it needs one per qubit (num_qubits = 3)",
            "duplicate key                | \"name\": \"tiny\",                  | \"name\": \"tiny\", \"name\": \"x\",  | not valid JSON: Duplicate field 'name'",
    })
    void aBadFileIsRejectedWithItsFieldPathAndTheAllowedRange(String what, String from, String to, String message) {
        String json = VALID.replace(from, to);
        assertThat(json).as("test setup for %s", what).isNotEqualTo(VALID);
        assertThatThrownBy(() -> DeviceDescription.parse(json, "bad.json"))
                .isInstanceOf(DeviceDescriptionException.class)
                .hasMessageStartingWith("bad.json: ")
                .hasMessageContaining(message);
    }

    @Test
    void aTwoQubitGateEntryMustLieOnTheCouplingMap() {
        String json = VALID.replace("\"num_qubits\": 2", "\"num_qubits\": 3")
                .replace("\"qubits\": [\n", "\"qubits\": [\n    {\"t1_us\": 1, \"t2_us\": 1, \"readout_p1_given_0\": 0,"
                        + " \"readout_p0_given_1\": 0},\n")
                .replace("\"qubits\": [1, 0]", "\"qubits\": [2, 0]");
        assertThatThrownBy(() -> DeviceDescription.parse(json, "bad.json"))
                .hasMessage("bad.json: gates[0].qubits: [2, 0] is not a pair of coupling_map");
    }

    @Test
    void invalidJsonNamesTheLine() {
        assertThatThrownBy(() -> DeviceDescription.parse("{\n\"name\": }", "broken.json"))
                .isInstanceOf(DeviceDescriptionException.class)
                .hasMessageStartingWith("broken.json: line 2, column");
    }
}
