package dev.qfed.sdk;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When and how long a {@link QfedClient} waits before sending a request again. A request is retried when the
 * server could not be reached (connection refused, reset or timed out), answered 429, 502, 503 or 504, or sent a
 * problem marked {@code retryable}; never for other 4xx answers, which would only fail the same way again. Every
 * request the client sends is safe to repeat: submits carry the same {@code Idempotency-Key} on every attempt.
 *
 * <p>The wait before attempt {@code n + 1} is drawn uniformly from {@code [0, min(maxBackoff, initialBackoff ×
 * multiplier^(n-1))]} ("full jitter"), so that many clients do not retry in step; a server's {@code Retry-After}
 * is honoured when it asks for longer, up to {@code maxBackoff}.
 *
 * @param maxAttempts    attempts in all, including the first; 1 means never retry
 * @param initialBackoff the bound of the first wait
 * @param maxBackoff     the bound of any wait
 * @param multiplier     how much the bound grows per attempt (at least 1)
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier) {

    /** Checks that the policy makes sense: at least one attempt, bounds in order, a multiplier of at least 1. */
    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("backoffs must not be negative");
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is shorter than initialBackoff "
                    + initialBackoff);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number of at least 1, got " + multiplier);
        }
    }

    /** 5 attempts, waits bounded by 100 ms, 200 ms, 400 ms, 800 ms (at most 5 s each). */
    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(5), 2.0);
    }

    /** Send every request once. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.0);
    }

    /** This policy with another number of attempts. */
    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, initialBackoff, maxBackoff, multiplier);
    }

    /** The upper bound of the wait after failed attempt {@code attempt} (1-based). */
    public Duration backoffBound(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt is 1-based, got " + attempt);
        }
        double nanos = initialBackoff.toNanos() * Math.pow(multiplier, attempt - 1);
        return nanos >= maxBackoff.toNanos() ? maxBackoff : Duration.ofNanos((long) nanos);
    }

    /**
     * How long to wait after failed attempt {@code attempt}: a random share of {@link #backoffBound}, but at least
     * what the server asked for (never more than {@code maxBackoff}).
     */
    public Duration backoff(int attempt, Optional<Duration> retryAfter, RandomGenerator random) {
        long bound = backoffBound(attempt).toNanos();
        long wait = bound == 0 ? 0 : random.nextLong(bound + 1);
        long asked = retryAfter.map(Duration::toNanos).orElse(0L);
        return Duration.ofNanos(Math.min(Math.max(wait, asked), maxBackoff.toNanos()));
    }
}
