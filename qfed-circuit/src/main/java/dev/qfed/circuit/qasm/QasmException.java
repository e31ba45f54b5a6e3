package dev.qfed.circuit.qasm;

import java.util.Objects;

/** OpenQASM source that cannot be turned into a circuit, with where and why. */
public final class QasmException extends Exception {

    /** What went wrong, which decides the CLI exit code and the API error type. */
    public enum Kind {
        /** Not valid OpenQASM: tokens or grammar. */
        SYNTAX,
        /** Valid grammar, wrong meaning: undefined name, arity, index out of range, duplicate, type, recursion. */
        SEMANTIC,
        /** Valid OpenQASM 3 that QFed does not support yet ({@code def}, {@code while}, …). */
        UNSUPPORTED,
        /** A {@link ParseLimits} bound was exceeded. */
        LIMIT
    }

    private final Kind kind;
    private final Diagnostic diagnostic;

    public QasmException(Kind kind, Diagnostic diagnostic) {
        super(diagnostic.format());
        this.kind = Objects.requireNonNull(kind, "kind");
        this.diagnostic = diagnostic;
    }

    public Kind kind() {
        return kind;
    }

    public Diagnostic diagnostic() {
        return diagnostic;
    }
}
