package dev.qfed.bench.load;

import dev.qfed.sdk.QfedClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoadGeneratorTest {
    private static final int MIN = LoadGenerator.MIN_WINDOW;

    @Test
    void theFollowersWindowDoublesWhenAQuarterOfItEndsInOneCall() {
        assertThat(LoadGenerator.nextWindow(MIN, MIN, MIN / 4)).isEqualTo(2 * MIN);
    }

    @Test
    void theWindowNeverNamesMoreJobsThanTheBrokerTakes() {
        assertThat(LoadGenerator.nextWindow(QfedClient.MAX_WAIT_IDS, QfedClient.MAX_WAIT_IDS,
                QfedClient.MAX_WAIT_IDS)).isEqualTo(QfedClient.MAX_WAIT_IDS);
        assertThat(LoadGenerator.nextWindow(800, 800, 400)).isEqualTo(QfedClient.MAX_WAIT_IDS);
    }

    @Test
    void theWindowHalvesWhenFewOfItEndButNotBelowTheMinimum() {
        assertThat(LoadGenerator.nextWindow(8 * MIN, 8 * MIN, 1)).isEqualTo(4 * MIN);
        assertThat(LoadGenerator.nextWindow(MIN, MIN, 0)).isEqualTo(MIN);
    }

    @Test
    void theWindowDoesNotGrowWhenFewerJobsAreOpenThanItHolds() {
        assertThat(LoadGenerator.nextWindow(MIN, 10, 10)).isEqualTo(MIN);
    }

    @Test
    void theWindowStaysWhenAModerateShareEnds() {
        assertThat(LoadGenerator.nextWindow(4 * MIN, 4 * MIN, MIN / 2)).isEqualTo(4 * MIN);
    }
}
