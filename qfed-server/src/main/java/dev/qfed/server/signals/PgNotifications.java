package dev.qfed.server.signals;

import dev.qfed.server.store.Database;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Carries {@link Signals} between broker replicas with PostgreSQL LISTEN/NOTIFY. Publishing is asynchronous and
 * coalesced (one NOTIFY carries every key signalled meanwhile), so the request that signals pays nothing for it;
 * one listener session per replica feeds what others published into the local waiters.
 *
 * <p>A NOTIFY costs the publishing session a statement and a commit, so none is sent while no other replica
 * listens: each listener session holds a shared advisory lock ({@link #LISTENING}), and the sender looks in
 * {@code pg_locks} for another session holding it, at most once per {@link #LOOK_AGAIN} while it has signals to
 * send. A replica that starts listening is noticed within that time; its long polls look at the database every
 * second anyway, so a signal lost meanwhile only delays them.
 */
public final class PgNotifications implements Signals.Publisher, AutoCloseable {
    static final String CHANNEL = "qfed_signals";
    private static final Logger LOG = LoggerFactory.getLogger(PgNotifications.class);
    private static final int MAX_PAYLOAD = 7000;
    /** The advisory lock (two-key form, so it cannot meet Leadership's one-key lock) every listener holds shared. */
    private static final int LOCK_CLASS = 0x71666564;
    private static final int LOCK_LISTENING = 2;
    static final String LISTENING = "pg_advisory_lock_shared(" + LOCK_CLASS + ", " + LOCK_LISTENING + ")";
    private static final long LOOK_AGAIN = TimeUnit.SECONDS.toNanos(1);

    private final Database database;
    private final Signals signals;
    private final LinkedBlockingQueue<String> outbox = new LinkedBlockingQueue<>();
    private volatile boolean running = true;
    /** The backend process of this replica's listener session, 0 while it has none. */
    private volatile int listenerPid;
    private final Thread listener;
    private final Thread sender;

    public PgNotifications(Database database, Signals signals) {
        this.database = database;
        this.signals = signals;
        this.listener = Thread.ofVirtual().name("qfed-pg-listen").start(this::listen);
        this.sender = Thread.ofVirtual().name("qfed-pg-notify").start(this::send);
    }

    @Override
    public void publish(Collection<String> keys) {
        outbox.addAll(keys);
    }

    private void send() {
        Connection connection = null;
        boolean othersListen = false;
        long lookedAt = System.nanoTime() - LOOK_AGAIN;
        while (running) {
            try {
                String first = outbox.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                Set<String> keys = new LinkedHashSet<>();
                keys.add(first);
                List<String> more = new ArrayList<>();
                outbox.drainTo(more, 1000);
                keys.addAll(more);
                if (connection == null || connection.isClosed()) {
                    connection = database.dedicatedConnection();
                }
                if (System.nanoTime() - lookedAt >= LOOK_AGAIN) {
                    othersListen = othersListen(connection, listenerPid);
                    lookedAt = System.nanoTime();
                }
                if (!othersListen) {
                    continue;
                }
                try (PreparedStatement s = connection.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
                    StringBuilder payload = new StringBuilder();
                    for (String key : keys) {
                        if (payload.length() + key.length() + 1 > MAX_PAYLOAD) {
                            s.setString(1, payload.toString());
                            s.execute();
                            payload.setLength(0);
                        }
                        payload.append(key).append('\n');
                    }
                    s.setString(1, payload.toString());
                    s.execute();
                }
            } catch (InterruptedException e) {
                return;
            } catch (SQLException e) {
                LOG.debug("cannot publish signals (other replicas will notice by polling): {}", e.getMessage());
                connection = closeQuietly(connection);
                sleep(1000);
            }
        }
        closeQuietly(connection);
    }

    /** Whether a session other than {@code ownListenerPid} holds the listeners' lock. */
    static boolean othersListen(Connection connection, int ownListenerPid) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_locks "
                + "WHERE locktype = 'advisory' AND CAST(classid AS BIGINT) = ? AND CAST(objid AS BIGINT) = ? "
                + "AND objsubid = 2 AND granted AND pid <> ?)")) {
            s.setLong(1, LOCK_CLASS);
            s.setLong(2, LOCK_LISTENING);
            s.setInt(3, ownListenerPid);
            try (var rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private void listen() {
        Connection connection = null;
        while (running) {
            try {
                if (connection == null || connection.isClosed()) {
                    connection = database.dedicatedConnection();
                    try (Statement s = connection.createStatement()) {
                        s.execute("LISTEN " + CHANNEL);
                        try (var rs = s.executeQuery("SELECT pg_backend_pid(), " + LISTENING)) {
                            rs.next();
                            listenerPid = rs.getInt(1);
                        }
                    }
                }
                PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications(500);
                if (notifications == null) {
                    continue;
                }
                List<String> keys = new ArrayList<>();
                for (PGNotification n : notifications) {
                    for (String key : n.getParameter().split("\n")) {
                        if (!key.isEmpty()) {
                            keys.add(key);
                        }
                    }
                }
                signals.signalLocal(keys);
            } catch (SQLException e) {
                if (running) {
                    LOG.debug("signal listener lost its session (reconnecting): {}", e.getMessage());
                }
                connection = closeQuietly(connection);
                sleep(1000);
            }
        }
        closeQuietly(connection);
    }

    /** The backend process of this replica's listener session; 0 until it has listened. */
    int listenerPid() {
        return listenerPid;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Connection closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // gone either way
            }
        }
        return null;
    }

    @Override
    public void close() {
        running = false;
        listener.interrupt();
        sender.interrupt();
        try {
            listener.join(2000);
            sender.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
