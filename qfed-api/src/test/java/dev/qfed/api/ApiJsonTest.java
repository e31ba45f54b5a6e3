package dev.qfed.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiJsonTest {

    private static final String BELL = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n";

    @Test
    void writesSnakeCaseAndLeavesOutEmptyOptionals() {
        var job = new Job("j1", "aurora", "default", "alice", JobStatus.QUEUED, "aurora-5q", "auto", 100, 1,
                Map.of("exp", "bell"), Optional.of(0L), 0, 3,
                new JobTimings(Instant.parse("2026-11-02T09:00:00.123Z"), Optional.empty(), Optional.empty(),
                        Optional.empty()), List.of());
        String json = ApiJson.write(job);
        assertThat(json)
                .contains("\"backend_requested\":\"auto\"", "\"circuit_count\":1", "\"queue_position\":0",
                        "\"submitted_at\":\"2026-11-02T09:00:00.123Z\"", "\"max_attempts\":3")
                .doesNotContain("assigned_at", "null");
    }

    @Test
    void readsWhatItWrites() throws JsonProcessingException {
        var request = new SubmitJobRequest(List.of(new CircuitSpec(BELL, Optional.of("bell"), Map.of("theta", 0.5))),
                1000, Optional.of("auto"), Optional.of("p1"), Map.of("k", "v"));
        assertThat(ApiJson.read(ApiJson.write(request), SubmitJobRequest.class)).isEqualTo(request);
    }

    @Test
    void absentOptionalFieldsReadAsEmpty() throws JsonProcessingException {
        var request = ApiJson.read("{\"circuits\":[{\"qasm\":\"OPENQASM 3;\"}],\"shots\":5}", SubmitJobRequest.class);
        assertThat(request.backend()).isEmpty();
        assertThat(request.project()).isEmpty();
        assertThat(request.tags()).isEmpty();
        assertThat(request.circuits().getFirst().parameters()).isEmpty();
    }

    @Test
    void explicitNullForAnOptionalFieldReadsAsEmpty() throws JsonProcessingException {
        var request = ApiJson.read("{\"circuits\":[{\"qasm\":\"x\"}],\"shots\":5,\"backend\":null}",
                SubmitJobRequest.class);
        assertThat(request.backend()).isEmpty();
    }

    @Test
    void unknownFieldsAreRefusedByTheStrictMapperAndIgnoredByTheLenientOne() throws JsonProcessingException {
        String json = "{\"circuits\":[{\"qasm\":\"x\"}],\"shots\":5,\"priority\":9}";
        assertThatThrownBy(() -> ApiJson.read(json, SubmitJobRequest.class))
                .isInstanceOf(UnrecognizedPropertyException.class)
                .hasMessageContaining("priority");
        assertThat(ApiJson.lenientMapper().readValue(json, SubmitJobRequest.class).shots()).isEqualTo(5);
    }

    @Test
    void missingRequiredFieldIsNamed() {
        assertThatThrownBy(() -> ApiJson.read("{\"circuits\":[{\"qasm\":\"x\"}]}", SubmitJobRequest.class))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("shots");
        assertThatThrownBy(() -> ApiJson.read("{\"shots\":1}", SubmitJobRequest.class))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("circuits");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"circuits\":[{\"qasm\":\"x\"}],\"shots\":\"5\"}",
            "{\"circuits\":[{\"qasm\":\"x\"}],\"shots\":5.5}",
            "{\"circuits\":[{\"qasm\":\"x\"}],\"shots\":5.0}",
            "{\"circuits\":[{\"qasm\":\"x\"}],\"shots\":null}",
            "{\"circuits\":[{\"qasm\":7}],\"shots\":5}",
            "{\"circuits\":[{\"qasm\":\"x\"}],\"shots\":5} {}",
            "{\"circuits\":[{\"qasm\":\"x\"}],\"shots\":5,\"shots\":6}",
            "{\"circuits\":[null],\"shots\":5}",
            "{\"circuits\":[{\"qasm\":\"  \"}],\"shots\":5}",
            "{\"circuits\":[{\"qasm\":\"x\"}],\"shots\":5,\"tags\":{\"k\":null}}",
    })
    void ambiguousOrWrongValuesAreRefused(String json) {
        assertThatThrownBy(() -> ApiJson.read(json, SubmitJobRequest.class)).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void timesAreReadFromRfc3339WithOffsets() throws JsonProcessingException {
        var failure = ApiJson.read("{\"attempt\":1,\"reason\":\"lost\",\"at\":\"2026-11-02T10:00:00+01:00\"}",
                AttemptFailure.class);
        assertThat(failure.at()).isEqualTo(Instant.parse("2026-11-02T09:00:00Z"));
        assertThat(ApiJson.write(failure)).contains("\"at\":\"2026-11-02T09:00:00Z\"");
    }

    @Test
    void problemsCarryTheirCodeAndPosition() throws JsonProcessingException {
        Problem p = Problem.of(ErrorCode.QASM_SYNTAX, "bell.qasm:3:1: expected ';'").withPosition(0, 3, 1);
        String json = ApiJson.write(p);
        assertThat(json).contains("\"type\":\"https://qfed.dev/problems/qasm-syntax\"", "\"status\":422",
                "\"line\":3", "\"column\":1", "\"circuit\":0", "\"code\":\"qasm-syntax\"", "\"retryable\":false");
        assertThat(ApiJson.read(json, Problem.class).errorCode()).contains(ErrorCode.QASM_SYNTAX);
    }

    @Test
    void circuitResultCountsItsShots() {
        assertThat(CircuitResult.of(Map.of("00", 480L, "11", 520L)).shots()).isEqualTo(1000);
        assertThatThrownBy(() -> CircuitResult.of(Map.of("00", -1L))).hasMessageContaining("counts[00]");
    }
}
