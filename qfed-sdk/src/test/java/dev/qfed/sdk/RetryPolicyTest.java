package dev.qfed.sdk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(6, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0);

    @Test
    void theBoundGrowsExponentiallyUpToTheMaximum() {
        assertThat(policy.backoffBound(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.backoffBound(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.backoffBound(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(policy.backoffBound(5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoffBound(500)).isEqualTo(Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 20261102})
    void jitteredWaitsStayWithinTheBoundAndSpreadOverIt(long seed) {
        Random random = new Random(seed);
        long below = 0;
        for (int i = 0; i < 1000; i++) {
            int attempt = 1 + i % 5;
            Duration wait = policy.backoff(attempt, Optional.empty(), random);
            assertThat(wait).isBetween(Duration.ZERO, policy.backoffBound(attempt));
            if (wait.compareTo(policy.backoffBound(attempt).dividedBy(2)) < 0) {
                below++;
            }
        }
        // full jitter: about half of the waits fall in the lower half of their range
        assertThat(below).isBetween(350L, 650L);
    }

    @Test
    void aServersRetryAfterIsHonouredUpToTheMaximumBackoff() {
        Random random = new Random(7);
        assertThat(policy.backoff(1, Optional.of(Duration.ofMillis(700)), random)).isEqualTo(Duration.ofMillis(700));
        assertThat(policy.backoff(1, Optional.of(Duration.ofMinutes(5)), random)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void noneSendsOnceAndNeverWaits() {
        assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
        assertThat(RetryPolicy.none().backoff(1, Optional.empty(), new Random(1))).isEqualTo(Duration.ZERO);
    }

    @Test
    void nonsensicalPoliciesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 1))
                .hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofSeconds(1), 2))
                .hasMessageContaining("shorter than initialBackoff");
        assertThatThrownBy(() -> new RetryPolicy(2, Duration.ZERO, Duration.ZERO, 0.5))
                .hasMessageContaining("multiplier");
        assertThatThrownBy(() -> new RetryPolicy(2, Duration.ZERO, Duration.ZERO, Double.NaN))
                .hasMessageContaining("multiplier");
    }
}
