package dev.qfed.server.store;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * UUIDv7 ids (RFC 9562) as lowercase text: 48 bits of Unix milliseconds, then a counter that keeps ids from one
 * process strictly increasing within a millisecond, then random bits. Text order is creation order, which the
 * queue and pagination rely on; across replicas the order is by millisecond, which is all FIFO needs.
 */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Clock clock;
    /** (millis << 12) | counter of the last id issued. */
    private final AtomicLong last = new AtomicLong();

    public Ids(Clock clock) {
        this.clock = clock;
    }

    /** A new id, greater than every id this instance issued before. */
    public String next() {
        long now = clock.millis() << 12;
        long stamp = last.updateAndGet(prev -> Math.max(prev + 1, now));
        long millis = stamp >>> 12;
        long counter = stamp & 0xFFF;
        long high = (millis << 16) | 0x7000L | counter;
        long low = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        char[] out = new char[36];
        int p = 0;
        for (int i = 60; i >= 0; i -= 4) {
            if (p == 8 || p == 13) {
                out[p++] = '-';
            }
            out[p++] = HEX[(int) (high >>> i) & 0xF];
        }
        for (int i = 60; i >= 0; i -= 4) {
            if (p == 18 || p == 23) {
                out[p++] = '-';
            }
            out[p++] = HEX[(int) (low >>> i) & 0xF];
        }
        return new String(out);
    }

    /** Whether {@code s} has the shape of an id, so malformed path parameters can be answered with 404 early. */
    public static boolean looksLikeId(String s) {
        if (s == null || s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
