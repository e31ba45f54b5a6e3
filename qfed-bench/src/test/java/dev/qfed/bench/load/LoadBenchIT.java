package dev.qfed.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qfed.sdk.testing.EmulatingAgent;
import dev.qfed.sdk.testing.LocalBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code qfed bench load} against the real broker in this process, with a test agent that runs the jobs on the
 * real emulator. Small runs: this checks what the report says, not how fast the broker is.
 */
class LoadBenchIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static LocalBroker broker;
    static EmulatingAgent agent;
    static EmulatingAgent idle;

    @BeforeAll
    static void start() {
        broker = LocalBroker.start();
        agent = EmulatingAgent.start(broker, "aurora", "bench-site", 4, EmulatingAgent.backend("bench-emu-5", 5));
        idle = EmulatingAgent.start(broker, "borealis", "bench-idle", 0, EmulatingAgent.backend("bench-idle-5", 5));
    }

    @AfterAll
    static void stop() {
        agent.close();
        idle.close();
        broker.close();
    }

    record Outcome(int exitCode, JsonNode json, String err) {
    }

    static Outcome load(String... args) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new LoadBenchCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Outcome(code, code == 0 ? JSON.readTree(out.toString()) : null, err.toString());
    }

    @Test
    void everyJobCompletesOnceAndTheReportHasEveryKey() throws IOException {
        Outcome r = load("--server", broker.uri().toString(), "--jobs", "40", "--warmup", "12", "--concurrency", "4",
                "--backend", "bench-emu-5", "--timeout", "60", "--output", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = r.json();
        for (String key : List.of("jobs_per_second", "submit_p50_ms", "submit_p95_ms", "submit_p99_ms",
                "assign_p50_ms", "assign_p95_ms", "assign_p99_ms", "e2e_p50_ms", "e2e_p95_ms", "e2e_p99_ms",
                "lost", "duplicated", "failed", "jobs", "warmup_jobs", "concurrency", "rate", "server",
                "client_cpu_ms_per_job")) {
            assertThat(json.has(key)).as(key).isTrue();
        }
        assertThat(json.get("jobs").asInt()).isEqualTo(40);
        assertThat(json.get("warmup_jobs").asInt()).isEqualTo(12);
        // the warm-up's jobs run first and are not in the measured figures
        assertThat(r.err())
                .contains("warm-up done: 12 acknowledged, 12 final, 0 lost; " + LoadGenerator.MEASURED_RUN_STARTED);
        assertThat(json.get("acknowledged").asLong()).isEqualTo(40);
        assertThat(json.get("completed").asLong()).isEqualTo(40);
        assertThat(json.get("lost").asLong()).isZero();
        assertThat(json.get("duplicated").asLong()).isZero();
        assertThat(json.get("failed").asLong()).isZero();
        assertThat(json.get("jobs_per_second").asDouble()).isPositive();
        assertThat(json.get("client_cpu_ms_per_job").asDouble()).isPositive();
        assertThat(json.get("submit_p99_ms").asDouble()).isGreaterThanOrEqualTo(json.get("submit_p50_ms").asDouble());
        assertThat(json.get("e2e_p50_ms").asDouble()).isGreaterThanOrEqualTo(json.get("assign_p50_ms").asDouble());
    }

    @Test
    void aTargetRateSpacesTheSubmits() throws IOException {
        Outcome r = load("--server", broker.uri().toString(), "--jobs", "10", "--warmup", "0", "--concurrency", "2", "--rate", "50",
                "--backend", "bench-emu-5", "--timeout", "60", "--output", "json", "--qubits", "3", "--shots", "20");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.json().get("rate").asDouble()).isEqualTo(50.0);
        assertThat(r.json().get("warmup_jobs").asInt()).isZero();
        assertThat(r.err()).contains(LoadGenerator.MEASURED_RUN_STARTED).doesNotContain("warm-up done");
        assertThat(r.json().get("completed").asLong()).isEqualTo(10);
        // ten submits at 50/s are due over 180 ms: the run cannot be shorter than that
        assertThat(r.json().get("elapsed_s").asDouble()).isGreaterThanOrEqualTo(0.18);
    }

    @Test
    void jobsThatNeverFinishAreReportedLostAndTheRunStopsAtItsTimeout() throws IOException {
        Outcome r = load("--server", broker.uri().toString(), "--jobs", "3", "--warmup", "0", "--concurrency", "3",
                "--backend", "bench-idle-5", "--timeout", "1", "--output", "json",
                "--token", broker.token("aurora", "bench"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.json().get("acknowledged").asLong()).isEqualTo(3);
        assertThat(r.json().get("lost").asLong()).isEqualTo(3);
        assertThat(r.json().get("completed").asLong()).isZero();
        assertThat(r.json().get("jobs_per_second").asDouble()).isZero();
    }

    @Test
    void badParametersAreUsageErrors() throws IOException {
        assertThat(load("--server", broker.uri().toString(), "--jobs", "0").exitCode()).isEqualTo(2);
        assertThat(load("--server", broker.uri().toString(), "--output", "xml").exitCode()).isEqualTo(2);
        assertThat(load("--server", broker.uri().toString(), "--warmup", "-1").exitCode()).isEqualTo(2);
        assertThat(load("--server", "nowhere", "--jobs", "1").exitCode()).isEqualTo(2);
        assertThat(load("--jobs", "1").exitCode()).isEqualTo(2);
    }
}
