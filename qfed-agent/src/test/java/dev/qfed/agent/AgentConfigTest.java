package dev.qfed.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentConfigTest {
    @TempDir
    Path dir;

    private static final String BACKENDS = """
            backends:
              - name: aurora-5
                type: emulator
                config: {device: low-noise-5}
            """;

    private AgentConfig parse(String yaml) {
        return parse(yaml, Map.of());
    }

    private AgentConfig parse(String yaml, Map<String, String> env) {
        return AgentConfig.parse(yaml, "site.yaml", dir, env);
    }

    @Test
    void aFullSiteFileIsReadWithEveryKey() throws IOException {
        Files.writeString(dir.resolve("agent.token"), "  eyJ.token.sig \n");
        AgentConfig c = parse("""
                server: https://broker.example.org/
                token_file: agent.token
                name: aurora-site-1
                poll_wait: 5s
                drain_timeout: 2m
                backoff: {initial: 200ms, max: 10s}
                backends:
                  - name: aurora-5
                    type: emulator
                    max_concurrent: 2
                    config:
                      device: low-noise-5
                      threads: 2
                      noise: true
                  - name: aurora-27
                    type: emulator
                    config: {device_file: devices/hh.json, precision: single}
                """);
        assertThat(c.server()).isEqualTo(URI.create("https://broker.example.org"));
        assertThat(c.token()).isEqualTo(new AgentToken.File(dir.resolve("agent.token")));
        assertThat(c.token().read()).isEqualTo("eyJ.token.sig");
        assertThat(c.name()).isEqualTo("aurora-site-1");
        assertThat(c.pollWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.drainTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.backoffInitial()).isEqualTo(Duration.ofMillis(200));
        assertThat(c.backoffMax()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.baseDirectory()).isEqualTo(dir);
        assertThat(c.backends()).containsExactly(
                new AgentConfig.SiteBackend("aurora-5", "emulator", Optional.of(2),
                        Map.of("device", "low-noise-5", "threads", 2, "noise", true), "backends[0]"),
                new AgentConfig.SiteBackend("aurora-27", "emulator", Optional.empty(),
                        Map.of("device_file", "devices/hh.json", "precision", "single"), "backends[1]"));
    }

    @Test
    void leftOutKeysTakeTheirDefaults() {
        AgentConfig c = parse("server: http://127.0.0.1:8080\ntoken: abc\n" + BACKENDS);
        assertThat(c.token()).isEqualTo(new AgentToken.Literal("abc"));
        assertThat(c.name()).isEqualTo(AgentConfig.defaultName()).matches(AgentConfig.NAME);
        assertThat(c.pollWait()).isEqualTo(AgentConfig.DEFAULT_POLL_WAIT);
        assertThat(c.drainTimeout()).isEqualTo(AgentConfig.DEFAULT_DRAIN_TIMEOUT);
        assertThat(c.backoffInitial()).isEqualTo(AgentConfig.DEFAULT_BACKOFF_INITIAL);
        assertThat(c.backoffMax()).isEqualTo(AgentConfig.DEFAULT_BACKOFF_MAX);
        assertThat(c.backends().get(0).maxConcurrent()).isEmpty();
    }

    @Test
    void theEnvironmentOverridesServerAndToken() throws IOException {
        String yaml = "server: http://127.0.0.1:8080\ntoken: from-file\n" + BACKENDS;
        AgentConfig c = parse(yaml, Map.of("QFED_SERVER", "https://other.example:8443", "QFED_TOKEN", "from-env"));
        assertThat(c.server()).isEqualTo(URI.create("https://other.example:8443"));
        assertThat(c.token().read()).isEqualTo("from-env");

        Files.writeString(dir.resolve("t"), "from-env-file");
        assertThat(parse(yaml, Map.of("QFED_TOKEN_FILE", "t")).token().read()).isEqualTo("from-env-file");
        assertThat(parse(BACKENDS, Map.of("QFED_SERVER", "http://localhost:1", "QFED_TOKEN", "x")).server())
                .isEqualTo(URI.create("http://localhost:1"));
    }

    @Test
    void aTokenFileIsReadAgainEachTimeSoItCanBeRotated() throws IOException {
        Path file = dir.resolve("rotating.token");
        Files.writeString(file, "one");
        AgentConfig c = parse("server: http://127.0.0.1:8080\ntoken_file: rotating.token\n" + BACKENDS);
        Files.writeString(file, "two");
        assertThat(c.token().read()).isEqualTo("two");
    }

    @Test
    void aLiteralTokenIsNeverPrinted() {
        AgentConfig c = parse("server: http://127.0.0.1:8080\ntoken: secret-token\n" + BACKENDS);
        assertThat(c.toString()).doesNotContain("secret-token");
    }

    @Test
    void theExampleSiteFileIsValid() {
        Path example = Path.of("..", "examples", "site-aurora.yaml");
        AgentConfig c = AgentConfig.load(example, Map.of("QFED_TOKEN", "t"));
        assertThat(c.backends()).extracting(AgentConfig.SiteBackend::name)
                .containsExactly("aurora-lownoise-5", "aurora-noisy-20");
    }

    static Stream<Arguments> badFiles() {
        String head = "server: http://127.0.0.1:8080\ntoken: t\n";
        return Stream.of(
                Arguments.of("unknown top-level key", "servr: http://x\n" + BACKENDS,
                        "site.yaml: servr: unknown key; expected one of server, token, token_file, name, poll_wait, "
                                + "drain_timeout, backoff, backends"),
                Arguments.of("unknown backend key", head + """
                        backends:
                          - name: a
                            type: emulator
                            max_concurent: 2
                        """, "site.yaml: backends[0].max_concurent: unknown key; expected one of name, type, "
                        + "max_concurrent, config"),
                Arguments.of("unknown backoff key", head + "backoff: {initial: 1s, maximum: 2s}\n" + BACKENDS,
                        "site.yaml: backoff.maximum: unknown key; expected one of initial, max"),
                Arguments.of("missing server", "token: t\n" + BACKENDS,
                        "site.yaml: server: is required (the broker's URL, e.g. https://broker.example.org), or set "
                                + "QFED_SERVER"),
                Arguments.of("server without scheme", "server: broker.example.org\ntoken: t\n" + BACKENDS,
                        "site.yaml: server: 'broker.example.org' must be an http:// or https:// URL, e.g. "
                                + "https://broker.example.org"),
                Arguments.of("server with a query", "server: https://b.example?x=1\ntoken: t\n" + BACKENDS,
                        "site.yaml: server: 'https://b.example?x=1' must not have a query, fragment or user info"),
                Arguments.of("server as a number", "server: 8080\ntoken: t\n" + BACKENDS,
                        "site.yaml: server: must be text, got 8080"),
                Arguments.of("no token", "server: http://127.0.0.1:8080\n" + BACKENDS,
                        "site.yaml: token: is required: set token or token_file (a file holding the agent's token), "
                                + "or QFED_TOKEN / QFED_TOKEN_FILE"),
                Arguments.of("token and token file", head + "token_file: t.txt\n" + BACKENDS,
                        "site.yaml: token_file: give either token or token_file, not both"),
                Arguments.of("empty token", "server: http://127.0.0.1:8080\ntoken: ''\n" + BACKENDS,
                        "site.yaml: token: must not be blank"),
                Arguments.of("token without value", "server: http://127.0.0.1:8080\ntoken:\n" + BACKENDS,
                        "site.yaml: token: has no value; give one or leave the key out"),
                Arguments.of("bad agent name", head + "name: -agent\n" + BACKENDS,
                        "site.yaml: name: '-agent' must be 1 to 64 letters, digits or ._- and start with a letter "
                                + "or digit"),
                Arguments.of("duration without unit", head + "poll_wait: 20\n" + BACKENDS,
                        "site.yaml: poll_wait: must be a duration with a unit, like 500ms, 20s, 2m or 1h; got 20"),
                Arguments.of("duration in words", head + "drain_timeout: 30 seconds\n" + BACKENDS,
                        "site.yaml: drain_timeout: must be a duration with a unit, like 500ms, 20s, 2m or 1h; got "
                                + "'30 seconds'"),
                Arguments.of("poll wait too long", head + "poll_wait: 11m\n" + BACKENDS,
                        "site.yaml: poll_wait: must be from 1s to 10m, got 11m"),
                Arguments.of("backoff upside down", head + "backoff: {initial: 5s, max: 1s}\n" + BACKENDS,
                        "site.yaml: backoff.max: must not be shorter than backoff.initial (5s)"),
                Arguments.of("backoff not a map", head + "backoff: 5s\n" + BACKENDS,
                        "site.yaml: backoff: must be a map with initial and max, e.g. {initial: 500ms, max: 30s}; "
                                + "got '5s'"),
                Arguments.of("no backends", head,
                        "site.yaml: backends: is required: list the backends this site offers"),
                Arguments.of("empty backends", head + "backends: []\n",
                        "site.yaml: backends: must be a list of at least one backend (name, type, config)"),
                Arguments.of("backend not a map", head + "backends: [emulator]\n",
                        "site.yaml: backends[0]: must be a map with name, type and config; got 'emulator'"),
                Arguments.of("backend without name", head + "backends:\n  - type: emulator\n",
                        "site.yaml: backends[0].name: is required"),
                Arguments.of("backend without type", head + "backends:\n  - name: a\n",
                        "site.yaml: backends[0].type: is required (e.g. emulator)"),
                Arguments.of("backend type with capitals", head + "backends:\n  - {name: a, type: Emulator}\n",
                        "site.yaml: backends[0].type: 'Emulator' is not a backend type (lower case letters, digits "
                                + "and -)"),
                Arguments.of("backend name with a space", head + "backends:\n  - {name: my backend, type: emulator}\n",
                        "site.yaml: backends[0].name: 'my backend' must be 1 to 64 letters, digits or ._- and start "
                                + "with a letter or digit"),
                Arguments.of("duplicate backend names", head + """
                        backends:
                          - {name: a, type: emulator}
                          - {name: b, type: emulator}
                          - {name: a, type: emulator}
                        """, "site.yaml: backends[2].name: 'a' is used by backends[0] already; backend names must "
                        + "be unique"),
                Arguments.of("max_concurrent zero", head + "backends:\n  - {name: a, type: emulator, max_concurrent: 0}\n",
                        "site.yaml: backends[0].max_concurrent: must be an integer from 1 to 1024, got 0"),
                Arguments.of("max_concurrent text", head + "backends:\n  - {name: a, type: emulator, max_concurrent: two}\n",
                        "site.yaml: backends[0].max_concurrent: must be an integer from 1 to 1024, got 'two'"),
                Arguments.of("config not a map", head + "backends:\n  - {name: a, type: emulator, config: [1]}\n",
                        "site.yaml: backends[0].config: must be a map of the backend type's settings; got a list"),
                Arguments.of("config value missing", head + "backends:\n  - name: a\n    type: emulator\n"
                                + "    config:\n      device:\n",
                        "site.yaml: backends[0].config.device: has no value; give one or leave the key out"),
                Arguments.of("a list at the top", "- server\n",
                        "site.yaml: the site file must be a map of keys (server, token_file, backends, …); got a list"),
                Arguments.of("an empty file", "",
                        "site.yaml: the file is empty; it needs at least server, a token and backends"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void aWrongSiteFileIsRefusedWithTheKeyPath(String what, String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(InvalidAgentConfigException.class)
                .hasMessage(message);
    }

    @Test
    void aMissingTokenFileIsRefusedAtLoad() {
        assertThatThrownBy(() -> parse("server: http://127.0.0.1:8080\ntoken_file: nope.token\n" + BACKENDS))
                .isInstanceOf(InvalidAgentConfigException.class)
                .hasMessage("site.yaml: token_file: cannot read the token file " + dir.resolve("nope.token")
                        + ": no such file");
    }

    @Test
    void anEmptyTokenFileIsRefusedAtLoad() throws IOException {
        Files.writeString(dir.resolve("empty.token"), "\n");
        assertThatThrownBy(() -> parse("server: http://127.0.0.1:8080\ntoken_file: empty.token\n" + BACKENDS))
                .hasMessage("site.yaml: token_file: the token file " + dir.resolve("empty.token") + " is empty");
    }

    @Test
    void aDuplicateKeyIsRefusedWithItsLine() {
        assertThatThrownBy(() -> parse("server: http://a:1\ntoken: t\nserver: http://b:2\n" + BACKENDS))
                .isInstanceOf(InvalidAgentConfigException.class)
                .hasMessageStartingWith("site.yaml:3:")
                .hasMessageContaining("server");
    }

    @Test
    void brokenYamlIsRefusedWithItsLine() {
        assertThatThrownBy(() -> parse("server: http://a:1\ntoken: [t\nbackends: x\n"))
                .isInstanceOf(InvalidAgentConfigException.class)
                .hasMessageStartingWith("site.yaml:")
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void aMissingSiteFileIsRefused() {
        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> AgentConfig.load(missing, Map.of()))
                .hasMessage(missing + ": cannot read the site file: no such file");
    }

    @Test
    void durationsNeedAUnit() {
        assertThat(AgentConfig.parseDuration("500ms")).contains(Duration.ofMillis(500));
        assertThat(AgentConfig.parseDuration("20s")).contains(Duration.ofSeconds(20));
        assertThat(AgentConfig.parseDuration("2m")).contains(Duration.ofMinutes(2));
        assertThat(AgentConfig.parseDuration("1h")).contains(Duration.ofHours(1));
        assertThat(List.of("20", "s", "-1s", "1.5s", "1d", "")).allSatisfy(t ->
                assertThat(AgentConfig.parseDuration(t)).as(t).isEmpty());
    }

    @Test
    void theBuilderChecksWhatTheFileReaderChecks() {
        AgentConfig.Builder b = AgentConfig.builder(URI.create("http://127.0.0.1:1"), new AgentToken.Literal("t"))
                .name("dev-agent");
        assertThatThrownBy(b::build).hasMessage("backends: list at least one backend");
        b.backend("a", "emulator", 1, Map.of()).backend("a", "emulator", 1, Map.of());
        assertThatThrownBy(b::build).hasMessage("backends[1].name: 'a' is used by backends[0] already; backend "
                + "names must be unique");
    }
}
