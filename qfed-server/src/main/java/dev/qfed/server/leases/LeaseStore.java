package dev.qfed.server.leases;

import dev.qfed.server.store.Database;
import dev.qfed.server.store.Jdbc;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * SQL of the lease capability: {@code leases}. Rows are inserted by the claim
 * ({@link dev.qfed.server.jobs.JobStore#claim}), in the statement that assigns their jobs.
 */
public final class LeaseStore {
    private final Database.Dialect dialect;

    /** @param dialect decides the shape of {@link #end(Handle, Map, Instant)}: one array statement on PostgreSQL */
    public LeaseStore(Database.Dialect dialect) {
        this.dialect = dialect;
    }

    /** What became of a lease. */
    public enum LeaseRowState {
        /** The agent holds the job. */
        ACTIVE,
        /** Its result was accepted. */
        COMPLETED,
        /** The agent reported a failure (or confirmed a cancellation). */
        FAILED,
        /** It ran out before the agent reported. */
        EXPIRED,
        /** The agent gave it back before starting the job. */
        RELEASED
    }

    /** A row of {@code leases}, with the member of the agent that holds it. */
    public record LeaseRow(String id, String jobId, String agentId, String agentMember, int attempt,
                           LeaseRowState state, Instant grantedAt, Instant expiresAt, Optional<Instant> endedAt) {
    }

    private static final String SELECT = "SELECT l.id, l.job_id, l.agent_id, a.member, l.attempt, l.state, "
            + "l.granted_at, l.expires_at, l.ended_at FROM leases l JOIN agents a ON a.id = l.agent_id ";

    public Optional<LeaseRow> find(Handle h, String id) {
        return Jdbc.queryOne(h, SELECT + "WHERE l.id = ?", LeaseStore::row, id);
    }

    public List<LeaseRow> findAll(Handle h, Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        // On PostgreSQL one probe by key per id, not l.id = ANY(?) nor a join: see JobStore.byIds.
        return Jdbc.query(h, switch (dialect) {
            case POSTGRESQL -> SELECT.replace("FROM leases l", "FROM unnest(CAST(? AS VARCHAR[])) AS u (id) "
                    + "CROSS JOIN LATERAL (SELECT * FROM leases l WHERE l.id = u.id OFFSET 0) l");
            case H2 -> SELECT + "WHERE l.id = ANY(?)";
        }, LeaseStore::row, ids(h, ids));
    }

    /** Extends the active leases among {@code ids} to {@code expiresAt}; the caller decides whose they may be. */
    public int extend(Handle h, Collection<String> ids, Instant expiresAt) {
        if (ids.isEmpty()) {
            return 0;
        }
        return Jdbc.update(h, switch (dialect) {
            case POSTGRESQL -> "UPDATE leases l SET expires_at = ? FROM "
                    + Jdbc.lockedProbe("unnest(CAST(? AS VARCHAR[])) AS u (id)", "leases")
                    + " WHERE l.ctid = u.tid AND l.state = 'ACTIVE' AND l.expires_at < ?";
            case H2 -> "UPDATE leases SET expires_at = ? WHERE id = ANY(?) AND state = 'ACTIVE' AND expires_at < ?";
        }, expiresAt, ids(h, new TreeSet<>(ids)), expiresAt);
    }

    /** One array parameter, so that the statement's text (and the driver's preparation) is the same for any count. */
    private static java.sql.Array ids(Handle h, Collection<String> ids) {
        return Jdbc.array(h, "varchar", ids.toArray());
    }

    /** Ends those of the leases that are active, each in the state given; one statement on PostgreSQL. */
    public void end(Handle h, Map<String, LeaseRowState> ends, Instant now) {
        if (ends.isEmpty()) {
            return;
        }
        switch (dialect) {
            case POSTGRESQL -> {
                Map<String, LeaseRowState> sorted = new TreeMap<>(ends);
                Jdbc.update(h, "UPDATE leases l SET state = u.state, ended_at = ? FROM "
                        + Jdbc.lockedProbe("unnest(CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[])) AS u (id, state)",
                                "leases")
                        + " WHERE l.ctid = u.tid AND l.state = 'ACTIVE'", now,
                        Jdbc.array(h, "varchar", sorted.keySet().toArray()),
                        Jdbc.array(h, "varchar", sorted.values().stream().map(Enum::name).toArray()));
            }
            case H2 -> {
                List<Object[]> rows = new ArrayList<>(ends.size());
                ends.forEach((id, state) -> rows.add(new Object[] {state.name(), now, id}));
                Jdbc.batch(h, "UPDATE leases SET state = ?, ended_at = ? WHERE id = ? AND state = 'ACTIVE'", rows);
            }
        }
    }

    /** Active leases that ran out before {@code now}, oldest expiry first. */
    public List<LeaseRow> expired(Handle h, Instant now, int limit) {
        return h.createQuery(SELECT + "WHERE l.state = 'ACTIVE' AND l.expires_at < :now ORDER BY l.expires_at "
                        + "LIMIT :limit")
                .bind("now", now).bind("limit", limit).map((rs, ctx) -> row(rs)).list();
    }

    private static LeaseRow row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new LeaseRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                LeaseRowState.valueOf(rs.getString(6)), rs.getObject(7, OffsetDateTime.class).toInstant(),
                rs.getObject(8, OffsetDateTime.class).toInstant(),
                Optional.ofNullable(rs.getObject(9, OffsetDateTime.class)).map(OffsetDateTime::toInstant));
    }
}
