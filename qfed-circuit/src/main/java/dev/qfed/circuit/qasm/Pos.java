package dev.qfed.circuit.qasm;

/** A place in a source file: 1-based line and column (columns count UTF-16 chars, as {@link Diagnostic} does). */
record Pos(SourceText source, int line, int column) {

    QasmException error(QasmException.Kind kind, String message) {
        return new QasmException(kind, new Diagnostic(source.name(), line, column, message,
                source.line(line, column)));
    }

    QasmException syntax(String message) {
        return error(QasmException.Kind.SYNTAX, message);
    }

    QasmException semantic(String message) {
        return error(QasmException.Kind.SEMANTIC, message);
    }

    QasmException unsupported(String message) {
        return error(QasmException.Kind.UNSUPPORTED, message);
    }

    QasmException limit(String message) {
        return error(QasmException.Kind.LIMIT, message);
    }
}
