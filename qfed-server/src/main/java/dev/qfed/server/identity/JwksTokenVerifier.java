package dev.qfed.server.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.net.MalformedURLException;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Verifies bearer JWTs against the issuers the broker trusts, each with its own JWKS.
 *
 * <p>Order of checks: size, syntax, algorithm (RS256 and ES256 only: {@code alg: none} and HMAC are refused before
 * any key is looked at, which closes the "public key as HMAC secret" confusion), issuer, signature against that
 * issuer's keys, then the claims: {@code exp}/{@code nbf}/{@code iat} with {@link #CLOCK_SKEW}, {@code aud},
 * {@code sub}, member and roles. Only the issuer is read before the signature is checked, and only to pick the keys.
 * Claims are checked here rather than by Nimbus's claims verifier so that each refusal can say exactly what was
 * wrong. Messages quote claim values (shortened) but never the token itself.
 *
 * <p>Thread-safe; one instance serves the whole broker.
 */
public final class JwksTokenVerifier implements TokenVerifier {

    /** Longest token accepted, in characters; longer ones are refused before parsing. */
    public static final int MAX_TOKEN_CHARS = 16 * 1024;
    /** Tolerated difference between the issuer's clock and ours. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    /** Longest user name taken from a token; longer ones are refused rather than cut. */
    public static final int MAX_USER_CHARS = 256;

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    // RFC 9068 access tokens use "at+jwt"; most IdPs send "JWT" or nothing.
    private static final DefaultJOSEObjectTypeVerifier<SecurityContext> TYPES = new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null);
    private static final int JWKS_CONNECT_TIMEOUT_MS = 2_000;
    private static final int JWKS_READ_TIMEOUT_MS = 2_000;
    private static final int JWKS_SIZE_LIMIT_BYTES = 64 * 1024;
    private static final Duration JWKS_REFRESH_WAIT = Duration.ofSeconds(15);

    private final Map<String, Verifying> byIssuer;
    private final Clock clock;

    /** Verifies with the system clock. */
    public JwksTokenVerifier(Collection<TrustedIssuer> issuers) {
        this(issuers, Clock.systemUTC());
    }

    /**
     * @param issuers the trusted issuers; at least one, each issuer URL once
     * @param clock   the clock token times are compared against
     * @throws IllegalArgumentException if no issuer is given or an issuer URL appears twice
     */
    public JwksTokenVerifier(Collection<TrustedIssuer> issuers, Clock clock) {
        this.clock = clock;
        if (issuers.isEmpty()) {
            throw new IllegalArgumentException("no trusted issuer configured: no token could ever be accepted");
        }
        Map<String, Verifying> map = new LinkedHashMap<>();
        for (TrustedIssuer issuer : issuers) {
            if (map.putIfAbsent(issuer.issuerUrl(), new Verifying(issuer, processorFor(issuer))) != null) {
                throw new IllegalArgumentException("issuer " + issuer.issuerUrl()
                        + " is configured twice; merge its members into one entry");
            }
        }
        this.byIssuer = Map.copyOf(map);
    }

    /** The issuers this verifier trusts. */
    public List<TrustedIssuer> issuers() {
        return byIssuer.values().stream().map(Verifying::issuer).toList();
    }

    @Override
    public Principal verify(String bearerToken) throws UnauthenticatedException {
        if (bearerToken == null || bearerToken.isBlank()) {
            throw new UnauthenticatedException("no bearer token given");
        }
        if (bearerToken.length() > MAX_TOKEN_CHARS) {
            throw new UnauthenticatedException("token is " + bearerToken.length() + " characters long, over the limit of "
                    + MAX_TOKEN_CHARS);
        }
        SignedJWT jwt = parseSigned(bearerToken);
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!ALGORITHMS.contains(alg)) {
            throw new UnauthenticatedException("token algorithm " + quote(alg.getName())
                    + " is not accepted; tokens must be signed with RS256 or ES256");
        }
        JWTClaimsSet unverified = claimsOf(jwt);
        String iss = unverified.getIssuer();
        if (iss == null || iss.isBlank()) {
            throw new UnauthenticatedException("token has no issuer (iss claim)");
        }
        Verifying verifying = byIssuer.get(iss);
        if (verifying == null) {
            throw new UnauthenticatedException("issuer " + quote(iss) + " is not trusted by this broker");
        }
        JWTClaimsSet claims = checkSignature(jwt, verifying);
        return principalFrom(claims, verifying.issuer());
    }

    private static SignedJWT parseSigned(String token) throws UnauthenticatedException {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            // The parser's message may quote parts of the token, so it is not passed on.
            throw new UnauthenticatedException(
                    "malformed token: not a JWT in compact form (three base64url parts separated by dots, with a JSON"
                            + " header and claims)");
        }
        return switch (jwt) {
            case SignedJWT signed -> signed;
            case PlainJWT ignored -> throw new UnauthenticatedException(
                    "unsigned token (alg: none) refused; tokens must be signed with RS256 or ES256");
            case EncryptedJWT ignored -> throw new UnauthenticatedException(
                    "encrypted token (JWE) refused; send a signed JWT (JWS)");
            default -> throw new UnauthenticatedException("malformed token: unsupported JWT kind");
        };
    }

    private static JWTClaimsSet claimsOf(SignedJWT jwt) throws UnauthenticatedException {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new UnauthenticatedException(
                    "malformed token: its claims are not a JSON object with standard claim types");
        }
    }

    private JWTClaimsSet checkSignature(SignedJWT jwt, Verifying verifying) throws UnauthenticatedException {
        String iss = verifying.issuer().issuerUrl();
        try {
            return verifying.processor().process(jwt, null);
        } catch (NoMatchingKeyException e) {
            throw new UnauthenticatedException(unknownKeyMessage(jwt.getHeader(), iss));
        } catch (RateLimitReachedException e) {
            throw new UnauthenticatedException(unknownKeyMessage(jwt.getHeader(), iss)
                    + " (its key set was refreshed moments ago and is not fetched again yet)");
        } catch (KeySourceException e) {
            String where = verifying.issuer().jwks() instanceof TrustedIssuer.Jwks.Remote remote
                    ? " from " + remote.url() : "";
            throw new UnauthenticatedException("cannot check the signature: the keys of issuer " + quote(iss)
                    + " could not be fetched" + where + " (" + e.getMessage() + "); try again later", e);
        } catch (BadJWSException e) {
            throw new UnauthenticatedException("bad signature: the token was not signed by a key of issuer " + quote(iss)
                    + ", or was altered after signing");
        } catch (BadJOSEException e) {
            JOSEObjectType typ = jwt.getHeader().getType();
            if (typ != null && !TYPES.getAllowedTypes().contains(typ)) {
                throw new UnauthenticatedException("token type (typ header) " + quote(typ.getType())
                        + " is not accepted; use JWT or at+jwt");
            }
            throw new UnauthenticatedException("token refused by issuer " + quote(iss) + " checks: " + e.getMessage());
        } catch (JOSEException e) {
            throw new UnauthenticatedException("cannot check the signature of a token from issuer " + quote(iss) + ": "
                    + e.getMessage(), e);
        }
    }

    private static String unknownKeyMessage(JWSHeader header, String iss) {
        String kid = header.getKeyID();
        return kid == null
                ? "no key of issuer " + quote(iss) + " fits the token (no kid header, algorithm "
                        + header.getAlgorithm().getName() + ")"
                : "unknown signing key: kid " + quote(kid) + " is not among the keys of issuer " + quote(iss);
    }

    private Principal principalFrom(JWTClaimsSet claims, TrustedIssuer issuer) throws UnauthenticatedException {
        checkTimes(claims);
        List<String> audience = claims.getAudience();
        if (!audience.contains(issuer.audience())) {
            throw new UnauthenticatedException("audience mismatch: the token is for " + (audience.isEmpty()
                    ? "no audience" : audience.stream().limit(5).map(JwksTokenVerifier::quote).toList())
                    + ", this broker accepts " + quote(issuer.audience()));
        }
        String sub = claims.getSubject();
        if (sub == null || sub.isBlank()) {
            throw new UnauthenticatedException("token has no subject (sub claim)");
        }
        TrustedIssuer.ClaimNames names = issuer.claims();
        String user = stringClaim(claims, names.user());
        if (user == null || user.isBlank()) {
            throw new UnauthenticatedException("token has no user: claim " + quote(names.user()) + " is missing");
        }
        if (user.length() > MAX_USER_CHARS) {
            throw new UnauthenticatedException("user claim " + quote(names.user()) + " is " + user.length()
                    + " characters long, over the limit of " + MAX_USER_CHARS);
        }
        return new Principal(issuer.issuerUrl(), memberOf(claims, issuer), user, rolesOf(claims, names.roles()));
    }

    private void checkTimes(JWTClaimsSet claims) throws UnauthenticatedException {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new UnauthenticatedException("token has no expiry (exp claim); QFed accepts only expiring tokens");
        }
        if (now.isAfter(exp.toInstant().plus(CLOCK_SKEW))) {
            throw new UnauthenticatedException("token expired at " + exp.toInstant() + " (now " + now + ", "
                    + CLOCK_SKEW.toSeconds() + " s clock skew allowed); get a new token");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(CLOCK_SKEW).isBefore(nbf.toInstant())) {
            throw new UnauthenticatedException("token not valid before " + nbf.toInstant() + " (now " + now + ", "
                    + CLOCK_SKEW.toSeconds() + " s clock skew allowed)");
        }
        Date iat = claims.getIssueTime();
        if (iat != null && now.plus(CLOCK_SKEW).isBefore(iat.toInstant())) {
            throw new UnauthenticatedException("token issued in the future, at " + iat.toInstant() + " (now " + now
                    + "); check the issuer's clock");
        }
    }

    private static String memberOf(JWTClaimsSet claims, TrustedIssuer issuer) throws UnauthenticatedException {
        String claimName = issuer.claims().member();
        String claimed = stringClaim(claims, claimName);
        Set<String> served = issuer.members();
        if (claimed == null) {
            if (served.size() == 1) {
                return served.iterator().next();
            }
            throw new UnauthenticatedException("issuer " + quote(issuer.issuerUrl())
                    + " serves several members, so its tokens must name one in claim " + quote(claimName));
        }
        if (!served.contains(claimed)) {
            throw new UnauthenticatedException("member " + quote(claimed) + " is not served by issuer "
                    + quote(issuer.issuerUrl()) + "; it may act for " + served.stream().sorted().toList() + " only");
        }
        return claimed;
    }

    private static String stringClaim(JWTClaimsSet claims, String name) throws UnauthenticatedException {
        Object value = claims.getClaim(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new UnauthenticatedException("malformed token: claim " + quote(name) + " must be a string");
    }

    /** Known roles from the claim, matched case-insensitively ('-' counts as '_'); none known means researcher. */
    private static Set<Role> rolesOf(JWTClaimsSet claims, String name) throws UnauthenticatedException {
        Object value = claims.getClaim(name);
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (value instanceof List<?> list) {
            for (Object element : list) {
                if (element instanceof String s) {
                    String normal = s.strip().replace('-', '_').toUpperCase(Locale.ROOT);
                    for (Role role : Role.values()) {
                        if (role.name().equals(normal)) {
                            roles.add(role);
                        }
                    }
                }
            }
        } else if (value != null) {
            throw new UnauthenticatedException("malformed token: claim " + quote(name) + " must be an array of strings");
        }
        return roles.isEmpty() ? EnumSet.of(Role.RESEARCHER) : roles;
    }

    /** Quotes a value taken from a token for a message: shortened and with control characters replaced. */
    private static String quote(String value) {
        String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        StringBuilder out = new StringBuilder(shown.length() + 2).append('"');
        shown.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.append('"').toString();
    }

    private static DefaultJWTProcessor<SecurityContext> processorFor(TrustedIssuer issuer) {
        JWKSource<SecurityContext> keys = switch (issuer.jwks()) {
            case TrustedIssuer.Jwks.InMemory inMemory -> new ImmutableJWKSet<>(inMemory.keys());
            case TrustedIssuer.Jwks.Remote remote -> {
                try {
                    // No refresh-ahead: it would need background threads; a refresh blocks one (virtual) thread.
                    yield JWKSourceBuilder.<SecurityContext>create(remote.url().toURL(), new DefaultResourceRetriever(
                                    JWKS_CONNECT_TIMEOUT_MS, JWKS_READ_TIMEOUT_MS, JWKS_SIZE_LIMIT_BYTES))
                            .cache(remote.cacheTtl().toMillis(), JWKS_REFRESH_WAIT.toMillis())
                            .refreshAheadCache(false)
                            .rateLimited(remote.minRefreshInterval().toMillis())
                            .retrying(true)
                            .build();
                } catch (MalformedURLException e) {
                    throw new IllegalArgumentException("JWKS URL " + remote.url() + " of issuer " + issuer.issuerUrl()
                            + " is not a valid URL: " + e.getMessage(), e);
                }
            }
        };
        DefaultJWTProcessor<SecurityContext> processor = new KeyReportingProcessor();
        processor.setJWSTypeVerifier(TYPES);
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        processor.setJWTClaimsSetVerifier((claims, context) -> { }); // checked in principalFrom, with precise messages
        return processor;
    }

    private record Verifying(TrustedIssuer issuer, DefaultJWTProcessor<SecurityContext> processor) { }

    /** Tells "no key with this kid" apart from "a key, but the signature does not match". */
    private static final class KeyReportingProcessor extends DefaultJWTProcessor<SecurityContext> {
        @Override
        protected List<? extends Key> selectKeys(JWSHeader header, JWTClaimsSet claims, SecurityContext context)
                throws KeySourceException, BadJOSEException {
            List<? extends Key> keys = super.selectKeys(header, claims, context);
            if (keys.isEmpty()) {
                throw new NoMatchingKeyException();
            }
            return keys;
        }
    }

    private static final class NoMatchingKeyException extends BadJOSEException {
        NoMatchingKeyException() {
            super("no matching key");
        }
    }
}
