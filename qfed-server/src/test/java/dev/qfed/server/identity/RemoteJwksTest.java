package dev.qfed.server.identity;

import com.nimbusds.jose.jwk.ECKey;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.qfed.server.identity.TestTokens.ISSUER;
import static dev.qfed.server.identity.TestTokens.sign;
import static dev.qfed.server.identity.TestTokens.validClaims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The verifier against a JWKS served over real HTTP by a member's (stand-in) identity provider on loopback. */
class RemoteJwksTest {

    private static final ECKey FIRST = TestTokens.ecKey("2025-01");
    private static final ECKey SECOND = TestTokens.ecKey("2025-02");

    private HttpServer idp;
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile String jwks = TestTokens.publicJwks(FIRST);
    private volatile int status = 200;
    private JwksTokenVerifier verifier;

    @BeforeEach
    void startIdentityProvider() throws IOException {
        idp = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        idp.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/jwk-set+json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        idp.start();
        URI url = URI.create("http://127.0.0.1:" + idp.getAddress().getPort() + "/jwks.json");
        verifier = new JwksTokenVerifier(List.of(TrustedIssuer.forMember(ISSUER, "aurora", url)));
    }

    @AfterEach
    void stopIdentityProvider() {
        idp.stop(0);
    }

    @Test
    void keysAreFetchedOverHttpOnceAndThenServedFromTheCache() throws Exception {
        assertThat(verifier.verify(sign(FIRST, validClaims().build())).member()).isEqualTo("aurora");
        assertThat(verifier.verify(sign(FIRST, validClaims().subject("bob").build())).user()).isEqualTo("bob");

        assertThat(fetches).hasValue(1);
    }

    @Test
    void aRotatedKeyIsPickedUpWhenATokenNamesAKidNotYetSeen() throws Exception {
        verifier.verify(sign(FIRST, validClaims().build()));
        jwks = TestTokens.publicJwks(SECOND);

        Principal principal = verifier.verify(sign(SECOND, validClaims().subject("carol").build()));

        assertThat(principal.user()).isEqualTo("carol");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void unknownKidsDoNotMakeTheVerifierFetchMoreThanTheRateLimitAllows() throws Exception {
        verifier.verify(sign(FIRST, validClaims().build()));

        for (String kid : List.of("forged-1", "forged-2", "forged-3")) {
            assertThatThrownBy(() -> verifier.verify(sign(TestTokens.ecKey(kid), validClaims().build())))
                    .isInstanceOf(UnauthenticatedException.class)
                    .hasMessageContaining("unknown signing key: kid \"" + kid + "\"");
        }

        assertThat(fetches).as("the first fetch plus one refresh per interval").hasValue(2);
    }

    @Test
    void anIdentityProviderThatFailsToServeItsKeysIsReportedWithTheUrl() {
        status = 500;

        assertThatThrownBy(() -> verifier.verify(sign(FIRST, validClaims().build())))
                .isInstanceOf(UnauthenticatedException.class)
                .hasMessageContaining("the keys of issuer \"" + ISSUER + "\" could not be fetched from http://127.0.0.1:"
                        + idp.getAddress().getPort() + "/jwks.json");
    }
}
