package dev.qfed.server.testing;

import dev.qfed.server.QfedServer;
import dev.qfed.server.ServerConfig;
import dev.qfed.server.identity.DevIssuer;
import dev.qfed.server.identity.Role;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A real broker on a free loopback port, in dev mode (so its dev issuer signs the tokens tests use: real ES256
 * JWTs checked by the real verifier), on a fresh database of the given engine, with a clock tests can move.
 * Periodic duties are left to the test ({@link QfedServer#runDuties()}) so expiry happens exactly when asked.
 */
public final class TestServer implements AutoCloseable {
    public static final Duration LEASE = Duration.ofSeconds(30);

    private final QfedServer server;
    private final TestClock clock;
    private final Path dataDir;
    private final Engine engine;

    private TestServer(QfedServer server, TestClock clock, Path dataDir, Engine engine) {
        this.server = server;
        this.clock = clock;
        this.dataDir = dataDir;
        this.engine = engine;
    }

    public static TestServer start(Engine engine) {
        return start(engine, b -> b);
    }

    public static TestServer start(Engine engine, UnaryOperator<ServerConfig.Builder> customise) {
        try {
            Path dataDir = Files.createTempDirectory("qfed-it-");
            return start(engine, dataDir, engine.newDatabaseUrl(dataDir), customise);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A broker on an existing database (a second replica, or a restart). */
    public static TestServer start(Engine engine, Path dataDir, String dbUrl,
                                   UnaryOperator<ServerConfig.Builder> customise) {
        TestClock clock = new TestClock();
        ServerConfig.Builder builder = ServerConfig.builder(dataDir)
                .port(0)
                .dbUrl(dbUrl)
                .dbPoolSize(8)
                .devMode(true)
                .leaseDuration(LEASE)
                .heartbeatInterval(Duration.ofSeconds(10))
                .maxAttempts(3)
                .sweepInterval(Duration.ofHours(1))
                .limits(new ServerConfig.Limits(256 * 1024, 20, 100_000, 8, 50, 20,
                        ServerConfig.Limits.DEFAULT.qasm()));
        return new TestServer(QfedServer.start(customise.apply(builder).build(), clock), clock, dataDir, engine);
    }

    public QfedServer server() {
        return server;
    }

    public TestClock clock() {
        return clock;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Engine engine() {
        return engine;
    }

    public String dbUrl() {
        return server.config().effectiveDbUrl();
    }

    /** A signed token from the broker's dev issuer. */
    public String token(String member, String user, Role... roles) {
        DevIssuer dev = server.devIssuer().orElseThrow();
        return dev.mint(member, user, Set.of(roles), Duration.ofHours(1));
    }

    public ApiClient client(String token) {
        return new ApiClient(server.baseUri(), token);
    }

    public ApiClient anonymous() {
        return new ApiClient(server.baseUri(), null);
    }

    /** Moves time past every lease granted so far and runs the expiry sweep. */
    public void expireLeases() {
        clock.advance(LEASE.plusSeconds(1));
        server.runDuties();
    }

    @Override
    public void close() {
        server.close();
    }
}
