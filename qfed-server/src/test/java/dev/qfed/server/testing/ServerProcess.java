package dev.qfed.server.testing;

import dev.qfed.server.QfedServer;
import dev.qfed.server.ServerConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A broker in its own JVM, for tests that kill it with SIGKILL: {@code ServerProcess DATA_DIR DB_URL PORT_FILE}.
 * Dev mode (its issuer's key is read from the data directory), a free port written to PORT_FILE once it serves,
 * short leases and a fast sweep so a killed agent's work comes back quickly.
 */
public final class ServerProcess {
    private ServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        ServerConfig config = ServerConfig.builder(dataDir)
                .port(0)
                .dbUrl(args[1])
                .dbPoolSize(8)
                .devMode(true)
                .leaseDuration(Duration.ofSeconds(2))
                .heartbeatInterval(Duration.ofMillis(500))
                .sweepInterval(Duration.ofMillis(200))
                .maxAttempts(10)
                .build();
        QfedServer server = QfedServer.start(config);
        Path portFile = Path.of(args[2]);
        Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.writeString(tmp, Integer.toString(server.port()));
        Files.move(tmp, portFile);
        Thread.currentThread().join();
    }
}
