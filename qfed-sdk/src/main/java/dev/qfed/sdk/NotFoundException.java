package dev.qfed.sdk;

import dev.qfed.api.Problem;

/** The job, backend or other thing named does not exist, or is not the caller's to see (HTTP 404). */
public final class NotFoundException extends ProblemException {
    NotFoundException(Problem problem) {
        super(problem);
    }
}
