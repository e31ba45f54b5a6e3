package dev.qfed.sdk;

import dev.qfed.api.Problem;

import java.time.Duration;
import java.util.Optional;

/**
 * The server cannot serve now (HTTP 429, 502, 503, 504, or a problem marked retryable) and still could not after
 * the retries the {@link RetryPolicy} allows. Trying again later may succeed.
 */
public final class UnavailableException extends ProblemException {
    private final transient Optional<Duration> retryAfter;

    UnavailableException(Problem problem, Optional<Duration> retryAfter) {
        super(problem);
        this.retryAfter = retryAfter;
    }

    /** How long the server asked the client to wait ({@code Retry-After}), when it said. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
