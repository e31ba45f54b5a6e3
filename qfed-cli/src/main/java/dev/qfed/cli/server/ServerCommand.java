package dev.qfed.cli.server;

import dev.qfed.cli.Main;
import dev.qfed.server.QfedServer;
import dev.qfed.server.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code qfed server [--config qfed.yaml] [--port P] [--db-url URL] …}: runs the broker in the foreground until
 * SIGTERM or Ctrl-C, then stops it cleanly. Configuration: the file, overridden by {@code QFED_*} variables,
 * overridden by flags ({@link ServerSettings}).
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run the broker: the REST API, scheduler and leases over a database (H2 or PostgreSQL).",
        footer = {"", "Settings come from the file, then QFED_* environment variables",
                "(db.password -> QFED_DB_PASSWORD), then these flags. Every key is described",
                "in docs/configuration.md; examples/qfed.yaml is a start.",
                "SIGTERM or Ctrl-C stops the broker after the requests in flight."})
public final class ServerCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "The configuration file (YAML), e.g. qfed.yaml.")
    Path config;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Interface to listen on (default 127.0.0.1).")
    String host;

    @Option(names = "--port", paramLabel = "PORT",
            description = "TCP port of the API (default 8080; 0 picks a free one).")
    String port;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the H2 database lives (default ./qfed-data).")
    String dataDir;

    @Option(names = "--db-url", paramLabel = "URL",
            description = "jdbc:postgresql://… or jdbc:h2:… (default: H2 under the data directory).")
    String dbUrl;

    @Option(names = "--db-user", paramLabel = "USER", description = "Database user.")
    String dbUser;

    @Option(names = "--db-password", paramLabel = "PASSWORD",
            description = "Database password (prefer QFED_DB_PASSWORD: flags show in the process list).")
    String dbPassword;

    /** H2's error code for a database file another process holds. */
    private static final String H2_DATABASE_IN_USE = "90020";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, String> flags = new LinkedHashMap<>();
        putIfGiven(flags, "--host", host);
        putIfGiven(flags, "--port", port);
        putIfGiven(flags, "--data-dir", dataDir);
        putIfGiven(flags, "--db-url", dbUrl);
        putIfGiven(flags, "--db-user", dbUser);
        putIfGiven(flags, "--db-password", dbPassword);
        ServerConfig settings = ServerSettings.load(Optional.ofNullable(config),
                Main.environment(spec).variables(), flags, Path.of("").toAbsolutePath());
        QfedServer server = start(settings);
        PrintWriter err = spec.commandLine().getErr();
        err.println("qfed server: listening on " + server.baseUri() + " (database " + describe(settings)
                + (settings.devMode() ? "; dev issuer on: POST /dev/token mints tokens for " + String.join(", ",
                settings.devMembers().stream().sorted().toList()) : "") + "). SIGTERM or Ctrl-C stops it.");
        err.flush();
        Foreground.runUntilStopped("qfed-server-stop", () -> {
            server.close();
            err.println("qfed server: stopped");
            err.flush();
        });
        return 0;
    }

    /** Starts a broker; a taken port becomes a message that names it and the flag that changes it. */
    public static QfedServer start(ServerConfig settings) {
        if (settings.port() != 0 && !canListen(settings.host(), settings.port())) {
            // Found before the database is opened: the message is the only thing the user sees.
            throw new PortInUseException(settings.host(), settings.port());
        }
        try {
            return QfedServer.start(settings);
        } catch (RuntimeException e) {
            if (Foreground.isAddressInUse(e)) {
                throw new PortInUseException(settings.host(), settings.port());
            }
            throw databaseProblem(e, settings).orElseThrow(() -> e);
        }
    }

    /** A failure to reach the database, said in the user's terms; empty for anything else. */
    private static Optional<DatabaseUnavailableException> databaseProblem(Throwable e, ServerConfig settings) {
        SQLException connection = null; // the innermost one says most: "connection refused", not "pool timed out"
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                if (sql.getSQLState().equals(H2_DATABASE_IN_USE)) {
                    return Optional.of(new DatabaseUnavailableException(DatabaseUnavailableException.Reason.IN_USE,
                            "the database under " + settings.dataDir() + " is open in another process (another "
                                    + "qfed dev or qfed server?); stop that one, or choose another --data-dir", e));
                }
                if (sql.getSQLState().startsWith("08")) { // SQL's class of connection exceptions
                    connection = sql;
                }
            }
        }
        return Optional.ofNullable(connection).map(sql -> new DatabaseUnavailableException(
                DatabaseUnavailableException.Reason.UNREACHABLE, "cannot connect to the database "
                + describe(settings) + ": " + sql.getMessage() + " (is it running? --db-url, QFED_DB_URL or db.url "
                + "in the configuration file say where)", e));
    }

    private static boolean canListen(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as Jetty does: connections in TIME_WAIT do not hold the port
            probe.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String describe(ServerConfig c) {
        String url = c.effectiveDbUrl();
        int semicolon = url.indexOf(';');
        String shown = semicolon < 0 ? url : url.substring(0, semicolon);
        int query = shown.indexOf('?');
        return query < 0 ? shown : shown.substring(0, query); // never print credentials given in the URL
    }

    private static void putIfGiven(Map<String, String> flags, String name, String value) {
        if (value != null) {
            flags.put(name, value);
        }
    }
}
