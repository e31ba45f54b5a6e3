package dev.qfed.server;

import dev.qfed.api.ErrorCode;
import dev.qfed.api.Problem;

import java.util.Objects;

/**
 * The one exception the broker's capabilities throw for anything the caller should hear about. It carries the
 * {@link Problem} to answer with; the HTTP layer maps it in one place. Anything else that escapes a handler is an
 * internal error.
 */
public final class ApiException extends RuntimeException {
    private final transient Problem problem;

    public ApiException(Problem problem) {
        super(problem.code() + ": " + problem.detail(), null, false, false);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public ApiException(ErrorCode code, String detail) {
        this(Problem.of(code, detail));
    }

    public static ApiException of(ErrorCode code, String detail) {
        return new ApiException(code, detail);
    }

    /** A problem about one request field or parameter. */
    public static ApiException field(ErrorCode code, String field, String detail) {
        return new ApiException(Problem.of(code, detail).withField(field));
    }

    public Problem problem() {
        return problem;
    }

    public ErrorCode code() {
        return problem.errorCode().orElse(ErrorCode.INTERNAL);
    }
}
