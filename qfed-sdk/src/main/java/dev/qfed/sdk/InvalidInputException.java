package dev.qfed.sdk;

import dev.qfed.api.Problem;

import java.util.Optional;

/**
 * The request is wrong and will stay wrong: malformed or unknown fields, an invalid cursor, an OpenQASM error, an
 * unknown backend or none that fits (HTTP 400, 415, 422). For OpenQASM errors {@link #circuit()}, {@link #line()}
 * and {@link #column()} say where.
 */
public final class InvalidInputException extends ProblemException {
    InvalidInputException(Problem problem) {
        super(problem);
    }

    /** For OpenQASM errors: the index of the circuit in the job (0 for the first). */
    public Optional<Integer> circuit() {
        return problem().circuit();
    }

    /** For OpenQASM errors: the 1-based line in that circuit's source. */
    public Optional<Integer> line() {
        return problem().line();
    }

    /** For OpenQASM errors: the 1-based column. */
    public Optional<Integer> column() {
        return problem().column();
    }
}
