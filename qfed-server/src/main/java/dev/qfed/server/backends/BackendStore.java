package dev.qfed.server.backends;

import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL of the backend capability: {@code backends}, and queue statistics over {@code jobs}. */
public final class BackendStore {

    /** A row of {@code backends} with its agent's last sign of life. */
    public record BackendRow(String name, String member, Optional<String> agentId, int numQubits,
                             List<String> nativeGates, List<String> supportedGates, Optional<String> description,
                             Instant registeredAt, Optional<Instant> lastSeenAt) {
    }

    /** Jobs per backend: queued, and held by agents (assigned, running or cancel requested). */
    public record QueueStats(long queued, long leased) {
        public static final QueueStats EMPTY = new QueueStats(0, 0);
    }

    public List<BackendRow> list(Handle h) {
        return h.createQuery("SELECT b.name, b.member, b.agent_id, b.num_qubits, b.native_gates, b.supported_gates, "
                        + "b.description, b.registered_at, a.last_seen_at FROM backends b "
                        + "LEFT JOIN agents a ON a.id = b.agent_id ORDER BY b.name")
                .map((rs, ctx) -> new BackendRow(rs.getString(1), rs.getString(2),
                        Optional.ofNullable(rs.getString(3)), rs.getInt(4), split(rs.getString(5)),
                        split(rs.getString(6)), Optional.ofNullable(rs.getString(7)),
                        rs.getObject(8, OffsetDateTime.class).toInstant(),
                        Optional.ofNullable(rs.getObject(9, OffsetDateTime.class)).map(OffsetDateTime::toInstant)))
                .list();
    }

    /** The backend's owning member, locked, when it exists. */
    public Optional<String> lockOwner(Handle h, String name) {
        return h.createQuery("SELECT member FROM backends WHERE name = :name FOR UPDATE").bind("name", name)
                .mapTo(String.class).findOne();
    }

    public void insert(Handle h, BackendRow b) {
        h.createUpdate("INSERT INTO backends (name, member, agent_id, num_qubits, native_gates, supported_gates, "
                        + "description, registered_at) VALUES (:name, :member, :agent, :qubits, :native, :supported, "
                        + ":description, :at)")
                .bind("name", b.name()).bind("member", b.member()).bind("agent", b.agentId().orElse(null))
                .bind("qubits", b.numQubits()).bind("native", join(b.nativeGates()))
                .bind("supported", join(b.supportedGates())).bind("description", b.description().orElse(null))
                .bind("at", b.registeredAt())
                .execute();
    }

    public void update(Handle h, BackendRow b) {
        h.createUpdate("UPDATE backends SET agent_id = :agent, num_qubits = :qubits, native_gates = :native, "
                        + "supported_gates = :supported, description = :description WHERE name = :name")
                .bind("name", b.name()).bind("agent", b.agentId().orElse(null))
                .bind("qubits", b.numQubits()).bind("native", join(b.nativeGates()))
                .bind("supported", join(b.supportedGates())).bind("description", b.description().orElse(null))
                .execute();
    }

    /** Detaches the agent's backends that its new registration leaves out (they stay known, offline). */
    public void detachOthers(Handle h, String agentId, List<String> keep) {
        if (keep.isEmpty()) {
            h.createUpdate("UPDATE backends SET agent_id = NULL WHERE agent_id = :agent").bind("agent", agentId)
                    .execute();
            return;
        }
        h.createUpdate("UPDATE backends SET agent_id = NULL WHERE agent_id = :agent AND name NOT IN (<keep>)")
                .bind("agent", agentId).bindList("keep", keep).execute();
    }

    public Map<String, QueueStats> queueStats(Handle h) {
        Map<String, long[]> counts = new HashMap<>();
        h.createQuery("SELECT backend, state, COUNT(*) FROM jobs "
                        + "WHERE state IN ('QUEUED', 'ASSIGNED', 'RUNNING', 'CANCEL_REQUESTED') GROUP BY backend, state")
                .map((rs, ctx) -> {
                    long[] c = counts.computeIfAbsent(rs.getString(1), k -> new long[2]);
                    c[rs.getString(2).equals("QUEUED") ? 0 : 1] += rs.getLong(3);
                    return null;
                })
                .list();
        Map<String, QueueStats> out = new HashMap<>();
        counts.forEach((k, c) -> out.put(k, new QueueStats(c[0], c[1])));
        return out;
    }

    private static String join(List<String> gates) {
        return String.join(",", gates);
    }

    private static List<String> split(String s) {
        return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split(","));
    }
}
