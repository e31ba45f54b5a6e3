package dev.qfed.sdk.testing;

import dev.qfed.api.DevTokenRequest;
import dev.qfed.sdk.QfedClient;
import dev.qfed.sdk.RetryPolicy;
import dev.qfed.server.QfedServer;
import dev.qfed.server.ServerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The real broker in this process: dev mode (its dev issuer signs real tokens), H2 in a temporary directory, a free
 * loopback port. Shared by the SDK, CLI and load generator tests through this module's test jar.
 */
public final class LocalBroker implements AutoCloseable {
    private final QfedServer server;
    private final Path dataDir;

    private LocalBroker(QfedServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    public static LocalBroker start() {
        try {
            Path dataDir = Files.createTempDirectory("qfed-sdk-it-");
            ServerConfig config = ServerConfig.builder(dataDir)
                    .host("127.0.0.1")
                    .port(0)
                    .devMode(true)
                    .dbPoolSize(8)
                    .sweepInterval(Duration.ofMillis(250))
                    .maxWait(Duration.ofSeconds(30))
                    .build();
            return new LocalBroker(QfedServer.start(config), dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI uri() {
        return server.baseUri();
    }

    public QfedServer server() {
        return server;
    }

    /** A token of the dev issuer. */
    public String token(String member, String user, String... roles) {
        try (QfedClient anonymous = QfedClient.builder().server(uri()).build()) {
            return anonymous.devToken(new DevTokenRequest(member, user, List.of(roles), Optional.empty())).token();
        }
    }

    /** A client acting as a researcher of {@code member}. */
    public QfedClient client(String member, String user) {
        return QfedClient.builder().server(uri()).token(token(member, user)).retryPolicy(RetryPolicy.defaults())
                .build();
    }

    @Override
    public void close() {
        server.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
