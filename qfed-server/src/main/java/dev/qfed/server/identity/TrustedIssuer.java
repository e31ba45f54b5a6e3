package dev.qfed.server.identity;

import com.nimbusds.jose.jwk.JWKSet;

import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One token issuer the broker trusts, and for which members it may speak.
 *
 * <p>The issuer decides the member: a member's own identity provider lists just that member, so its tokens always
 * act for it (a {@code member} claim, if present, must agree). An issuer that serves several members, like the dev
 * issuer of {@code qfed dev}, lists them all explicitly; its tokens must then name one of them in the member claim.
 * There is no wildcard: {@code "*"} is refused, so a configuration can never let one issuer act for every member.
 *
 * @param issuerUrl the exact {@code iss} value of the issuer's tokens
 * @param members   the members this issuer may act for; at least one, never {@code "*"}
 * @param jwks      where the issuer's public signing keys come from
 * @param audience  the value the token's {@code aud} must contain (usually {@value #DEFAULT_AUDIENCE})
 * @param claims    which claims carry the user, the member and the roles
 */
public record TrustedIssuer(String issuerUrl, Set<String> members, Jwks jwks, String audience, ClaimNames claims) {

    /** The audience QFed tokens are minted for. */
    public static final String DEFAULT_AUDIENCE = "qfed";

    public TrustedIssuer {
        requireText(issuerUrl, "issuerUrl");
        Objects.requireNonNull(members, "members");
        Objects.requireNonNull(jwks, "jwks");
        requireText(audience, "audience");
        Objects.requireNonNull(claims, "claims");
        members = Set.copyOf(members);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("trusted issuer " + issuerUrl + " serves no member; list at least one");
        }
        for (String member : members) {
            if (member.equals("*")) {
                throw new IllegalArgumentException("trusted issuer " + issuerUrl
                        + " lists member \"*\"; wildcards are not allowed, list each member it serves");
            }
            if (member.isBlank() || !member.strip().equals(member)) {
                throw new IllegalArgumentException("trusted issuer " + issuerUrl + " lists an invalid member name \""
                        + member + "\" (empty or with surrounding blanks)");
            }
        }
    }

    /** A member's own identity provider: its tokens act for {@code member} only; default audience and claims. */
    public static TrustedIssuer forMember(String issuerUrl, String member, URI jwksUrl) {
        return new TrustedIssuer(issuerUrl, Set.of(member), Jwks.remote(jwksUrl), DEFAULT_AUDIENCE, ClaimNames.DEFAULTS);
    }

    /** An issuer serving several members (e.g. the dev issuer); its tokens name their member in the member claim. */
    public static TrustedIssuer forMembers(String issuerUrl, Set<String> members, Jwks jwks) {
        return new TrustedIssuer(issuerUrl, members, jwks, DEFAULT_AUDIENCE, ClaimNames.DEFAULTS);
    }

    /**
     * Which claims carry what QFed needs. {@code sub} must be present in every token regardless; {@code user} may
     * name another claim (e.g. {@code preferred_username}) when an IdP's subjects are opaque.
     */
    public record ClaimNames(String user, String member, String roles) {
        public static final ClaimNames DEFAULTS = new ClaimNames("sub", "member", "roles");

        public ClaimNames {
            requireText(user, "user claim name");
            requireText(member, "member claim name");
            requireText(roles, "roles claim name");
        }
    }

    /** Where an issuer's public keys come from. */
    public sealed interface Jwks {

        /** Fetches and caches the issuer's JWKS document; unknown key ids trigger a rate-limited refresh. */
        static Remote remote(URI url) {
            return new Remote(url, Remote.DEFAULT_CACHE_TTL, Remote.DEFAULT_MIN_REFRESH_INTERVAL);
        }

        /** Keys held in memory, for an issuer running in this process (the dev issuer). */
        static InMemory inMemory(String jwksJson) {
            return new InMemory(jwksJson);
        }

        /**
         * A JWKS served over HTTPS (plain HTTP only on a loopback address, for tests and local setups).
         *
         * @param cacheTtl           how long fetched keys are used before they are fetched again
         * @param minRefreshInterval at most two fetches happen per interval, however many unknown key ids arrive,
         *                           so forged tokens cannot make the broker hammer an IdP
         */
        record Remote(URI url, Duration cacheTtl, Duration minRefreshInterval) implements Jwks {
            public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(5);
            public static final Duration DEFAULT_MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);

            public Remote {
                Objects.requireNonNull(url, "url");
                Objects.requireNonNull(cacheTtl, "cacheTtl");
                Objects.requireNonNull(minRefreshInterval, "minRefreshInterval");
                String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
                if (url.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
                    throw new IllegalArgumentException("JWKS URL " + url + " must be an absolute https:// URL");
                }
                if (scheme.equals("http") && !isLoopback(url.getHost())) {
                    throw new IllegalArgumentException("JWKS URL " + url
                            + " uses plain http on a non-loopback host; keys fetched that way could be swapped in"
                            + " transit, use https");
                }
                if (minRefreshInterval.isNegative() || minRefreshInterval.isZero()
                        || cacheTtl.compareTo(minRefreshInterval) <= 0) {
                    throw new IllegalArgumentException("JWKS cache TTL (" + cacheTtl
                            + ") must be longer than the positive minimum refresh interval (" + minRefreshInterval + ")");
                }
            }

            /** Decided from the text alone: resolving a name would ask DNS, which an attacker may control. */
            private static boolean isLoopback(String host) {
                String h = host.toLowerCase(Locale.ROOT);
                return h.equals("localhost") || h.matches("127(\\.[0-9]{1,3}){3}")
                        || h.equals("[::1]") || h.equals("[0:0:0:0:0:0:0:1]");
            }
        }

        /** A JWKS document given inline; it must hold public keys only. */
        record InMemory(String json) implements Jwks {
            public InMemory {
                Objects.requireNonNull(json, "json");
                JWKSet set;
                try {
                    set = JWKSet.parse(json);
                } catch (ParseException e) {
                    throw new IllegalArgumentException("in-memory JWKS is not a valid JWK set: " + e.getMessage(), e);
                }
                if (set.isEmpty()) {
                    throw new IllegalArgumentException("in-memory JWKS holds no key");
                }
                if (set.containsNonPublicKeys()) {
                    throw new IllegalArgumentException(
                            "in-memory JWKS holds private or secret keys; give the verifier the public keys only");
                }
            }

            JWKSet keys() {
                try {
                    return JWKSet.parse(json);
                } catch (ParseException e) {
                    throw new AssertionError("validated in the constructor", e);
                }
            }
        }
    }

    private static void requireText(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
