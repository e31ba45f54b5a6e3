package dev.qfed.circuit.qasm;

import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.Expr;
import dev.qfed.circuit.Gate;
import dev.qfed.circuit.GateModifier;
import dev.qfed.circuit.GateOperation;
import dev.qfed.circuit.Operation;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Shorthands for the front-end tests: parse text, build expected operations, catch errors. */
final class QasmTesting {
    static final String V2 = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n";
    static final String V3 = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n";

    private QasmTesting() {
    }

    static Circuit parse(String source) throws QasmException {
        return OpenQasm.parse(source, "test.qasm", null, ParseLimits.DEFAULT);
    }

    static Circuit parse(String source, ParseLimits limits) throws QasmException {
        return OpenQasm.parse(source, "test.qasm", null, limits);
    }

    static List<Operation> ops(String source) throws QasmException {
        return parse(source).operations();
    }

    static QasmException error(String source) {
        return error(source, ParseLimits.DEFAULT);
    }

    static QasmException error(String source, ParseLimits limits) {
        QasmException e = catchThrowableOfType(QasmException.class, () -> parse(source, limits));
        assertThat(e).as("expected a QasmException for:\n" + source).isNotNull();
        return e;
    }

    /** Asserts kind, position and message of the error {@code source} raises. */
    static void assertError(String source, QasmException.Kind kind, int line, int column, String message) {
        assertError(error(source), kind, line, column, message);
    }

    static void assertError(QasmException e, QasmException.Kind kind, int line, int column, String message) {
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
        assertThat(e.diagnostic().message()).isEqualTo(message);
        assertThat(e.diagnostic().line()).as("line of: " + e.getMessage()).isEqualTo(line);
        assertThat(e.diagnostic().column()).as("column of: " + e.getMessage()).isEqualTo(column);
    }

    static GateOperation g(Gate gate, int... qubits) {
        return new GateOperation(gate, List.of(), List.of(), box(qubits));
    }

    static GateOperation g(Gate gate, double[] params, int... qubits) {
        return new GateOperation(gate, Arrays.stream(params).mapToObj(Expr::constant).map(Expr.class::cast).toList(),
                List.of(), box(qubits));
    }

    static GateOperation g(Gate gate, List<Expr> params, List<GateModifier> modifiers, int... qubits) {
        return new GateOperation(gate, params, modifiers, box(qubits));
    }

    static double[] p(double... values) {
        return values;
    }

    static List<Integer> box(int... values) {
        return Arrays.stream(values).boxed().toList();
    }

    static Expr c(double v) {
        return Expr.constant(v);
    }
}
