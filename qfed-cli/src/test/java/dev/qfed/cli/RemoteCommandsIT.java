package dev.qfed.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qfed.sdk.testing.EmulatingAgent;
import dev.qfed.sdk.testing.LocalBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The remote commands against the real broker in this process, with a test agent running the emulator. */
class RemoteCommandsIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String RUNS = "cli-emu-5";
    static final String IDLE = "cli-idle-3";
    static final String BELL = """
            OPENQASM 2.0;
            include "qelib1.inc";
            qreg q[2];
            creg c[2];
            h q[0];
            cx q[0], q[1];
            measure q -> c;
            """;

    static LocalBroker broker;
    static EmulatingAgent agent;
    static EmulatingAgent idle;

    @TempDir
    Path home;

    Map<String, String> variables;
    boolean terminal;

    @BeforeAll
    static void start() {
        broker = LocalBroker.start();
        agent = EmulatingAgent.start(broker, "aurora", "cli-site-a", 2, EmulatingAgent.backend(RUNS, 5));
        idle = EmulatingAgent.start(broker, "borealis", "cli-site-b", 0, EmulatingAgent.backend(IDLE, 3));
    }

    @AfterAll
    static void stop() {
        agent.close();
        idle.close();
        broker.close();
    }

    @BeforeEach
    void freshEnvironment() {
        variables = new HashMap<>();
        variables.put(Environment.CONFIG_DIR, home.resolve("qfed-config").toString());
        terminal = false;
    }

    record Outcome(int exitCode, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    Outcome qfed(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new Environment(variables, home, terminal), new PrintWriter(out), new PrintWriter(err),
                args);
        return new Outcome(code, out.toString(), err.toString());
    }

    String server() {
        return broker.uri().toString();
    }

    Path file(String name, String text) throws IOException {
        Path p = home.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    void login() {
        Outcome r = qfed("login", "--dev", "--server", server(), "--member", "aurora", "--user", "alice");
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void loginStoresServerAndTokenReadableByTheOwnerOnly() throws IOException {
        Outcome r = qfed("login", "--dev", "--server", server() + "/", "--member", "aurora", "--user", "alice",
                "--roles", "RESEARCHER", "--output", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.json().get("member").asText()).isEqualTo("aurora");
        assertThat(r.json().has("token")).as("the token is never printed").isFalse();

        Path config = home.resolve("qfed-config").resolve("config.json");
        assertThat(r.json().get("config").asText()).isEqualTo(config.toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.getParent())))
                .isEqualTo("rwx------");
        JsonNode stored = JSON.readTree(config.toFile());
        assertThat(stored.get("server").asText()).isEqualTo(server());
        assertThat(stored.get("token").asText()).isNotBlank();
    }

    @Test
    void submitWithWaitPrintsTheJobAndCountsPerCircuit() throws IOException {
        login();
        Path bell = file("bell.qasm", BELL);
        Path ghz = file("ghz.qasm", BELL);
        Outcome r = qfed("job", "submit", bell.toString(), ghz.toString(), "--shots", "100", "--backend", RUNS,
                "--wait", "--tag", "case=wait", "--seed", "11", "--output", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).as("no progress display without a terminal").isEmpty();
        JsonNode job = r.json();
        assertThat(job.get("id").asText()).isNotBlank();
        assertThat(job.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(job.get("tags").get("case").asText()).isEqualTo("wait");
        assertThat(job.get("results")).hasSize(2);
        assertThat(job.get("results").findValuesAsText("name")).containsExactly(bell.toString(), ghz.toString());
        assertThat(job.get("execution").get("seed").asLong()).isEqualTo(11);
        for (JsonNode circuit : job.get("results")) {
            long total = 0;
            for (var it = circuit.get("counts").properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                assertThat(e.getKey()).isIn("00", "11");
                total += e.getValue().asLong();
            }
            assertThat(total).isEqualTo(100);
        }

        Outcome result = qfed("job", "result", job.get("id").asText(), "--output", "json");
        assertThat(result.json().get("results")).isEqualTo(job.get("results"));
        Outcome table = qfed("job", "result", job.get("id").asText());
        assertThat(table.out()).contains("COMPLETED").contains("circuit 1 (" + ghz + ")").contains("outcome")
                .contains("#").contains("--seed 11");
        assertThat(qfed("job", "submit", bell.toString(), "--seed", "-1").exitCode()).isEqualTo(2);
    }

    @Test
    void onATerminalWaitingShowsProgressOnStandardError() throws IOException {
        login();
        terminal = true;
        Outcome r = qfed("job", "submit", file("bell.qasm", BELL).toString(), "--shots", "10", "--backend", RUNS,
                "--wait");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("\r").contains("job ").contains(RUNS);
        assertThat(r.out()).contains("COMPLETED");
    }

    @Test
    void statusCancelAndListFollowAJob() throws IOException {
        login();
        String tag = "run=" + UUID.randomUUID();
        Outcome submitted = qfed("job", "submit", file("bell.qasm", BELL).toString(), "--shots", "10",
                "--backend", IDLE, "--tag", tag, "--project", "cli-tests", "--output", "json");
        assertThat(submitted.exitCode()).as(submitted.err()).isZero();
        String id = submitted.json().get("id").asText();
        assertThat(submitted.json().get("status").asText()).isEqualTo("QUEUED");
        assertThat(submitted.json().get("project").asText()).isEqualTo("cli-tests");

        Outcome status = qfed("job", "status", id);
        assertThat(status.out()).contains(id).contains("QUEUED").contains(IDLE);

        Outcome listed = qfed("job", "list", "--tag", tag, "--status", "QUEUED", "--project", "cli-tests",
                "--limit", "5", "--output", "json");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.json().get("jobs")).hasSize(1);
        assertThat(listed.json().get("jobs").get(0).get("id").asText()).isEqualTo(id);

        Outcome cancelled = qfed("job", "cancel", id, "--output", "json");
        assertThat(cancelled.json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(qfed("job", "list", "--tag", tag, "--status", "queued", "--output", "json").json().get("jobs"))
                .isEmpty();
        assertThat(qfed("job", "list", "--tag", tag).out()).contains(id).contains("CANCELLED").contains("ID");
    }

    @Test
    void waitPrintsEveryJobFinalAndEventsPrintTheirHistory() throws IOException {
        login();
        Path bell = file("bell.qasm", BELL);
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Outcome s = qfed("job", "submit", bell.toString(), "--shots", "10", "--backend", RUNS, "--output", "json");
            assertThat(s.exitCode()).as(s.err()).isZero();
            ids.add(s.json().get("id").asText());
        }
        List<String> args = new java.util.ArrayList<>(List.of("job", "wait"));
        args.addAll(ids);
        args.addAll(List.of("--timeout", "60", "--output", "json"));
        Outcome waited = qfed(args.toArray(String[]::new));
        assertThat(waited.exitCode()).as(waited.err()).isZero();
        assertThat(waited.json().get("jobs").findValuesAsText("id")).containsExactlyElementsOf(ids);
        assertThat(waited.json().get("jobs").findValuesAsText("status")).containsOnly("COMPLETED");
        assertThat(waited.json().get("jobs").get(0).get("results")).hasSize(1);

        Outcome events = qfed("job", "events", ids.getFirst());
        assertThat(events.exitCode()).as(events.err()).isZero();
        assertThat(events.out()).contains("SUBMIT").contains("LEASE").contains("COMPLETE").contains("EVENT");
        Outcome eventsJson = qfed("job", "events", ids.getFirst(), "--output", "json");
        assertThat(eventsJson.json().get("events").get(0).get("event").asText()).isEqualTo("SUBMIT");

        Outcome unknown = qfed("job", "wait", "01a20bcb-b4d6-7000-9622-683e4d9603cd");
        assertThat(unknown.exitCode()).isEqualTo(5);
    }

    @Test
    void backendsAreListedAndShownAndTextIsTheSameFormatAsTable() throws IOException {
        login();
        Outcome list = qfed("backend", "list", "--output", "json");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.json().get("backends").findValuesAsText("name")).contains(RUNS, IDLE);

        Outcome table = qfed("backend", "show", IDLE, "--output", "table");
        Outcome text = qfed("backend", "show", IDLE, "--output", "text");
        assertThat(table.out()).contains("borealis").contains("qubits").isEqualTo(text.out());
        assertThat(qfed("backend", "show", IDLE, "--output", "json").json().get("num_qubits").asInt()).isEqualTo(3);
        assertThat(qfed("backend", "list", "--output", "yaml").exitCode()).isEqualTo(2);
    }

    @Test
    void environmentVariablesReplaceTheStoredLogin() throws IOException {
        variables.put(Environment.SERVER, server());
        variables.put(Environment.TOKEN, broker.token("aurora", "bob"));
        Outcome r = qfed("backend", "list");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains(RUNS);
    }

    @Test
    void anUnknownJobOrBackendExitsWithFive() throws IOException {
        login();
        Outcome job = qfed("job", "status", "no-such-job", "--output", "json");
        assertThat(job.exitCode()).isEqualTo(5);
        assertThat(job.json().get("error").get("type").asText()).isEqualTo("not-found");
        assertThat(job.json().get("error").get("status").asInt()).isEqualTo(404);
        assertThat(qfed("backend", "show", "no-such-backend").exitCode()).isEqualTo(5);
    }

    @Test
    void anotherMembersJobIsNotFoundForYou() throws IOException {
        login();
        String id = qfed("job", "submit", file("b.qasm", BELL).toString(), "--backend", IDLE, "--output", "json")
                .json().get("id").asText();
        variables.put(Environment.TOKEN, broker.token("cygnus", "carol"));
        assertThat(qfed("job", "cancel", id).exitCode()).isEqualTo(5);
        variables.remove(Environment.TOKEN);
        assertThat(qfed("job", "cancel", id).exitCode()).isZero();
    }

    @Test
    void aRejectedOrMissingTokenExitsWithFive() {
        variables.put(Environment.SERVER, server());
        Outcome none = qfed("backend", "list");
        assertThat(none.exitCode()).isEqualTo(5);
        assertThat(none.err()).contains("qfed login");

        variables.put(Environment.TOKEN, "not-a-token");
        Outcome forged = qfed("backend", "list");
        assertThat(forged.exitCode()).isEqualTo(5);
        assertThat(forged.err()).contains("QFED_TOKEN");
    }

    @Test
    void theStoredTokenIsNeverSentToAnotherServer() throws IOException {
        login();
        Outcome r = qfed("backend", "list", "--server", "http://127.0.0.1:" + closedPort());
        assertThat(r.exitCode()).isEqualTo(5);
        assertThat(r.err()).contains("stored login is for " + server());
    }

    @Test
    void anUnreachableServerExitsWithSix() throws IOException {
        variables.put(Environment.TOKEN, "t");
        Outcome r = qfed("job", "list", "--server", "http://127.0.0.1:" + closedPort(), "--output", "json");
        assertThat(r.exitCode()).isEqualTo(6);
        assertThat(r.err()).contains("cannot reach");
        assertThat(r.json().get("error").get("type").asText()).isEqualTo("server-unreachable");

        Outcome login = qfed("login", "--dev", "--server", "http://127.0.0.1:" + closedPort(), "--member", "aurora",
                "--user", "alice");
        assertThat(login.exitCode()).isEqualTo(6);
    }

    @Test
    void aServerSideOpenQasmErrorNamesTheFileLineAndColumnAndExitsWithThree() throws IOException {
        login();
        Path good = file("good.qasm", BELL);
        Path bad = file("bad.qasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\nhh q[0];\n");
        Outcome r = qfed("job", "submit", good.toString(), bad.toString(), "--backend", RUNS, "--output", "json");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains(bad + ":4:1");
        JsonNode error = r.json().get("error");
        assertThat(error.get("file").asText()).isEqualTo(bad.toString());
        assertThat(error.get("circuit").asInt()).isEqualTo(1);
        assertThat(error.get("line").asInt()).isEqualTo(4);
        assertThat(error.get("column").asInt()).isEqualTo(1);
        assertThat(error.get("exit_code").asInt()).isEqualTo(3);
    }

    @Test
    void tooManyShotsExitsWithFourAndAnUnknownBackendWithThree() throws IOException {
        login();
        Path bell = file("bell.qasm", BELL);
        int tooMany = broker.server().config().limits().maxShots() + 1;
        assertThat(qfed("job", "submit", bell.toString(), "--shots", Integer.toString(tooMany), "--backend", RUNS)
                .exitCode()).isEqualTo(4);
        assertThat(qfed("job", "submit", bell.toString(), "--backend", "nowhere").exitCode()).isEqualTo(3);
    }

    @Test
    void theSameIdempotencyKeyGivesTheSameJobAndReusingItForAnotherJobExitsWithThree() throws IOException {
        login();
        Path bell = file("bell.qasm", BELL);
        String key = "cli-" + UUID.randomUUID();
        String first = qfed("job", "submit", bell.toString(), "--backend", IDLE, "--idempotency-key", key,
                "--output", "json").json().get("id").asText();
        String again = qfed("job", "submit", bell.toString(), "--backend", IDLE, "--idempotency-key", key,
                "--output", "json").json().get("id").asText();
        assertThat(again).isEqualTo(first);
        assertThat(qfed("job", "submit", bell.toString(), "--backend", IDLE, "--shots", "7",
                "--idempotency-key", key).exitCode()).isEqualTo(3);
        qfed("job", "cancel", first);
    }

    @Test
    void theLoadGeneratorIsRegisteredUnderBench() throws IOException {
        Outcome r = qfed("bench", "load", "--server", server(), "--jobs", "3", "--concurrency", "2",
                "--backend", RUNS, "--token", broker.token("aurora", "bench"), "--timeout", "60", "--output", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.json().get("completed").asInt()).isEqualTo(3);
        assertThat(r.json().get("lost").asInt()).isZero();
        assertThat(qfed("bench").exitCode()).isEqualTo(2);
    }

    @Test
    void usageErrorsExitWithTwoBeforeAnythingIsSent() throws IOException {
        assertThat(qfed("job", "list").exitCode()).as("no server anywhere").isEqualTo(2);
        login();
        assertThat(qfed("job", "submit", home.resolve("missing.qasm").toString()).exitCode()).isEqualTo(2);
        assertThat(qfed("job", "submit", file("empty.qasm", "").toString()).exitCode()).isEqualTo(2);
        assertThat(qfed("job", "submit", file("b.qasm", BELL).toString(), "--tag", "novalue").exitCode()).isEqualTo(2);
        assertThat(qfed("job", "submit", file("c.qasm", BELL).toString(), "--param", "theta=x").exitCode()).isEqualTo(2);
        assertThat(qfed("job", "list", "--status", "DONE").exitCode()).isEqualTo(2);
        assertThat(qfed("job", "list", "--tag", " =v").exitCode()).isEqualTo(2);
        assertThat(qfed("job", "status", " ").exitCode()).isEqualTo(2);
        assertThat(qfed("job", "list", "--limit", "0").exitCode()).isEqualTo(2);
        assertThat(qfed("job").exitCode()).isEqualTo(2);
        assertThat(qfed("login", "--server", server(), "--member", "a", "--user", "u").exitCode())
                .as("only --dev exists").isEqualTo(2);
        assertThat(qfed("job", "list", "--server", "localhost:8080").exitCode()).isEqualTo(2);
    }
}
