package dev.qfed.api;

import java.util.Optional;

/**
 * An RFC 9457 {@code application/problem+json} body, as every API error is answered.
 *
 * @param type      a stable URI naming the error (see {@link ErrorCode})
 * @param title     short, the same for every occurrence of the type
 * @param status    the HTTP status
 * @param detail    what was wrong here and what to do
 * @param code      the type's last segment, for switch statements
 * @param retryable whether the same request may succeed later
 * @param field     the request field or parameter at fault, e.g. {@code circuits[1].qasm} or {@code cursor}
 * @param circuit   for OpenQASM errors: index of the circuit in the job
 * @param line      for OpenQASM errors: 1-based line in that circuit's source
 * @param column    for OpenQASM errors: 1-based column
 */
public record Problem(String type, String title, int status, String detail, Optional<String> instance, String code,
                      boolean retryable, Optional<String> field, Optional<Integer> circuit, Optional<Integer> line,
                      Optional<Integer> column) {
    public Problem {
        type = Checks.text(type, "type");
        title = Checks.text(title, "title");
        detail = Checks.text(detail, "detail");
        instance = Checks.optional(instance);
        code = Checks.text(code, "code");
        field = Checks.optional(field);
        circuit = Checks.optional(circuit);
        line = Checks.optional(line);
        column = Checks.optional(column);
    }

    /** A problem of the given code with nothing but a detail. */
    public static Problem of(ErrorCode code, String detail) {
        return new Problem(code.type().toString(), code.title(), code.httpStatus(), detail, Optional.empty(),
                code.slug(), code.retryable(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public Problem withField(String field) {
        return new Problem(type, title, status, detail, instance, code, retryable, Optional.of(field), circuit, line,
                column);
    }

    public Problem withInstance(String instance) {
        return new Problem(type, title, status, detail, Optional.of(instance), code, retryable, field, circuit, line,
                column);
    }

    public Problem withPosition(int circuit, int line, int column) {
        return new Problem(type, title, status, detail, instance, code, retryable, field, Optional.of(circuit),
                Optional.of(line), Optional.of(column));
    }

    /** The code, when this client knows the type. */
    public Optional<ErrorCode> errorCode() {
        return ErrorCode.ofType(type);
    }
}
