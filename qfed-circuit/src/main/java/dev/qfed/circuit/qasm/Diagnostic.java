package dev.qfed.circuit.qasm;

import java.util.Objects;

/**
 * One error in OpenQASM source: where (file, 1-based line and column), what, and the offending line so a caret
 * can point at it.
 */
public record Diagnostic(String file, int line, int column, String message, String sourceLine) {
    public Diagnostic {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(sourceLine, "sourceLine");
    }

    /**
     * The compiler-style rendering:
     * <pre>
     * bell.qasm:3:1: error: undefined gate 'hh'
     *   hh q[0];
     *   ^
     * </pre>
     */
    public String format() {
        StringBuilder caret = new StringBuilder();
        for (int i = 1; i < column && i <= sourceLine.length(); i++) {
            caret.append(sourceLine.charAt(i - 1) == '\t' ? '\t' : ' ');
        }
        return file + ":" + line + ":" + column + ": error: " + message + "\n  " + sourceLine + "\n  " + caret + "^";
    }
}
