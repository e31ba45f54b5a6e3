package dev.qfed.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The command-line shapes other tools drive: JSON documents and exit codes. */
class CliContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Outcome(int exitCode, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    static Outcome qfed(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    static final String BELL = """
            OPENQASM 2.0;
            include "qelib1.inc";
            qreg q[2];
            creg c[2];
            h q[0];
            cx q[0], q[1];
            measure q -> c;
            """;

    @Test
    void statevectorJsonListsAmplitudesInQiskitOrder() throws IOException {
        // x on the second qubit only: amplitude index 2 (binary 10) is 1
        Path f = file("x1.qasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\nx q[1];\n");
        Outcome r = qfed("simulate", f.toString(), "--statevector", "--output", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = r.json();
        assertThat(json.get("qubits").asInt()).isEqualTo(2);
        List<Double> flat = new ArrayList<>();
        json.get("statevector").forEach(pair -> {
            assertThat(pair.size()).isEqualTo(2);
            flat.add(pair.get(0).asDouble());
            flat.add(pair.get(1).asDouble());
        });
        assertThat(flat).containsExactly(0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0);
    }

    @Test
    void probabilitiesJsonIsKeyedByClassicalBitStrings() throws IOException {
        Outcome r = qfed("simulate", file("bell.qasm", BELL).toString(), "--probabilities", "--output", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode p = r.json().get("probabilities");
        assertThat(p.size()).isEqualTo(2);
        assertThat(p.get("00").asDouble()).isCloseTo(0.5, within(1e-12));
        assertThat(p.get("11").asDouble()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void runJsonGivesCountsThatSumToShotsAndRepeatForTheSameSeed() throws IOException {
        Path f = file("bell.qasm", BELL);
        Outcome a = qfed("run", f.toString(), "--shots", "1000", "--seed", "42", "--output", "json");
        Outcome b = qfed("run", f.toString(), "--shots", "1000", "--seed", "42", "--output", "json", "--threads", "1");
        assertThat(a.exitCode()).as(a.err()).isZero();
        JsonNode json = a.json();
        assertThat(json.get("shots").asLong()).isEqualTo(1000);
        assertThat(json.get("seed").asLong()).isEqualTo(42);
        long total = 0;
        for (var it = json.get("counts").properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            assertThat(e.getKey()).isIn("00", "11");
            total += e.getValue().asLong();
        }
        assertThat(total).isEqualTo(1000);
        assertThat(b.json().get("counts")).isEqualTo(json.get("counts"));
    }

    @Test
    void bitStringsPutClassicalBitZeroRightmostAcrossRegisters() throws IOException {
        Path f = file("regs.qasm", """
                OPENQASM 2.0;
                include "qelib1.inc";
                qreg q[3];
                creg a[1];
                creg b[2];
                x q[0];
                x q[2];
                measure q[0] -> a[0];
                measure q[1] -> b[0];
                measure q[2] -> b[1];
                """);
        Outcome r = qfed("run", f.toString(), "--shots", "10", "--seed", "1", "--output", "json", "--memory");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.json().get("counts").get("101").asLong()).isEqualTo(10);
        assertThat(r.json().get("memory").size()).isEqualTo(10);
        assertThat(r.json().get("memory").get(0).asText()).isEqualTo("101");
    }

    @Test
    void textOutputShowsAHistogram() throws IOException {
        Outcome r = qfed("run", file("bell.qasm", BELL).toString(), "--shots", "100", "--seed", "3");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("outcome").contains("00").contains("11").contains("#");
    }

    @Test
    void inputParametersAreBoundWithParam() throws IOException {
        Path f = file("p.qasm", "OPENQASM 3.0;\ninclude \"stdgates.inc\";\ninput angle theta;\nqubit q;\nbit c;\n"
                + "rx(theta) q;\nc = measure q;\n");
        Outcome r = qfed("simulate", f.toString(), "--probabilities", "--param", "theta=3.141592653589793",
                "--output", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.json().get("probabilities").get("1").asDouble()).isCloseTo(1.0, within(1e-12));

        Outcome missing = qfed("simulate", f.toString(), "--probabilities");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("theta").contains("--param theta=");

        Outcome unknown = qfed("simulate", f.toString(), "--probabilities", "--param", "phi=1");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("phi");

        Outcome malformed = qfed("simulate", f.toString(), "--probabilities", "--param", "theta");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err()).contains("NAME=VALUE");
    }

    @Test
    void usageErrorsExitWithTwo() throws IOException {
        assertThat(qfed("run").exitCode()).isEqualTo(2);
        assertThat(qfed("run", "no-such-file.qasm").exitCode()).isEqualTo(2);
        assertThat(qfed("run", file("bell.qasm", BELL).toString(), "--shots", "0").exitCode()).isEqualTo(2);
        assertThat(qfed("simulate", file("b.qasm", BELL).toString()).exitCode()).isEqualTo(2);
        assertThat(qfed("frobnicate").exitCode()).isEqualTo(2);
    }

    @Test
    void invalidCircuitsExitWithThreeAndPointAtTheMistake() throws IOException {
        Path f = file("bad.qasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\nhh q[0];\n");
        Outcome r = qfed("run", f.toString(), "--output", "json");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("bad.qasm:4:1").contains("hh q[0];").contains("^");
        JsonNode error = r.json().get("error");
        assertThat(error.get("line").asInt()).isEqualTo(4);
        assertThat(error.get("column").asInt()).isEqualTo(1);
        assertThat(error.get("exit_code").asInt()).isEqualTo(3);
    }

    @Test
    void statevectorModeRefusesMidCircuitMeasurementWithThree() throws IOException {
        Path f = file("mid.qasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\ncreg c[1];\n"
                + "measure q[0] -> c[0];\nh q[0];\n");
        Outcome r = qfed("simulate", f.toString(), "--statevector");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("mid-circuit");
    }

    @Test
    void aStateThatDoesNotFitInMemoryExitsWithFour() throws IOException {
        Path f = file("big.qasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[40];\nh q;\n");
        Outcome r = qfed("simulate", f.toString(), "--statevector");
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.err()).contains("40 qubits");
    }

    @Test
    void helpListsEveryCommandWhileANamedCommandLoadsOnlyItself() {
        // a line that names its subcommand registers only that one (start-up); help must still see them all
        Outcome help = qfed("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("run", "simulate", "login", "job", "backend", "dev", "server", "agent",
                "bench", "version", "help");
        Outcome helpRun = qfed("help", "run");
        assertThat(helpRun.exitCode()).isZero();
        assertThat(helpRun.out()).contains("Usage: qfed run");
        assertThat(qfed("job", "--help").out()).contains("Usage: qfed job", "submit");
        assertThat(Main.subcommandsFor("run", "x.qasm")).hasSize(1);
        assertThat(Main.subcommandsFor("help", "run")).hasSizeGreaterThan(1);
        assertThat(Main.subcommandsFor("--version")).hasSizeGreaterThan(1);
    }

    @Test
    void versionNamesTheBuild() {
        Outcome r = qfed("version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("qfed ").contains("java");
    }
}
