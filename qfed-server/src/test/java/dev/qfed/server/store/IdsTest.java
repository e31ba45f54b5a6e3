package dev.qfed.server.store;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class IdsTest {
    @Test
    void idsAreVersion7UuidsThatSortInTheOrderTheyWereIssued() {
        Ids ids = new Ids(Clock.fixed(Instant.parse("2026-11-02T09:00:00Z"), ZoneOffset.UTC));
        List<String> issued = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            issued.add(ids.next());
        }
        assertThat(issued).isSorted().doesNotHaveDuplicates();
        UUID first = UUID.fromString(issued.getFirst());
        assertThat(first.version()).isEqualTo(7);
        assertThat(first.variant()).isEqualTo(2);
        assertThat(first.getMostSignificantBits() >>> 16).isEqualTo(Instant.parse("2026-11-02T09:00:00Z").toEpochMilli());
        assertThat(issued).allMatch(Ids::looksLikeId);
    }

    @Test
    void laterMillisecondsGiveGreaterIds() {
        var clock = new java.util.concurrent.atomic.AtomicLong(1_000);
        Ids ids = new Ids(new Clock() {
            public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            public Clock withZone(java.time.ZoneId z) { return this; }
            public Instant instant() { return Instant.ofEpochMilli(clock.get()); }
        });
        String a = ids.next();
        clock.addAndGet(5);
        assertThat(ids.next()).isGreaterThan(a);
    }

    @Test
    void onlyWellFormedIdsLookLikeIds() {
        assertThat(Ids.looksLikeId("01a20bcb-b4d6-7000-9622-683e4d9603cd")).isTrue();
        assertThat(Ids.looksLikeId("01A20BCB-B4D6-7000-9622-683E4D9603CD")).isFalse();
        assertThat(Ids.looksLikeId("01a20bcb-b4d6-7000-9622-683e4d9603c")).isFalse();
        assertThat(Ids.looksLikeId("01a20bcbxb4d6-7000-9622-683e4d9603cd")).isFalse();
        assertThat(Ids.looksLikeId(null)).isFalse();
    }
}
