package dev.qfed.agent.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {
    @ParameterizedTest(name = "round {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void delaysDoubleWithJitterUpToTheMaximum(int round) {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        long[] expectedBase = {100, 200, 400, 800, 1000, 1000, 1000, 1000};
        for (int i = 0; i < expectedBase.length; i++) {
            Duration d = b.next();
            assertThat(d.toMillis()).as("delay %d of round %d", i, round)
                    .isBetween(expectedBase[i] / 2, expectedBase[i]);
        }
        assertThat(b.failures()).isEqualTo(expectedBase.length);
    }

    @Test
    void resetStartsOverFromTheInitialDelay() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30));
        for (int i = 0; i < 10; i++) {
            b.next();
        }
        b.reset();
        assertThat(b.failures()).isZero();
        assertThat(b.next().toMillis()).isBetween(50L, 100L);
    }

    @Test
    void manyFailuresDoNotOverflow() {
        Backoff b = new Backoff(Duration.ofMillis(1), Duration.ofHours(1));
        for (int i = 0; i < 200; i++) {
            assertThat(b.next()).isLessThanOrEqualTo(Duration.ofHours(1)).isPositive();
        }
    }

    @Test
    void anUpsideDownRangeIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("backoff needs 0 < initial <= max, got PT2S and PT1S");
    }

    @Test
    void aLongPollTimesOutHalfItsWaitLaterWithinFiveToFifteenSeconds() {
        assertThat(BrokerClient.pollTimeout(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(7));
        assertThat(BrokerClient.pollTimeout(Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(30));
        assertThat(BrokerClient.pollTimeout(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(75));
    }
}
