package dev.qfed.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Optional;

/**
 * Body of {@code POST /dev/token}, served only by a broker in dev mode.
 *
 * @param roles      role names ({@code RESEARCHER}, {@code MEMBER_ADMIN}, {@code OPERATOR}, {@code AGENT});
 *                   empty means researcher
 * @param ttlSeconds token lifetime; a day when absent
 */
public record DevTokenRequest(@JsonProperty(required = true) String member, @JsonProperty(required = true) String user,
                              List<String> roles, Optional<Long> ttlSeconds) {
    public DevTokenRequest {
        member = Checks.text(member, "member");
        user = Checks.text(user, "user");
        roles = Checks.list(roles, "roles");
        ttlSeconds = Checks.optional(ttlSeconds);
    }
}
