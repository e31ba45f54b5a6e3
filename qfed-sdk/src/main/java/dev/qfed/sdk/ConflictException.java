package dev.qfed.sdk;

import dev.qfed.api.Problem;

/** The request contradicts the current state: an {@code Idempotency-Key} reused with a different body, a job that is already final (HTTP 409). */
public final class ConflictException extends ProblemException {
    ConflictException(Problem problem) {
        super(problem);
    }
}
