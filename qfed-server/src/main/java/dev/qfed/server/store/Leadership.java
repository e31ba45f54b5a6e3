package dev.qfed.server.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Which replica runs the periodic duties. On PostgreSQL, the one that holds a session-level advisory lock on a
 * dedicated connection: it keeps the lock until that connection dies, and the other replicas try again on every
 * tick. On H2 there is one broker process, so it always leads.
 */
public final class Leadership implements AutoCloseable {
    /** Advisory lock key: "qfed" in ASCII, so it is recognisable in pg_locks. */
    static final long LOCK_KEY = 0x7166_6564L;
    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

    private final Database database;
    private Connection connection;
    private boolean leader;

    public Leadership(Database database) {
        this.database = database;
    }

    /** Whether this replica leads now, trying to become leader if it does not. Called from one thread. */
    public synchronized boolean check() {
        if (database.dialect() == Database.Dialect.H2) {
            return true;
        }
        try {
            if (connection == null || !connection.isValid(2)) {
                if (leader) {
                    LOG.warn("lost the leader lock: its database session ended");
                }
                leader = false;
                closeQuietly();
                connection = database.dedicatedConnection();
            }
            if (!leader) {
                try (PreparedStatement s = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                    s.setLong(1, LOCK_KEY);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        leader = rs.getBoolean(1);
                    }
                }
                if (leader) {
                    LOG.info("this replica now runs the periodic duties (advisory lock {} held)", LOCK_KEY);
                }
            }
            return leader;
        } catch (SQLException e) {
            LOG.warn("cannot check the leader lock: {}", e.getMessage());
            leader = false;
            closeQuietly();
            return false;
        }
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the session is gone either way
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        leader = false;
        closeQuietly();
    }
}
