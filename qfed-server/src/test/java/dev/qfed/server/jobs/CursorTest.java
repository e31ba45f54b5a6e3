package dev.qfed.server.jobs;

import dev.qfed.server.ApiException;
import dev.qfed.server.store.Ids;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CursorTest {
    @Test
    void aCursorDecodesToTheIdItWasMadeFrom() {
        String id = new Ids(Clock.systemUTC()).next();
        assertThat(JobService.decodeCursor(JobService.encodeCursor(id))).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage!", "djE6", "djE6bm90LWFuLWlk", "eDox"})
    void aCursorThisServerDidNotIssueIsRefused(String cursor) {
        assertThatThrownBy(() -> JobService.decodeCursor(cursor)).isInstanceOf(ApiException.class)
                .hasMessageContaining("invalid-cursor");
    }
}
