package dev.qfed.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EmulatorBenchCommandTest {

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new EmulatorBenchCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        int code = cli.execute(args);
        assertThat(code).as(out.toString()).isZero();
        return out.toString();
    }

    @Test
    void jsonOutputHasOneResultPerCircuitPrecisionAndThreadCount() {
        String json = run("--qubits", "6", "--circuits", "qft,random,grid", "--precision", "both", "--threads", "1,2",
                "--repeat", "1", "--triad-mib", "4", "--output", "json");
        assertThat(json).contains("\"triadBytesPerSecond\": {\"1\": ", "\"2\": ");
        assertThat(json.split("\"circuit\"", -1)).hasSize(1 + 3 * 2 * 2);
        assertThat(json).contains("\"circuit\": \"grid\", \"qubits\": 6, \"precision\": \"double\", \"threads\": 2");
        assertThat(json).contains("\"fractionOfTriad\"", "\"passes\"", "\"gates\"", "\"cacheBlockBytes\": ");
    }

    @Test
    void textOutputIsATableWithTheTriadAndSamplingColumn() {
        String text = run("--qubits", "5", "--circuits", "grid", "--threads", "1", "--repeat", "1", "--triad-mib",
                "4", "--fusion", "2", "--shots", "1000");
        assertThat(text).contains("triad (in-place read-modify-write, 4 MiB): 1 thread", "fusion 2", "cache blocks", "sample s");
        assertThat(text.lines().filter(l -> l.startsWith("grid"))).hasSize(1);
    }

    @Test
    void circuitsCanBeSavedAsOpenQasmForWholeProcessRuns(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        run("--qubits", "4", "--circuits", "grid,qft", "--threads", "1", "--repeat", "0", "--triad-mib", "4",
                "--save-qasm", dir.toString());
        String grid = java.nio.file.Files.readString(dir.resolve("grid-4.qasm"));
        assertThat(grid).startsWith("OPENQASM 2.0;").contains("cz q[", "measure q[");
        assertThat(dir.resolve("qft-4.qasm")).exists();
    }

    @Test
    void badOptionsFailWithTheAllowedValues() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new EmulatorBenchCommand());
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(err));
        assertThat(cli.execute("--precision", "half", "--triad-mib", "1")).isNotZero();
        assertThat(err.toString()).contains("single, double or both");
    }
}
