package dev.qfed.server.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plain JDBC on a Jdbi handle's connection, for the statements every job goes through (submit, lease, result):
 * Jdbi's per-statement machinery (named-parameter parsing, argument factories, statement events) cost about as
 * much CPU as the driver itself there. Positional {@code ?} parameters; {@link Instant}s are bound as UTC
 * {@link OffsetDateTime}s like everywhere else. Statements run inside the handle's transaction; the driver
 * caches their server-side preparation by SQL text.
 */
public final class Jdbc {
    private Jdbc() {
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    public static int update(Handle h, String sql, Object... args) {
        try (PreparedStatement s = h.getConnection().prepareStatement(sql)) {
            bind(s, args);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /** One statement executed for each argument list, in one round trip where the driver can. */
    public static int[] batch(Handle h, String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return new int[0];
        }
        try (PreparedStatement s = h.getConnection().prepareStatement(sql)) {
            for (Object[] args : rows) {
                bind(s, args);
                s.addBatch();
            }
            return s.executeBatch();
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    public static <T> List<T> query(Handle h, String sql, Row<T> row, Object... args) {
        Connection c = h.getConnection();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            try (ResultSet rs = s.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    public static <T> Optional<T> queryOne(Handle h, String sql, Row<T> row, Object... args) {
        List<T> rows = query(h, sql, row, args);
        if (rows.size() > 1) {
            throw new IllegalStateException("expected at most one row from: " + sql);
        }
        return rows.stream().findFirst();
    }

    /** A SQL array of {@code elementType} (the driver's type name, e.g. {@code varchar}, {@code int4}) to bind. */
    public static java.sql.Array array(Handle h, String elementType, Object[] elements) {
        try {
            return h.getConnection().createArrayOf(elementType, elements);
        } catch (SQLException e) {
            throw failed("an array of " + elementType, e);
        }
    }

    /**
     * PostgreSQL: the rows {@code unnest} names (it must have a column {@code id}), as {@code u}, each found in
     * {@code table} by its {@code id} key, locked, and given with its ctid ({@code u.tid}) for an update to join on
     * ({@code WHERE x.ctid = u.tid}). One probe per element in a {@code LATERAL} subquery the planner cannot flatten
     * ({@code OFFSET 0}): a join with {@code unnest} could keep a generic plan that scans the whole table (see
     * JobStore.byIds). Rows are locked in the order of the arrays; callers sort them so that two lockers cannot
     * deadlock, or hold the locks already.
     */
    public static String lockedProbe(String unnest, String table) {
        return "(SELECT t.ctid AS tid, u.* FROM " + unnest + " CROSS JOIN LATERAL (SELECT ctid FROM " + table
                + " t WHERE t.id = u.id OFFSET 0 FOR UPDATE) t) u";
    }

    /** {@code n} comma-separated parameter markers, for {@code IN (…)}. */
    public static String markers(int n) {
        return n == 1 ? "?" : "?, ".repeat(n - 1) + "?";
    }

    /** A nullable timestamp column as an instant. */
    public static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static void bind(PreparedStatement s, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Instant t) {
                s.setObject(i + 1, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
            } else if (a == null) {
                s.setNull(i + 1, java.sql.Types.VARCHAR);
            } else {
                s.setObject(i + 1, a);
            }
        }
    }

    private static RuntimeException failed(String sql, SQLException e) {
        // The same exception type Jdbi throws, so callers (unique-violation checks, the problem mapper) see one kind.
        return new UnableToExecuteStatementException("failed: " + sql + ": " + e.getMessage(), e, null);
    }
}
