package dev.qfed.sdk;

import dev.qfed.api.Problem;

/** The request exceeds a limit of the server: body size, shots, circuits, OpenQASM size (HTTP 413, 422). Make it smaller. */
public final class LimitExceededException extends ProblemException {
    LimitExceededException(Problem problem) {
        super(problem);
    }
}
