package dev.qfed.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;

/**
 * The broker's relational store: a HikariCP pool, Jdbi over it, and Flyway migrations from
 * {@code db/migration}. One schema runs on both engines; where they differ (advisory locks, LISTEN/NOTIFY) callers
 * ask {@link #dialect()}.
 */
public final class Database implements AutoCloseable {

    /** The SQL engine behind the URL. */
    public enum Dialect {
        /** Embedded, one broker process; no advisory locks or notifications across processes. */
        H2,
        /** Production; several broker replicas may share it. */
        POSTGRESQL
    }

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final String url;
    private volatile boolean migrated;

    private Database(HikariDataSource dataSource, Dialect dialect, String url) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.url = url;
        this.jdbi = Jdbi.create(dataSource);
        SqlTypes.register(jdbi);
    }

    /**
     * The JDBC URL of the embedded default: an H2 file database under {@code dataDir}. {@code WRITE_DELAY=0} makes
     * every commit reach the file before it returns; H2's default (write committed changes in the background about
     * once a second) loses the last second of acknowledged jobs when the process is killed, as {@code CrashIT}
     * showed.
     */
    public static String h2Url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("qfed") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"
                + ";DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000;WRITE_DELAY=0";
    }

    /**
     * Opens a pool on {@code url} ({@code jdbc:h2:…} or {@code jdbc:postgresql:…}); nothing is migrated yet.
     *
     * @throws IllegalArgumentException for any other kind of URL
     */
    public static Database open(String url, String user, String password, int poolSize) {
        Objects.requireNonNull(url, "url");
        Dialect dialect;
        if (url.startsWith("jdbc:h2:")) {
            dialect = Dialect.H2;
        } else if (url.startsWith("jdbc:postgresql:")) {
            dialect = Dialect.POSTGRESQL;
        } else {
            throw new IllegalArgumentException("unsupported database URL '" + redact(url)
                    + "': use jdbc:postgresql://host:port/db or jdbc:h2:file:/path");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null && !user.isEmpty()) {
            config.setUsername(user);
        }
        if (password != null && !password.isEmpty()) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setPoolName("qfed-db");
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        config.setInitializationFailTimeout(-1); // start even while the database is down; /health/ready tells
        config.setAutoCommit(true);
        if (dialect == Dialect.POSTGRESQL) {
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
            config.addDataSourceProperty("tcpKeepAlive", "true");
        }
        return new Database(new HikariDataSource(config), dialect, url);
    }

    /** Applies pending migrations; safe to call from several replicas at once (Flyway locks). */
    public void migrate() {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .failOnMissingLocations(true)
                .load()
                .migrate();
        migrated = true;
    }

    public boolean migrated() {
        return migrated;
    }

    /** Whether a connection can be had and answers within two seconds. */
    public boolean reachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The URL without credentials, for logs. */
    public String describe() {
        return redact(url);
    }

    /** A connection outside the pool, for sessions that must outlive any request (advisory lock, LISTEN). */
    public Connection dedicatedConnection() throws SQLException {
        return java.sql.DriverManager.getConnection(url, dataSource.getUsername(), dataSource.getPassword());
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
