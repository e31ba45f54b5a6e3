package dev.qfed.server.identity;

import com.nimbusds.jose.jwk.JWKSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DevIssuerTest {

    private static final Set<String> DEV_MEMBERS = Set.of("aurora", "borealis", "cygnus");

    @TempDir
    Path dataDir;

    @Test
    void aMintedTokenPassesTheVerifierAsThePrincipalItNames() throws Exception {
        DevIssuer issuer = DevIssuer.open(dataDir);
        JwksTokenVerifier verifier = new JwksTokenVerifier(List.of(issuer.trustedIssuer(DEV_MEMBERS)));

        String token = issuer.mint("borealis", "bob", Set.of(Role.AGENT, Role.MEMBER_ADMIN), Duration.ofHours(1));

        assertThat(verifier.verify(token)).isEqualTo(new Principal(DevIssuer.DEFAULT_ISSUER_URL, "borealis", "bob",
                Set.of(Role.AGENT, Role.MEMBER_ADMIN)));
    }

    @Test
    void aTokenMintedWithoutRolesActsAsAResearcher() throws Exception {
        DevIssuer issuer = DevIssuer.open(dataDir);
        JwksTokenVerifier verifier = new JwksTokenVerifier(List.of(issuer.trustedIssuer(DEV_MEMBERS)));

        assertThat(verifier.verify(issuer.mint("aurora", "alice", Set.of(), Duration.ofMinutes(5))).roles())
                .containsExactly(Role.RESEARCHER);
    }

    @Test
    void theKeyIsKeptInTheDataDirectorySoTokensSurviveARestart() throws Exception {
        DevIssuer first = DevIssuer.open(dataDir);
        String token = first.mint("aurora", "alice", Set.of(Role.RESEARCHER), Duration.ofHours(1));

        DevIssuer afterRestart = DevIssuer.open(dataDir);
        JwksTokenVerifier verifier = new JwksTokenVerifier(List.of(afterRestart.trustedIssuer(DEV_MEMBERS)));

        assertThat(afterRestart.keyId()).isEqualTo(first.keyId());
        assertThat(afterRestart.jwksJson()).isEqualTo(first.jwksJson());
        assertThat(verifier.verify(token).user()).isEqualTo("alice");
    }

    @Test
    void aTokenFromAnotherDataDirectorysIssuerIsRefused(@TempDir Path otherDir) throws Exception {
        String foreign = DevIssuer.open(otherDir).mint("aurora", "alice", Set.of(), Duration.ofHours(1));
        JwksTokenVerifier verifier = new JwksTokenVerifier(List.of(DevIssuer.open(dataDir).trustedIssuer(DEV_MEMBERS)));

        assertThatThrownBy(() -> verifier.verify(foreign)).isInstanceOf(UnauthenticatedException.class)
                .hasMessageContaining("unknown signing key");
    }

    @Test
    void theKeyFileIsReadableByItsOwnerOnly() throws Exception {
        assumeTrue(dataDir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");

        DevIssuer issuer = DevIssuer.open(dataDir.resolve("nested/dir"));

        assertThat(issuer.keyFile()).isEqualTo(dataDir.resolve("nested/dir").resolve(DevIssuer.KEY_FILE));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(issuer.keyFile()))).isEqualTo("rw-------");
        try (var files = Files.list(issuer.keyFile().getParent())) {
            assertThat(files).as("no temporary file left behind").containsExactly(issuer.keyFile());
        }
    }

    @Test
    void theJwksHoldsThePublicKeyOnlyAndTheKeyFileThePrivateOne() throws Exception {
        DevIssuer issuer = DevIssuer.open(dataDir);

        JWKSet published = JWKSet.parse(issuer.jwksJson());
        JWKSet stored = JWKSet.parse(Files.readString(issuer.keyFile()));

        assertThat(published.getKeys()).singleElement().satisfies(key -> {
            assertThat(key.isPrivate()).isFalse();
            assertThat(key.getKeyID()).isEqualTo(issuer.keyId());
        });
        assertThat(issuer.jwksJson()).doesNotContain("\"d\"");
        assertThat(stored.containsNonPublicKeys()).isTrue();
    }

    @Test
    void aMemberTheIssuerIsNotWiredToServeIsRefused() throws Exception {
        DevIssuer issuer = DevIssuer.open(dataDir);
        JwksTokenVerifier verifier = new JwksTokenVerifier(List.of(issuer.trustedIssuer(Set.of("aurora", "borealis"))));

        String token = issuer.mint("cygnus", "carol", Set.of(), Duration.ofHours(1));

        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(UnauthenticatedException.class)
                .hasMessageContaining("member \"cygnus\" is not served by issuer \"urn:qfed:dev\"");
    }

    @Test
    void tokensAreDatedByTheIssuersClock() throws Exception {
        Instant longAgo = Instant.parse("2020-05-01T12:00:00Z");
        DevIssuer issuer = DevIssuer.open(dataDir, "http://localhost:8080/dev", Clock.fixed(longAgo, ZoneOffset.UTC));
        JwksTokenVerifier verifier = new JwksTokenVerifier(List.of(issuer.trustedIssuer(DEV_MEMBERS)));

        String token = issuer.mint("aurora", "alice", Set.of(), Duration.ofHours(1));

        assertThat(issuer.issuerUrl()).isEqualTo("http://localhost:8080/dev");
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(UnauthenticatedException.class)
                .hasMessageContaining("token expired at 2020-05-01T13:00:00Z");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT0S", "-PT1H", "P400D"})
    void aLifetimeThatIsNotPositiveOrTooLongIsRefused(String ttl) throws Exception {
        DevIssuer issuer = DevIssuer.open(dataDir);

        assertThatThrownBy(() -> issuer.mint("aurora", "alice", Set.of(), Duration.parse(ttl)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token lifetime");
    }

    @Test
    void aBlankMemberOrUserIsRefused() throws Exception {
        DevIssuer issuer = DevIssuer.open(dataDir);

        assertThatThrownBy(() -> issuer.mint(" ", "alice", Set.of(), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("member must not be blank");
        assertThatThrownBy(() -> issuer.mint("aurora", "", Set.of(), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("user must not be blank");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"keys\":[]}", "PUBLIC_ONLY"})
    void anUnusableKeyFileIsReportedWithItsPathAndTheRemedy(String content) throws Exception {
        String written = content.equals("PUBLIC_ONLY") ? DevIssuer.open(dataDir).jwksJson() : content;
        Files.writeString(dataDir.resolve(DevIssuer.KEY_FILE), written);

        assertThatThrownBy(() -> DevIssuer.open(dataDir)).isInstanceOf(IOException.class)
                .hasMessageContaining(dataDir.resolve(DevIssuer.KEY_FILE).toString())
                .hasMessageContaining("delete it to start with a new key");
    }
}
