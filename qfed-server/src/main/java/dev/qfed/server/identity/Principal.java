package dev.qfed.server.identity;

import java.util.Objects;
import java.util.Set;

/**
 * Who is calling, as established from a verified token. The member comes from the issuer (each member's
 * identity provider is trusted for that member only), never from what the caller claims about itself.
 */
public record Principal(String issuer, String member, String user, Set<Role> roles) {
    public Principal {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(user, "user");
        roles = Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }
}
