package dev.qfed.server.identity;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachingTokenVerifierTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-02T09:00:00Z"));
    private final Clock clock = new Clock() {
        public ZoneId getZone() { return ZoneOffset.UTC; }
        public Clock withZone(ZoneId zone) { return this; }
        public Instant instant() { return now.get(); }
    };
    private final AtomicInteger checks = new AtomicInteger();
    private final TokenVerifier counting = token -> {
        checks.incrementAndGet();
        if (token.equals("bad")) {
            throw new UnauthenticatedException("bad token");
        }
        return new Principal("iss", "aurora", token, Set.of(Role.RESEARCHER));
    };
    private final CachingTokenVerifier verifier = new CachingTokenVerifier(counting, clock, Duration.ofSeconds(10), 3);

    @Test
    void anAcceptedTokenIsNotCheckedAgainWithinTheTtl() throws Exception {
        assertThat(verifier.verify("alice").user()).isEqualTo("alice");
        now.set(now.get().plusSeconds(9));
        assertThat(verifier.verify("alice").user()).isEqualTo("alice");
        assertThat(checks).hasValue(1);
        now.set(now.get().plusSeconds(2));
        verifier.verify("alice");
        assertThat(checks).hasValue(2);
    }

    @Test
    void refusalsAreCheckedEveryTime() {
        assertThatThrownBy(() -> verifier.verify("bad")).isInstanceOf(UnauthenticatedException.class);
        assertThatThrownBy(() -> verifier.verify("bad")).isInstanceOf(UnauthenticatedException.class);
        assertThat(checks).hasValue(2);
    }

    @Test
    void aFullCacheStartsOver() throws Exception {
        for (String t : new String[] {"a", "b", "c", "d", "a"}) {
            verifier.verify(t);
        }
        assertThat(checks).hasValue(5);
    }
}
