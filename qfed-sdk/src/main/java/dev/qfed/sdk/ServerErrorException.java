package dev.qfed.sdk;

import dev.qfed.api.Problem;

/** The server failed in a way it does not expect to recover from by retrying (HTTP 500): a bug worth reporting with the problem's {@code instance}. */
public final class ServerErrorException extends ProblemException {
    ServerErrorException(Problem problem) {
        super(problem);
    }
}
