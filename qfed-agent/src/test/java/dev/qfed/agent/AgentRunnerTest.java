package dev.qfed.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code qfed agent --config FILE} does before it reaches a broker. */
class AgentRunnerTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String yaml) throws IOException {
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, yaml);
        return AgentRunner.run(file, new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void aWrongSiteFileExitsWithInvalidInputAndSaysWhere() throws IOException {
        assertThat(run("server: http://127.0.0.1:9\ntoken: t\nbackends: []\n")).isEqualTo(AgentRunner.INVALID_INPUT);
        assertThat(err()).isEqualTo("qfed agent: " + dir.resolve("site.yaml")
                + ": backends: must be a list of at least one backend (name, type, config)");
    }

    @Test
    void anUnknownBackendTypeNamesTheTypesOnTheClassPath() throws IOException {
        assertThat(run("server: http://127.0.0.1:9\ntoken: t\nbackends:\n  - {name: q, type: quantum}\n"))
                .isEqualTo(AgentRunner.INVALID_INPUT);
        assertThat(err()).isEqualTo("qfed agent: " + dir.resolve("site.yaml")
                + ": backends[0].type: unknown backend type 'quantum'; the types on the class path are emulator");
    }

    @Test
    void aBackendConfigProblemIsReportedWithItsFullKeyPath() throws IOException {
        assertThat(run("""
                server: http://127.0.0.1:9
                token: t
                backends:
                  - name: ok
                    type: emulator
                    config: {device: low-noise-5}
                  - name: bad
                    type: emulator
                    config: {device: low-noise-5, threads: 0}
                """)).isEqualTo(AgentRunner.INVALID_INPUT);
        assertThat(err()).isEqualTo("qfed agent: " + dir.resolve("site.yaml")
                + ": backends[1].config.threads: must be an integer from 1 to 1024, got 0");
    }

    @Test
    void aMissingSiteFileExitsWithInvalidInput() {
        Path missing = dir.resolve("nope.yaml");
        assertThat(AgentRunner.run(missing, new PrintStream(err, true, StandardCharsets.UTF_8)))
                .isEqualTo(AgentRunner.INVALID_INPUT);
        assertThat(err()).isEqualTo("qfed agent: " + missing + ": cannot read the site file: no such file");
    }
}
