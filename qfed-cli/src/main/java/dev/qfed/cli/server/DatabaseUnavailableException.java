package dev.qfed.cli.server;

import java.util.Objects;

/** The broker cannot start because it cannot use its database. */
public final class DatabaseUnavailableException extends RuntimeException {

    /** Why the database cannot be used. */
    public enum Reason {
        /** The embedded H2 database is open in another process (H2 in file mode allows one). */
        IN_USE,
        /** The database server does not answer or refuses the connection. */
        UNREACHABLE
    }

    private final Reason reason;

    public DatabaseUnavailableException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
