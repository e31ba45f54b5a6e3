package dev.qfed.api;

import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every error the API returns. Each code has a stable problem {@code type} URI
 * ({@value #TYPE_BASE}{@code <slug>}), an HTTP status, a {@link ErrorKind kind} and whether retrying the same
 * request can succeed. {@code docs/api-errors.md} documents them; a test keeps the two in step. Codes are only
 * ever added, never renamed.
 */
public enum ErrorCode {
    MALFORMED_JSON("malformed-json", 400, ErrorKind.INVALID_INPUT, false, "Malformed JSON"),
    UNKNOWN_FIELD("unknown-field", 400, ErrorKind.INVALID_INPUT, false, "Unknown field"),
    INVALID_REQUEST("invalid-request", 400, ErrorKind.INVALID_INPUT, false, "Invalid request"),
    INVALID_CURSOR("invalid-cursor", 400, ErrorKind.INVALID_INPUT, false, "Invalid cursor"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, ErrorKind.INVALID_INPUT, false, "Unsupported media type"),
    BODY_TOO_LARGE("body-too-large", 413, ErrorKind.LIMIT, false, "Request body too large"),
    LIMIT_EXCEEDED("limit-exceeded", 422, ErrorKind.LIMIT, false, "Limit exceeded"),
    QASM_SYNTAX("qasm-syntax", 422, ErrorKind.INVALID_INPUT, false, "OpenQASM syntax error"),
    QASM_SEMANTIC("qasm-semantic", 422, ErrorKind.INVALID_INPUT, false, "OpenQASM semantic error"),
    QASM_UNSUPPORTED("qasm-unsupported", 422, ErrorKind.INVALID_INPUT, false, "Unsupported OpenQASM construct"),
    QASM_LIMIT("qasm-limit", 422, ErrorKind.LIMIT, false, "OpenQASM limit exceeded"),
    INVALID_CIRCUIT("invalid-circuit", 422, ErrorKind.INVALID_INPUT, false, "Invalid circuit"),
    UNKNOWN_BACKEND("unknown-backend", 422, ErrorKind.INVALID_INPUT, false, "Unknown backend"),
    NO_FITTING_BACKEND("no-fitting-backend", 422, ErrorKind.INVALID_INPUT, false, "No backend fits the job"),
    INVALID_RESULT("invalid-result", 422, ErrorKind.INVALID_INPUT, false, "Invalid result"),
    UNAUTHENTICATED("unauthenticated", 401, ErrorKind.NOT_ALLOWED, false, "Not authenticated"),
    FORBIDDEN("forbidden", 403, ErrorKind.NOT_ALLOWED, false, "Forbidden"),
    NOT_FOUND("not-found", 404, ErrorKind.NOT_FOUND, false, "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, ErrorKind.INVALID_INPUT, false, "Method not allowed"),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", 409, ErrorKind.CONFLICT, false,
            "Idempotency key reused with a different request"),
    JOB_FINAL("job-final", 409, ErrorKind.CONFLICT, false, "Job already final"),
    LEASE_NOT_CURRENT("lease-not-current", 409, ErrorKind.CONFLICT, false, "Lease no longer current"),
    LEASE_STARTED("lease-started", 409, ErrorKind.CONFLICT, false, "Lease already started"),
    BACKEND_NAME_TAKEN("backend-name-taken", 409, ErrorKind.CONFLICT, false, "Backend name taken"),
    UNAVAILABLE("unavailable", 503, ErrorKind.UNAVAILABLE, true, "Service unavailable"),
    INTERNAL("internal", 500, ErrorKind.INTERNAL, false, "Internal error");

    /** Prefix of every problem {@code type}. */
    public static final String TYPE_BASE = "https://qfed.dev/problems/";

    private static final Map<String, ErrorCode> BY_TYPE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(c -> c.type().toString(), Function.identity()));

    private final String slug;
    private final int status;
    private final ErrorKind kind;
    private final boolean retryable;
    private final String title;

    ErrorCode(String slug, int status, ErrorKind kind, boolean retryable, String title) {
        this.slug = slug;
        this.status = status;
        this.kind = kind;
        this.retryable = retryable;
        this.title = title;
    }

    /** The last segment of the type URI, e.g. {@code qasm-syntax}. */
    public String slug() {
        return slug;
    }

    /** The problem {@code type}, e.g. {@code https://qfed.dev/problems/qasm-syntax}. */
    public URI type() {
        return URI.create(TYPE_BASE + slug);
    }

    public int httpStatus() {
        return status;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** Whether sending the same request again later can succeed. */
    public boolean retryable() {
        return retryable;
    }

    /** The problem {@code title}: the same for every occurrence of the code. */
    public String title() {
        return title;
    }

    /** The code of a problem {@code type}; empty for a type this client does not know (a newer server). */
    public static Optional<ErrorCode> ofType(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }
}
