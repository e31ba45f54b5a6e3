package dev.qfed.agent.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the n-th delay is drawn from [d/2, d] where d = initial·2ⁿ capped at max, so
 * that many agents cut off by one broker outage do not all come back in the same instant. Not thread-safe: one
 * per loop.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private int failures;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initial = initial;
        this.max = max;
    }

    /** The delay before the next try; each call doubles the base delay up to the maximum. */
    public Duration next() {
        long base = initial.toNanos();
        for (int i = 0; i < failures && base < max.toNanos(); i++) {
            base *= 2;
        }
        base = Math.min(base, max.toNanos());
        failures = Math.min(failures + 1, 62);
        long low = base / 2;
        return Duration.ofNanos(low + ThreadLocalRandom.current().nextLong(base - low + 1));
    }

    /** After a success: the next delay starts from the initial one again. */
    public void reset() {
        failures = 0;
    }

    /** How many failures in a row since the last {@link #reset()}. */
    public int failures() {
        return failures;
    }
}
