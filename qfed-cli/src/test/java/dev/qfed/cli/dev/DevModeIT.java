package dev.qfed.cli.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qfed.cli.Environment;
import dev.qfed.cli.Main;
import dev.qfed.cli.testing.Ports;
import dev.qfed.cli.testing.QfedProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code qfed dev} as a newcomer meets it: started as a process, it prints the next steps; the printed login and
 * submit commands (run through the CLI's entry point) give counts; stopped with SIGTERM and started again on the same
 * data directory, it still knows the job and still accepts the stored login.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES) // a hard bound over the tests' own deadlines
class DevModeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path BELL = Path.of("..", "examples", "bell.qasm");

    @TempDir
    Path dir;

    record Outcome(int exitCode, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    Outcome qfed(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Environment env = new Environment(Map.of(Environment.CONFIG_DIR, dir.resolve("config").toString()),
                dir, false);
        int code = Main.execute(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void theNextStepsItPrintsWorkAndItsStateSurvivesARestart() throws Exception {
        int port = Ports.free();
        Path data = dir.resolve("qfed-dev");
        QfedProcess dev = QfedProcess.of("qfed-dev", dir, Map.of(), "dev", "--port", Integer.toString(port),
                "--data-dir", data.toString());
        try {
            String printed = awaitNextSteps(dev.start());
            String server = "http://localhost:" + port;
            assertThat(printed)
                    .contains("QFed dev consortium running at " + server)
                    .contains("./qfed login --dev --server " + server + " --member aurora --user alice")
                    .contains("./qfed job submit examples/bell.qasm --shots 1000 --backend auto --wait")
                    .contains("aurora", "borealis", "cygnus", "low-noise-5", "noisy-20", "heavy-hex-27");

            Outcome second = qfed("dev", "--port", Integer.toString(Ports.free()), "--data-dir", data.toString());
            assertThat(second.exitCode()).as("a second qfed dev on the same data directory").isEqualTo(2);
            assertThat(second.err()).contains("the database under " + data.toAbsolutePath() + " is open in another "
                    + "process").contains("--data-dir").doesNotContain("Exception");

            Outcome login = qfed("login", "--dev", "--server", server, "--member", "aurora", "--user", "alice");
            assertThat(login.exitCode()).as(login.err()).isZero();

            Outcome backends = qfed("backend", "list", "--output", "json");
            assertThat(backends.exitCode()).as(backends.err()).isZero();
            assertThat(backends.json().get("backends").findValuesAsText("name"))
                    .containsExactlyInAnyOrder("aurora-lownoise-5", "borealis-noisy-20", "cygnus-heavyhex-27");
            assertThat(backends.json().get("backends").findValuesAsText("num_qubits"))
                    .containsExactlyInAnyOrder("5", "20", "27");

            Outcome submit = qfed("job", "submit", BELL.toString(), "--shots", "1000", "--backend", "auto", "--wait",
                    "--output", "json");
            assertThat(submit.exitCode()).as(submit.err()).isZero();
            JsonNode job = submit.json();
            assertThat(job.get("status").asText()).isEqualTo("COMPLETED");
            JsonNode counts = job.get("results").get(0).get("counts");
            long shots = 0;
            for (JsonNode c : counts) {
                shots += c.asLong();
            }
            assertThat(shots).isEqualTo(1000);
            assertThat(counts.path("00").asLong() + counts.path("11").asLong()).as("a Bell pair, with some noise")
                    .isGreaterThan(800);
            String id = job.get("id").asText();

            assertThat(dev.stop()).as("exit after SIGTERM").isIn(0, 143);
            assertThat(dev.output()).contains("qfed dev: stopped");

            awaitNextSteps(dev.start());
            Outcome again = qfed("job", "result", id, "--output", "json");
            assertThat(again.exitCode()).as("the stored login still works: " + again.err()).isZero();
            assertThat(again.json().get("status").asText()).isEqualTo("COMPLETED");
            assertThat(again.json().get("results").get(0).get("counts")).isEqualTo(counts);
        } finally {
            dev.kill();
        }
    }

    @Test
    void aPortInUseIsNamedWithTheFlagThatChangesIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Outcome o = qfed("dev", "--port", Integer.toString(port), "--data-dir", dir.resolve("d").toString());
            assertThat(o.exitCode()).isEqualTo(2);
            assertThat(o.err()).contains("port " + port).contains("--port").doesNotContain("Exception");
        }
    }

    /** Everything the process printed once the next steps are out (the agents have registered then). */
    private static String awaitNextSteps(QfedProcess dev) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            String out = dev.output();
            if (out.contains("/dev/jwks.json.")) { // the last line of the next steps
                return out;
            }
            if (!dev.isAlive()) {
                throw new AssertionError("qfed dev exited:\n" + out);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        throw new AssertionError("qfed dev printed no next steps within 90 s:\n" + dev.output());
    }
}
