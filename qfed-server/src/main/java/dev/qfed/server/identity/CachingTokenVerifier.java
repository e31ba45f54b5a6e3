package dev.qfed.server.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers tokens another verifier accepted, for a short while, so the hot path does not check an ECDSA or RSA
 * signature on every request of a client that sends the same token many times a second (a signature check costs
 * about a millisecond of CPU; an agent or a busy SDK sends hundreds of requests a second).
 *
 * <p>A remembered token is answered without a new check for at most {@code ttl} after its last check, so a
 * token can outlive its expiry (or its key's removal from the issuer's JWKS) by at most {@code ttl}; keep it well
 * under the verifier's clock-skew allowance. Refusals are never remembered. The cache holds at most {@code maxEntries}; when full it is cleared, which costs
 * one signature check per active token.
 */
public final class CachingTokenVerifier implements TokenVerifier {
    private final TokenVerifier delegate;
    private final Clock clock;
    private final Duration ttl;
    private final int maxEntries;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    private record Entry(Principal principal, Instant checkedAt) {
    }

    public CachingTokenVerifier(TokenVerifier delegate, Clock clock, Duration ttl, int maxEntries) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.maxEntries = maxEntries;
    }

    @Override
    public Principal verify(String bearerToken) throws UnauthenticatedException {
        Instant now = clock.instant();
        Entry hit = cache.get(bearerToken);
        if (hit != null && hit.checkedAt().plus(ttl).isAfter(now) && !hit.checkedAt().isAfter(now)) {
            return hit.principal();
        }
        Principal principal = delegate.verify(bearerToken);
        if (cache.size() >= maxEntries) {
            cache.clear();
        }
        cache.put(bearerToken, new Entry(principal, now));
        return principal;
    }
}
