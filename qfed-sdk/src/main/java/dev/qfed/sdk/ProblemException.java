package dev.qfed.sdk;

import dev.qfed.api.ErrorCode;
import dev.qfed.api.ErrorKind;
import dev.qfed.api.Problem;

import java.util.Objects;
import java.util.Optional;

/**
 * The server refused a request and said why in an RFC 9457 problem. The subclass follows the problem's
 * {@link ErrorKind} (from its {@code type}); for a type this SDK does not know (a newer server) or an answer that
 * is not a problem (a proxy's error page), it follows the HTTP status.
 */
public abstract sealed class ProblemException extends QfedException
        permits NotFoundException, ForbiddenException, UnauthenticatedException, InvalidInputException,
        ConflictException, LimitExceededException, UnavailableException, ServerErrorException {

    private final transient Problem problem;

    ProblemException(Problem problem) {
        super(problem.detail(), null);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** The problem as the server sent it (synthesised from the status when the answer was not a problem). */
    public Problem problem() {
        return problem;
    }

    /** The HTTP status. */
    public int status() {
        return problem.status();
    }

    /** The last segment of the problem type, e.g. {@code qasm-syntax}; {@code http-502} for non-problem answers. */
    public String code() {
        return problem.code();
    }

    /** The error code, when this SDK knows the problem type. */
    public Optional<ErrorCode> errorCode() {
        return problem.errorCode();
    }

    /** The broad class of the error, from the code when known, else from the HTTP status. */
    public ErrorKind kind() {
        return problem.errorCode().map(ErrorCode::kind).orElseGet(() -> Problems.kindOfStatus(problem.status()));
    }

    /** Whether the server says the same request may succeed later. */
    public boolean retryable() {
        return problem.retryable();
    }

    /** The request field or parameter at fault, e.g. {@code circuits[1].qasm}. */
    public Optional<String> field() {
        return problem.field();
    }
}
