package dev.qfed.cli.server;

import dev.qfed.cli.Environment;
import dev.qfed.cli.Main;
import dev.qfed.server.ServerConfig;
import dev.qfed.server.identity.TrustedIssuer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code qfed server}'s configuration: file, then variables, then flags; strict about everything it reads. */
class ServerSettingsTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        Path f = dir.resolve("qfed.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private ServerConfig load(String yaml, Map<String, String> env, Map<String, String> flags) throws IOException {
        return ServerSettings.load(Optional.of(file(yaml)), env, flags, dir);
    }

    private String refusal(String yaml) {
        return refusal(yaml, Map.of(), Map.of());
    }

    private String refusal(String yaml, Map<String, String> env, Map<String, String> flags) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> load(yaml, env, flags));
        assertThat(t).isInstanceOf(InvalidServerConfigException.class);
        return t.getMessage();
    }

    @Test
    void theExampleFileShowsEveryKeyAndLoads() throws IOException {
        Path example = REPO.resolve("examples/qfed.yaml");
        ServerConfig c = ServerSettings.load(Optional.of(example), Map.of(), Map.of(), dir);
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/qfed"));
        assertThat(c.trustedIssuers()).extracting(TrustedIssuer::issuerUrl)
                .containsExactly("https://login.aurora.example.org/realms/qfed", "https://idp.borealis.example.net");
        assertThat(c.trustedIssuers().getFirst().members()).containsExactly("aurora");
        assertThat(c.trustedIssuers().getFirst().jwks()).isEqualTo(TrustedIssuer.Jwks.remote(URI.create(
                "https://login.aurora.example.org/realms/qfed/protocol/openid-connect/certs")));
        assertThat(c.devMode()).isFalse();
        assertThat(c.leaseDuration()).isEqualTo(Duration.ofSeconds(60));
        String text = Files.readString(example);
        for (ServerSettings.Key key : ServerSettings.KEYS) {
            String leaf = key.path().substring(key.path().lastIndexOf('.') + 1);
            assertThat(text).as("examples/qfed.yaml shows %s", key.path())
                    .containsPattern("(?m)^\\s*(# )?" + leaf + ":");
        }
    }

    @Test
    void theConfigurationGuideDocumentsEveryKeyWithItsVariable() throws IOException {
        String guide = Files.readString(REPO.resolve("docs/configuration.md"));
        for (ServerSettings.Key key : ServerSettings.KEYS) {
            assertThat(guide).as("docs/configuration.md row of %s", key.path())
                    .contains("| `" + key.path() + "` |").contains("`" + key.environmentVariable() + "`");
        }
        for (String k : ServerSettings.ISSUER_KEYS) {
            assertThat(guide).contains("`" + k);
        }
        ServerSettings.FLAGS.keySet().forEach(flag -> assertThat(guide).contains("`" + flag + "`"));
    }

    @Test
    void variablesOverrideTheFileAndFlagsOverrideBoth() throws IOException {
        String yaml = """
                port: 9000
                db: {url: "jdbc:h2:mem:a", user: file-user}
                dev_issuer: {enabled: true}
                leases: {duration: 30s}
                """;
        ServerConfig fileOnly = load(yaml, Map.of(), Map.of());
        assertThat(fileOnly.port()).isEqualTo(9000);
        assertThat(fileOnly.dbUser()).contains("file-user");

        Map<String, String> env = Map.of("QFED_PORT", "9001", "QFED_DB_PASSWORD", "s3cret",
                "QFED_LEASES_DURATION", "45s", "QFED_DEV_ISSUER_MEMBERS", "aurora, borealis");
        ServerConfig withEnv = load(yaml, env, Map.of());
        assertThat(withEnv.port()).isEqualTo(9001);
        assertThat(withEnv.dbPassword()).contains("s3cret");
        assertThat(withEnv.leaseDuration()).isEqualTo(Duration.ofSeconds(45));
        assertThat(withEnv.devMembers()).isEqualTo(Set.of("aurora", "borealis"));

        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("--port", "9002");
        flags.put("--db-user", "flag-user");
        flags.put("--data-dir", "elsewhere");
        ServerConfig withFlags = load(yaml, env, flags);
        assertThat(withFlags.port()).isEqualTo(9002);
        assertThat(withFlags.dbUser()).contains("flag-user");
        assertThat(withFlags.dbPassword()).contains("s3cret");
        assertThat(withFlags.dataDir()).isEqualTo(dir.resolve("elsewhere"));
    }

    @Test
    void withoutAFileEveryDefaultHoldsAndTheDataDirectoryIsInTheWorkingDirectory() {
        ServerConfig c = ServerSettings.load(Optional.empty(), Map.of("QFED_DEV_ISSUER_ENABLED", "true"), Map.of(),
                dir);
        ServerConfig defaults = ServerConfig.builder(dir.resolve("qfed-data")).devMode(true).build();
        assertThat(c).isEqualTo(defaults);
        assertThat(c.effectiveDbUrl()).startsWith("jdbc:h2:file:" + dir.resolve("qfed-data"));
    }

    @Test
    void relativePathsInTheFileResolveAgainstItsFolder() throws IOException {
        ServerConfig c = load("data_dir: state\ndev_issuer: {enabled: true}\n", Map.of(), Map.of());
        assertThat(c.dataDir()).isEqualTo(dir.resolve("state"));
    }

    @Test
    void trustedIssuersMayNameTheirClaimsAndAudience() throws IOException {
        ServerConfig c = load("""
                trusted_issuers:
                  - issuer: https://idp.example.org
                    members: [aurora, borealis]
                    jwks_url: https://idp.example.org/keys
                    audience: consortium
                    claims: {user: preferred_username, roles: groups}
                """, Map.of(), Map.of());
        TrustedIssuer i = c.trustedIssuers().getFirst();
        assertThat(i.members()).containsExactlyInAnyOrder("aurora", "borealis");
        assertThat(i.audience()).isEqualTo("consortium");
        assertThat(i.claims()).isEqualTo(new TrustedIssuer.ClaimNames("preferred_username", "member", "groups"));
        assertThat(c.devMode()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            prot: 8080                            | qfed.yaml: prot: unknown key; expected one of host, port, data_dir, max_wait, db, dev_issuer, limits, jobs, leases, agents, trusted_issuers
            leases: {durtion: 5s}                 | qfed.yaml: leases.durtion: unknown key; expected one of duration, heartbeat_interval, sweep_interval
            port: "8080"                          | qfed.yaml: port: must be a whole number, got '8080'
            port: 70000                           | qfed.yaml: port: must be from 0 to 65535, got 70000
            db: {password: 1234, user: q}         | qfed.yaml: db.password: must be text, got 1234 (quote it: '1234')
            leases: {duration: 30}                | qfed.yaml: leases.duration: must be a duration with a unit, like 500ms, 30s, 5m, 1h or 1d; got 30
            leases: {duration: 2d}                | qfed.yaml: leases.duration: must be from 100ms to 1d, got 2d
            dev_issuer: {enabled: yes please}     | qfed.yaml: dev_issuer.enabled: must be true or false, got 'yes please'
            db: jdbc:h2:mem:x                     | qfed.yaml: db: must be a map with url, user, password, pool_size; got 'jdbc:h2:mem:x'
            db: {url: "jdbc:mysql://x/y"}         | qfed.yaml: db.url: 'jdbc:mysql://x/y' is not a jdbc:postgresql:… or jdbc:h2:… URL
            db: {password: s}                     | qfed.yaml: db.password: a database password needs a user too (db.user, QFED_DB_USER or --db-user)
            host: ~                               | qfed.yaml: host: has no value; give one or leave the key out
            trusted_issuers: {issuer: x}          | qfed.yaml: trusted_issuers: must be a list of issuers (issuer, members, jwks_url); got a map
            [1, 2]                                | qfed.yaml: the configuration must be a map of keys (port, db, trusted_issuers, …); got a list
            port: 1\\nport: 2                      | qfed.yaml:2:5: not valid YAML: Duplicate field 'port'
            """)
    void aWrongFileIsRefusedWithTheKeyPath(String yaml, String message) {
        assertThat(refusal(yaml.replace("\\n", "\n")))
                .isEqualTo(dir.resolve(message.substring(0, message.indexOf(':'))) + message.substring(
                        message.indexOf(':')));
    }

    @Test
    void issuersAreCheckedEntryByEntry() {
        assertThat(refusal("""
                trusted_issuers:
                  - issuer: https://idp.example.org
                    jwks_url: https://idp.example.org/keys
                """)).endsWith("trusted_issuers[0].members: is required: the members this issuer speaks for, "
                + "e.g. [aurora]");
        assertThat(refusal("""
                trusted_issuers:
                  - issuer: https://idp.example.org
                    members: ["*"]
                    jwks_url: https://idp.example.org/keys
                """)).contains("trusted_issuers[0]: ").contains("wildcards are not allowed");
        assertThat(refusal("""
                trusted_issuers:
                  - issuer: https://idp.example.org
                    members: [aurora]
                    jwks_url: http://idp.example.org/keys
                """)).contains("trusted_issuers[0]: ").contains("plain http on a non-loopback host");
        assertThat(refusal("""
                trusted_issuers:
                  - issuer: https://idp.example.org
                    members: [aurora]
                    jwks_url: https://idp.example.org/keys
                    claims: {subject: sub}
                """)).endsWith("trusted_issuers[0].claims.subject: unknown key; expected one of user, member, roles");
    }

    @Test
    void aBrokerNeedsSomeoneToTrust() {
        assertThat(refusal("port: 8080")).startsWith("no trusted issuers: list the members' identity providers "
                + "under trusted_issuers");
    }

    @Test
    void heartbeatsMustComeBeforeLeasesExpire() {
        assertThat(refusal("dev_issuer: {enabled: true}\nleases: {duration: 10s, heartbeat_interval: 10s}"))
                .isEqualTo(dir.resolve("qfed.yaml") + ": leases.heartbeat_interval: the heartbeat interval (10s) must "
                        + "be shorter than the lease duration (10s), or leases expire between heartbeats");
    }

    @Test
    void badVariablesAndFlagsAreNamed() {
        assertThat(refusal("dev_issuer: {enabled: true}", Map.of("QFED_PORT", "http"), Map.of()))
                .isEqualTo("QFED_PORT: must be a whole number, got 'http'");
        assertThat(refusal("dev_issuer: {enabled: true}", Map.of(), Map.of("--port", "-1")))
                .isEqualTo("--port: must be from 0 to 65535, got -1");
        assertThat(refusal("dev_issuer: {enabled: true}", Map.of("QFED_DEV_ISSUER_MEMBERS", "aurora,,x"), Map.of()))
                .isEqualTo("QFED_DEV_ISSUER_MEMBERS: must be a comma-separated list of names, got 'aurora,,x'");
    }

    @Test
    void theServerCommandExitsWith3AndTheMessageForABadFile() throws IOException {
        Path f = file("leases: {durtion: 5s}\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new Environment(Map.of(), dir, false), new PrintWriter(out), new PrintWriter(err),
                "server", "--config", f.toString());
        assertThat(code).isEqualTo(3);
        assertThat(err.toString()).isEqualTo("qfed: " + f + ": leases.durtion: unknown key; expected one of "
                + "duration, heartbeat_interval, sweep_interval" + System.lineSeparator());
    }

    @Test
    void theAgentCommandExitsWith3ForAMissingSiteFile() {
        StringWriter err = new StringWriter();
        int code = Main.execute(new Environment(Map.of(), dir, false), new PrintWriter(new StringWriter()),
                new PrintWriter(err), "agent", "--config", dir.resolve("nope.yaml").toString());
        assertThat(code).isEqualTo(3);
        assertThat(err.toString()).contains("nope.yaml: cannot read the site file: no such file");
    }

    @Test
    void everyKeyHasAVariableNamedAfterItsPath() {
        assertThat(ServerSettings.KEYS).extracting(ServerSettings.Key::environmentVariable)
                .contains("QFED_DB_PASSWORD", "QFED_PORT", "QFED_DATA_DIR", "QFED_LEASES_DURATION")
                .doesNotHaveDuplicates();
        assertThat(List.copyOf(ServerSettings.FLAGS.values())).allSatisfy(path ->
                assertThat(ServerSettings.KEYS).extracting(ServerSettings.Key::path).contains(path));
    }
}
