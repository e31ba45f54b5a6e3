package dev.qfed.server.identity;

/** What a caller may do; carried in the token's {@code roles} claim. */
public enum Role {
    /** Submits and reads the jobs of their own member. */
    RESEARCHER,
    /** Administers their member (projects, quotas, users); sees all of the member's jobs. */
    MEMBER_ADMIN,
    /** Consortium operator (SRE): read access across members for operations. */
    OPERATOR,
    /** A site agent: registers the member's backends, leases and reports jobs. */
    AGENT
}
