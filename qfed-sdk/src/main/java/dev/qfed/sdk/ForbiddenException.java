package dev.qfed.sdk;

import dev.qfed.api.Problem;

/** The caller is authenticated but not allowed to do this (HTTP 403). */
public final class ForbiddenException extends ProblemException {
    ForbiddenException(Problem problem) {
        super(problem);
    }
}
