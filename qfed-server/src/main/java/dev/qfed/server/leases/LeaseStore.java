package dev.qfed.server.leases;

import org.jdbi.v3.core.Handle;
import dev.qfed.server.store.Jdbc;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * SQL of the lease capability: {@code leases}. Rows are inserted by the claim
 * ({@link dev.qfed.server.jobs.JobStore#claim}), in the statement that assigns their jobs.
 */
public final class LeaseStore {

    /** What became of a lease. */
    public enum LeaseRowState {
        /** The agent holds the job. */
        ACTIVE,
        /** Its result was accepted. */
        COMPLETED,
        /** The agent reported a failure (or confirmed a cancellation). */
        FAILED,
        /** It ran out before the agent reported. */
        EXPIRED
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
        return h.createQuery(SELECT + "WHERE l.id IN (<ids>)").bindList("ids", List.copyOf(ids))
                .map((rs, ctx) -> row(rs)).list();
    }

    /** Extends the active leases among {@code ids} to {@code expiresAt}; the caller decides whose they may be. */
    public int extend(Handle h, Collection<String> ids, Instant expiresAt) {
        if (ids.isEmpty()) {
            return 0;
        }
        return h.createUpdate("UPDATE leases SET expires_at = :expires WHERE id IN (<ids>) "
                        + "AND state = 'ACTIVE' AND expires_at < :expires")
                .bindList("ids", List.copyOf(ids)).bind("expires", expiresAt)
                .execute();
    }

    /** Ends an active lease; false if it was not active. */
    public boolean end(Handle h, String id, LeaseRowState state, Instant now) {
        return Jdbc.update(h, "UPDATE leases SET state = ?, ended_at = ? WHERE id = ? AND state = 'ACTIVE'",
                state.name(), now, id) == 1;
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
