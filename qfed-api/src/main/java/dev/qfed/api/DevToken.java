package dev.qfed.api;

import java.time.Instant;

/** A token minted by the dev issuer: send it as {@code Authorization: Bearer <token>}. */
public record DevToken(String token, String member, String user, Instant expiresAt) {
    public DevToken {
        token = Checks.text(token, "token");
        member = Checks.text(member, "member");
        user = Checks.text(user, "user");
        expiresAt = Checks.present(expiresAt, "expires_at");
    }
}
