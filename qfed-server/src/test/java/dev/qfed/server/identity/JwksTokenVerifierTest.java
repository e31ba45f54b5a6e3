package dev.qfed.server.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.qfed.server.identity.TestTokens.ISSUER;
import static dev.qfed.server.identity.TestTokens.base64Url;
import static dev.qfed.server.identity.TestTokens.sign;
import static dev.qfed.server.identity.TestTokens.validClaims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class JwksTokenVerifierTest {

    private static final String DEV_ISSUER = "https://dev.qfed.example";

    private static final ECKey AURORA_EC = TestTokens.ecKey("aurora-ec");
    private static final RSAKey AURORA_RSA = TestTokens.rsaKey("aurora-rsa");
    private static final ECKey DEV_EC = TestTokens.ecKey("dev-ec");
    /** Carries aurora's kid but is someone else's key. */
    private static final ECKey IMPOSTOR = TestTokens.ecKey("aurora-ec");

    private static final TrustedIssuer AURORA_IDP = new TrustedIssuer(ISSUER, Set.of("aurora"),
            TrustedIssuer.Jwks.inMemory(TestTokens.publicJwks(AURORA_EC, AURORA_RSA)), "qfed",
            TrustedIssuer.ClaimNames.DEFAULTS);
    private static final TrustedIssuer DEV = TrustedIssuer.forMembers(DEV_ISSUER, Set.of("aurora", "borealis"),
            TrustedIssuer.Jwks.inMemory(TestTokens.publicJwks(DEV_EC)));

    private static final JwksTokenVerifier VERIFIER = new JwksTokenVerifier(List.of(AURORA_IDP, DEV));

    @Test
    void aValidEs256TokenYieldsThePrincipalWithIssuerMemberUserAndRoles() throws Exception {
        Principal principal = VERIFIER.verify(sign(AURORA_EC, validClaims().build()));

        assertThat(principal).isEqualTo(new Principal(ISSUER, "aurora", "alice", Set.of(Role.RESEARCHER)));
    }

    @Test
    void aValidRs256TokenIsAcceptedToo() throws Exception {
        Principal principal = VERIFIER.verify(sign(AURORA_RSA, validClaims().subject("bob").build()));

        assertThat(principal.user()).isEqualTo("bob");
        assertThat(principal.member()).isEqualTo("aurora");
    }

    @Test
    void rolesMatchCaseInsensitivelyWithDashesForUnderscoresAndUnknownRolesAreIgnored() throws Exception {
        String token = sign(AURORA_EC, validClaims().claim("roles", List.of("Member-Admin", "agent", "wizard")).build());

        assertThat(VERIFIER.verify(token).roles()).containsExactlyInAnyOrder(Role.MEMBER_ADMIN, Role.AGENT);
    }

    @ParameterizedTest
    @MethodSource("rolesThatGrantNothing")
    void aTokenWithoutAnyKnownRoleActsAsAResearcher(List<String> roles) throws Exception {
        JWTClaimsSet.Builder claims = validClaims();
        claims.claim("roles", roles);

        assertThat(VERIFIER.verify(sign(AURORA_EC, claims.build())).roles()).containsExactly(Role.RESEARCHER);
    }

    static Stream<List<String>> rolesThatGrantNothing() {
        return Stream.of(null, List.of(), List.of("superuser", "root"));
    }

    @Test
    void aMembersOwnIssuerDecidesTheMemberWhenTheTokenNamesNone() throws Exception {
        String token = sign(AURORA_EC, validClaims().claim("member", null).build());

        assertThat(VERIFIER.verify(token).member()).isEqualTo("aurora");
    }

    @Test
    void anIssuerServingSeveralMembersActsForTheMemberItsTokenNames() throws Exception {
        String token = sign(DEV_EC, validClaims().issuer(DEV_ISSUER).claim("member", "borealis").build());

        Principal principal = VERIFIER.verify(token);

        assertThat(principal.member()).isEqualTo("borealis");
        assertThat(principal.issuer()).isEqualTo(DEV_ISSUER);
    }

    @Test
    void theAudienceMayListOtherServicesBesidesQfed() throws Exception {
        String token = sign(AURORA_EC, validClaims().audience(List.of("billing", "qfed")).build());

        assertThat(VERIFIER.verify(token).user()).isEqualTo("alice");
    }

    @Test
    void theUserCanComeFromAConfiguredClaimWhileSubStaysRequired() throws Exception {
        TrustedIssuer issuer = new TrustedIssuer(ISSUER, Set.of("aurora"), AURORA_IDP.jwks(), "qfed",
                new TrustedIssuer.ClaimNames("preferred_username", "member", "roles"));
        JwksTokenVerifier verifier = new JwksTokenVerifier(List.of(issuer));

        Principal principal = verifier.verify(sign(AURORA_EC, validClaims()
                .subject("8f1c0a2e").claim("preferred_username", "alice.smith").build()));

        assertThat(principal.user()).isEqualTo("alice.smith");
    }

    // exp is in whole seconds and time passes while the test runs, so the cases stay clear of the 60 s edge
    @ParameterizedTest
    @ValueSource(ints = {-59, 0, 30, 50})
    void aTokenExpiredWithinTheClockSkewIsStillAccepted(int secondsSinceExpiry) throws Exception {
        Instant exp = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(secondsSinceExpiry);
        String token = sign(AURORA_EC, validClaims()
                .issueTime(Date.from(exp.minusSeconds(600))).notBeforeTime(Date.from(exp.minusSeconds(600)))
                .expirationTime(Date.from(exp)).build());

        assertThat(VERIFIER.verify(token).user()).isEqualTo("alice");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void aBadTokenIsRefusedWithAMessageThatSaysWhyAndDoesNotEchoIt(String why, Supplier<String> token,
                                                                     String expectedMessage) {
        String bad = token.get();

        UnauthenticatedException refusal = assertThrows(UnauthenticatedException.class, () -> VERIFIER.verify(bad));

        assertThat(refusal.getMessage()).contains(expectedMessage);
        if (bad.length() > 16) {
            assertThat(refusal.getMessage()).doesNotContain(bad);
        }
        String[] parts = bad.split("\\.");
        if (parts.length == 3 && parts[2].length() > 10) {
            assertThat(refusal.getMessage()).doesNotContain(parts[2]);
        }
    }

    static Stream<Arguments> refusedTokens() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant expiredAt = now.minus(Duration.ofMinutes(10));
        Instant validFrom = now.plus(Duration.ofMinutes(10));
        return Stream.of(
                arguments("blank", (Supplier<String>) () -> " ", "no bearer token given"),
                arguments("expired", token(AURORA_EC, validClaims()
                        .issueTime(Date.from(expiredAt.minusSeconds(3600)))
                        .notBeforeTime(Date.from(expiredAt.minusSeconds(3600)))
                        .expirationTime(Date.from(expiredAt))), "token expired at " + expiredAt),
                arguments("not yet valid", token(AURORA_EC, validClaims().notBeforeTime(Date.from(validFrom))),
                        "token not valid before " + validFrom),
                arguments("issued in the future", token(AURORA_EC, validClaims().issueTime(Date.from(validFrom))),
                        "token issued in the future"),
                arguments("no expiry", token(AURORA_EC, validClaims().expirationTime(null)), "no expiry (exp claim)"),
                arguments("wrong audience", token(AURORA_EC, validClaims().audience("billing")),
                        "audience mismatch: the token is for [\"billing\"], this broker accepts \"qfed\""),
                arguments("no audience", token(AURORA_EC, validClaims().audience((String) null)),
                        "audience mismatch: the token is for no audience"),
                arguments("untrusted issuer", token(AURORA_EC, validClaims().issuer("https://evil.example")),
                        "issuer \"https://evil.example\" is not trusted"),
                arguments("no issuer", token(AURORA_EC, validClaims().issuer(null)), "token has no issuer (iss claim)"),
                arguments("unknown kid", token(TestTokens.ecKey("rotated-away"), validClaims()),
                        "unknown signing key: kid \"rotated-away\" is not among the keys of issuer \"" + ISSUER + "\""),
                arguments("another issuer's key", token(DEV_EC, validClaims()), "unknown signing key: kid \"dev-ec\""),
                arguments("impostor key with a known kid", token(IMPOSTOR, validClaims()), "bad signature"),
                arguments("tampered payload", (Supplier<String>) JwksTokenVerifierTest::tamperedToken, "bad signature"),
                arguments("alg none", (Supplier<String>) () -> new PlainJWT(validClaims().build()).serialize(),
                        "unsigned token (alg: none) refused"),
                arguments("HS256 keyed with the public RSA key", (Supplier<String>) JwksTokenVerifierTest::hmacWithPublicKey,
                        "token algorithm \"HS256\" is not accepted"),
                arguments("RS512", (Supplier<String>) () -> sign(AURORA_RSA,
                                new JWSHeader.Builder(JWSAlgorithm.RS512).keyID("aurora-rsa").build(), validClaims().build()),
                        "token algorithm \"RS512\" is not accepted"),
                arguments("oversized", token(AURORA_EC, validClaims().claim("padding", "x".repeat(17_000))),
                        "over the limit of 16384"),
                arguments("garbage", (Supplier<String>) () -> "this is not a token", "malformed token"),
                arguments("three parts of garbage", (Supplier<String>) () -> "abc.def.ghi", "malformed token"),
                arguments("claims that are not an object", (Supplier<String>) () -> base64Url("{\"alg\":\"ES256\"}") + "."
                        + base64Url("[1,2,3]") + ".c2lnbmF0dXJlc2lnbmF0dXJl", "malformed token"),
                arguments("missing sub", token(AURORA_EC, validClaims().subject(null)), "token has no subject (sub claim)"),
                arguments("member not served by the issuer", token(DEV_EC, validClaims().issuer(DEV_ISSUER)
                                .claim("member", "cygnus")),
                        "member \"cygnus\" is not served by issuer \"" + DEV_ISSUER + "\"; it may act for [aurora, borealis] only"),
                arguments("member's IdP claiming another member", token(AURORA_EC, validClaims().claim("member", "borealis")),
                        "member \"borealis\" is not served by issuer \"" + ISSUER + "\"; it may act for [aurora] only"),
                arguments("multi-member issuer without member claim", token(DEV_EC, validClaims().issuer(DEV_ISSUER)
                        .claim("member", null)), "serves several members, so its tokens must name one in claim \"member\""),
                arguments("roles not an array", token(AURORA_EC, validClaims().claim("roles", "agent")),
                        "claim \"roles\" must be an array of strings"),
                arguments("member not a string", token(AURORA_EC, validClaims().claim("member", List.of("aurora"))),
                        "claim \"member\" must be a string"),
                arguments("oversized user", token(AURORA_EC, validClaims().subject("u".repeat(300))),
                        "over the limit of 256"),
                arguments("unexpected typ", (Supplier<String>) () -> sign(AURORA_EC, TestTokens.header(AURORA_EC)
                                .type(new JOSEObjectType("secevent+jwt")).build(), validClaims().build()),
                        "token type (typ header) \"secevent+jwt\" is not accepted"));
    }

    private static Supplier<String> token(com.nimbusds.jose.jwk.JWK key, JWTClaimsSet.Builder claims) {
        return () -> sign(key, claims.build());
    }

    private static String tamperedToken() {
        String[] parts = sign(AURORA_EC, validClaims().build()).split("\\.");
        String forgedClaims = validClaims().subject("mallory").claim("roles", List.of("operator")).build().toString();
        return parts[0] + "." + base64Url(forgedClaims) + "." + parts[2];
    }

    private static String hmacWithPublicKey() {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("aurora-rsa").build(),
                    validClaims().build());
            jwt.sign(new MACSigner(AURORA_RSA.toRSAPublicKey().getEncoded()));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aTokenWithoutKidIsCheckedAgainstTheIssuersKeysOfItsAlgorithm() throws Exception {
        String token = sign(AURORA_EC, new JWSHeader.Builder(JWSAlgorithm.ES256).build(), validClaims().build());

        assertThat(VERIFIER.verify(token).user()).isEqualTo("alice");
    }

    @Test
    void anExpiredTokenIsJudgedByTheInjectedClock() throws Exception {
        Instant exp = Instant.parse("2030-01-01T00:00:00Z");
        String token = sign(AURORA_EC, validClaims().issueTime(Date.from(exp.minusSeconds(3600)))
                .notBeforeTime(Date.from(exp.minusSeconds(3600))).expirationTime(Date.from(exp)).build());
        JwksTokenVerifier before = new JwksTokenVerifier(List.of(AURORA_IDP),
                java.time.Clock.fixed(exp.minusSeconds(60), java.time.ZoneOffset.UTC));
        JwksTokenVerifier after = new JwksTokenVerifier(List.of(AURORA_IDP),
                java.time.Clock.fixed(exp.plusSeconds(61), java.time.ZoneOffset.UTC));

        assertThat(before.verify(token).user()).isEqualTo("alice");
        assertThatThrownBy(() -> after.verify(token)).isInstanceOf(UnauthenticatedException.class)
                .hasMessageContaining("token expired at 2030-01-01T00:00:00Z (now 2030-01-01T00:01:01Z, 60 s clock skew");
    }

    @Test
    void aVerifierWithoutIssuersIsRefused() {
        assertThatThrownBy(() -> new JwksTokenVerifier(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no trusted issuer");
    }

    @Test
    void anIssuerConfiguredTwiceIsRefused() {
        assertThatThrownBy(() -> new JwksTokenVerifier(List.of(AURORA_IDP, AURORA_IDP)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("configured twice");
    }

    @Test
    void theVerifierListsTheIssuersItTrusts() {
        assertThat(VERIFIER.issuers()).containsExactlyInAnyOrder(AURORA_IDP, DEV);
    }
}
