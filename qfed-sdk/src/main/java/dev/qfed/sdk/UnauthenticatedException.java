package dev.qfed.sdk;

import dev.qfed.api.Problem;

/** The request carried no token, or one the server does not accept: expired, from an untrusted issuer, badly signed (HTTP 401). Get a new token. */
public final class UnauthenticatedException extends ProblemException {
    UnauthenticatedException(Problem problem) {
        super(problem);
    }
}
