package dev.qfed.server.agents;

import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/** SQL of the agent capability: {@code agents}, and the {@code members} and {@code users} seen in tokens. */
public final class AgentStore {

    /** A row of {@code agents}. */
    public record AgentRow(String id, String member, String name, Optional<String> version, Instant registeredAt,
                           Instant lastSeenAt) {
    }

    public Optional<AgentRow> find(Handle h, String id) {
        return h.createQuery("SELECT id, member, name, version, registered_at, last_seen_at FROM agents WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> row(rs)).findOne();
    }

    public Optional<AgentRow> findByName(Handle h, String member, String name) {
        return h.createQuery("SELECT id, member, name, version, registered_at, last_seen_at FROM agents "
                        + "WHERE member = :member AND name = :name")
                .bind("member", member).bind("name", name).map((rs, ctx) -> row(rs)).findOne();
    }

    public void insert(Handle h, AgentRow agent) {
        h.createUpdate("INSERT INTO agents (id, member, name, version, registered_at, last_seen_at) "
                        + "VALUES (:id, :member, :name, :version, :registered, :seen)")
                .bind("id", agent.id()).bind("member", agent.member()).bind("name", agent.name())
                .bind("version", agent.version().orElse(null)).bind("registered", agent.registeredAt())
                .bind("seen", agent.lastSeenAt())
                .execute();
    }

    public void update(Handle h, String id, Optional<String> version, Instant now) {
        h.createUpdate("UPDATE agents SET version = :version, last_seen_at = :now WHERE id = :id")
                .bind("id", id).bind("version", version.orElse(null)).bind("now", now).execute();
    }

    public void touch(Handle h, String id, Instant now) {
        h.createUpdate("UPDATE agents SET last_seen_at = :now WHERE id = :id AND last_seen_at < :now")
                .bind("id", id).bind("now", now).execute();
    }

    /** Creates the member if it is new; members come into being when their first token is seen. */
    public void ensureMember(Handle h, String member, Instant now) {
        h.createUpdate("INSERT INTO members (name, created_at) VALUES (:name, :now) ON CONFLICT DO NOTHING")
                .bind("name", member).bind("now", now).execute();
    }

    public void ensureUser(Handle h, String member, String user, String issuer, Instant now) {
        h.createUpdate("INSERT INTO users (member, name, issuer, first_seen_at) VALUES (:member, :name, :issuer, :now) "
                        + "ON CONFLICT DO NOTHING")
                .bind("member", member).bind("name", user).bind("issuer", issuer).bind("now", now).execute();
    }

    public void ensureProject(Handle h, String member, String project, Instant now) {
        h.createUpdate("INSERT INTO projects (member, name, created_at) VALUES (:member, :name, :now) "
                        + "ON CONFLICT DO NOTHING")
                .bind("member", member).bind("name", project).bind("now", now).execute();
    }

    private static AgentRow row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new AgentRow(rs.getString(1), rs.getString(2), rs.getString(3), Optional.ofNullable(rs.getString(4)),
                rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getObject(6, OffsetDateTime.class).toInstant());
    }
}
