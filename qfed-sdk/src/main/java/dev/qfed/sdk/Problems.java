package dev.qfed.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qfed.api.ApiJson;
import dev.qfed.api.ErrorCode;
import dev.qfed.api.ErrorKind;
import dev.qfed.api.Problem;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** Turns an error answer into the typed exception: the one place where problems meet the exception hierarchy. */
final class Problems {
    private static final int MAX_DETAIL_CHARS = 300;

    private Problems() {
    }

    /** The exception for a problem, by its kind (from the type when known, else from the status). */
    static ProblemException toException(Problem problem, Optional<Duration> retryAfter) {
        Optional<ErrorCode> code = problem.errorCode();
        ErrorKind kind = code.map(ErrorCode::kind).orElseGet(() -> kindOfStatus(problem.status()));
        return switch (kind) {
            case INVALID_INPUT -> new InvalidInputException(problem);
            case LIMIT -> new LimitExceededException(problem);
            case NOT_ALLOWED -> code.map(c -> c == ErrorCode.UNAUTHENTICATED).orElse(problem.status() == 401)
                    ? new UnauthenticatedException(problem) : new ForbiddenException(problem);
            case NOT_FOUND -> new NotFoundException(problem);
            case CONFLICT -> new ConflictException(problem);
            case UNAVAILABLE -> new UnavailableException(problem, retryAfter);
            case INTERNAL -> problem.retryable() ? new UnavailableException(problem, retryAfter)
                    : new ServerErrorException(problem);
        };
    }

    /** What an HTTP status means when the body does not say. */
    static ErrorKind kindOfStatus(int status) {
        return switch (status) {
            case 401, 403 -> ErrorKind.NOT_ALLOWED;
            case 404, 410 -> ErrorKind.NOT_FOUND;
            case 409, 412 -> ErrorKind.CONFLICT;
            case 413 -> ErrorKind.LIMIT;
            case 408, 429, 502, 503, 504 -> ErrorKind.UNAVAILABLE;
            default -> status >= 400 && status < 500 ? ErrorKind.INVALID_INPUT : ErrorKind.INTERNAL;
        };
    }

    /** Statuses worth retrying whatever the body says: throttling and gateways that could not reach the server. */
    static boolean retryableStatus(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    /**
     * Reads an error answer. A problem+json body is taken as sent (unknown fields ignored: newer servers add
     * some); anything else (a proxy's HTML page, an empty body) becomes a problem built from the status.
     */
    static Problem read(int status, Optional<String> contentType, byte[] body) {
        if (contentType.map(t -> t.contains("json")).orElse(false) && body.length > 0) {
            try {
                JsonNode tree = ApiJson.lenientMapper().readTree(body);
                if (tree != null && tree.isObject() && tree.hasNonNull("type") && tree.hasNonNull("detail")) {
                    Problem p = ApiJson.lenientMapper().treeToValue(tree, Problem.class);
                    return p.status() == status ? p : withStatus(p, status);
                }
            } catch (Exception e) {
                // fall through: a broken problem body is reported like any other unexpected answer
            }
        }
        return synthesise(status, new String(body, StandardCharsets.UTF_8));
    }

    static Problem synthesise(int status, String body) {
        String text = body.strip().replaceAll("\\s+", " ");
        if (text.length() > MAX_DETAIL_CHARS) {
            text = text.substring(0, MAX_DETAIL_CHARS) + "…";
        }
        String detail = "the server answered HTTP " + status + (text.isEmpty() ? " with no problem details"
                : " without problem details: " + text);
        return new Problem("about:blank", "HTTP " + status, status, detail, Optional.empty(), "http-" + status,
                retryableStatus(status), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static Problem withStatus(Problem p, int status) {
        return new Problem(p.type(), p.title(), status, p.detail(), p.instance(), p.code(), p.retryable(), p.field(),
                p.circuit(), p.line(), p.column());
    }
}
