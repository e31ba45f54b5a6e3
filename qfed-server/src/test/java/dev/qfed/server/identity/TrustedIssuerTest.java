package dev.qfed.server.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrustedIssuerTest {

    private static final TrustedIssuer.Jwks KEYS = TrustedIssuer.Jwks.inMemory(TestTokens.publicJwks(TestTokens.ecKey("k")));

    @Test
    void aWildcardMemberIsRefused() {
        assertThatThrownBy(() -> TrustedIssuer.forMembers("https://idp.example", Set.of("aurora", "*"), KEYS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wildcards are not allowed, list each member it serves");
    }

    @Test
    void anIssuerServingNoMemberIsRefused() {
        assertThatThrownBy(() -> TrustedIssuer.forMembers("https://idp.example", Set.of(), KEYS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("serves no member");
    }

    @Test
    void aMemberNameWithSurroundingBlanksIsRefused() {
        assertThatThrownBy(() -> TrustedIssuer.forMembers("https://idp.example", Set.of("aurora "), KEYS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid member name");
    }

    @Test
    void aMembersOwnIdentityProviderGetsTheDefaultAudienceAndClaims() {
        TrustedIssuer issuer = TrustedIssuer.forMember("https://idp.aurora.example", "aurora",
                URI.create("https://idp.aurora.example/jwks"));

        assertThat(issuer.members()).containsExactly("aurora");
        assertThat(issuer.audience()).isEqualTo("qfed");
        assertThat(issuer.claims()).isEqualTo(new TrustedIssuer.ClaimNames("sub", "member", "roles"));
        assertThat(issuer.jwks()).isEqualTo(new TrustedIssuer.Jwks.Remote(URI.create("https://idp.aurora.example/jwks"),
                Duration.ofMinutes(5), Duration.ofSeconds(30)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://idp.example/jwks", "http://127.0.0.1:8080/jwks", "http://localhost/jwks",
            "http://[::1]:9000/jwks"})
    void httpsOrLoopbackHttpJwksUrlsAreAccepted(String url) {
        assertThat(TrustedIssuer.Jwks.remote(URI.create(url)).url()).hasToString(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://idp.example/jwks", "http://10.0.0.5/jwks", "file:///etc/jwks.json",
            "ftp://idp.example/jwks", "jwks.json",
            "http://cafe/jwks", "http://127.0.0.1.evil.example/jwks", "http://localhost.evil.example/jwks"})
    void jwksUrlsThatCouldServeSwappedKeysAreRefused(String url) {
        assertThatThrownBy(() -> TrustedIssuer.Jwks.remote(URI.create(url)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(url);
    }

    @Test
    void aCacheThatExpiresBeforeTheRefreshIntervalIsRefused() {
        assertThatThrownBy(() -> new TrustedIssuer.Jwks.Remote(URI.create("https://idp.example/jwks"),
                Duration.ofSeconds(10), Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be longer than");
    }

    @Test
    void anInMemoryJwksWithAPrivateKeyIsRefused() {
        String privateJwks = new com.nimbusds.jose.jwk.JWKSet(TestTokens.ecKey("k")).toString(false);

        assertThatThrownBy(() -> TrustedIssuer.Jwks.inMemory(privateJwks))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("public keys only");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"keys\":[]}", "not json"})
    void anInMemoryJwksWithoutKeysIsRefused(String json) {
        assertThatThrownBy(() -> TrustedIssuer.Jwks.inMemory(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("in-memory JWKS");
    }
}
