package dev.qfed.circuit.qasm;

import dev.qfed.circuit.qasm.QasmException.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.qfed.circuit.qasm.QasmTesting.assertError;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** OpenQASM 3 outside the supported subset is refused at the construct, never silently ignored. */
class QasmUnsupportedTest {
    private static final String V3 = "OPENQASM 3;\ninclude \"stdgates.inc\";\n"; // program text starts on line 3

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments("def", V3 + "def f() { }\n", 3, 1,
                        "subroutines ('def') are not supported yet; use a 'gate' definition for unitary code"),
                arguments("extern", V3 + "extern f(int) -> int;\n", 3, 1, "'extern' functions are not supported yet"),
                arguments("defcal", V3 + "defcal rz(angle t) $0 { }\n", 3, 1,
                        "pulse-level calibration ('defcal') is not supported yet"),
                arguments("cal", V3 + "cal { }\n", 3, 1, "pulse-level calibration ('cal') is not supported yet"),
                arguments("defcalgrammar", V3 + "defcalgrammar \"openpulse\";\n", 3, 1,
                        "pulse-level calibration ('defcalgrammar') is not supported yet"),
                arguments("while", V3 + "while (true) { }\n", 3, 1,
                        "'while' loops are not supported yet; use a 'for' loop over a constant range"),
                arguments("break", V3 + "for int i in [0:1] { break; }\n", 3, 22, "'break' is not supported yet"),
                arguments("continue", V3 + "for int i in [0:1] { continue; }\n", 3, 22,
                        "'continue' is not supported yet"),
                arguments("switch", V3 + "switch (1) { }\n", 3, 1, "'switch' is not supported yet; use if/else"),
                arguments("box", V3 + "qubit q;\nbox { x q; }\n", 4, 1, "timing ('box') is not supported yet"),
                arguments("delay", V3 + "qubit q;\ndelay[100ns] q;\n", 4, 1, "timing ('delay') is not supported yet"),
                arguments("duration", V3 + "duration d = 100ns;\n", 3, 1, "'duration' (timing) is not supported yet"),
                arguments("stretch", V3 + "stretch s;\n", 3, 1, "'stretch' (timing) is not supported yet"),
                arguments("let", V3 + "qubit[2] q;\nlet a = q;\n", 4, 1, "aliases ('let') are not supported yet"),
                arguments("array", V3 + "array[int[8], 2] a;\n", 3, 1, "arrays are not supported yet"),
                arguments("return", V3 + "return;\n", 3, 1, "'return' is not supported yet"),
                arguments("end", V3 + "end;\n", 3, 1, "'end' is not supported yet"),
                arguments("pragma", V3 + "pragma qfed foo\n", 3, 1,
                        "pragmas are not supported yet; remove the 'pragma' line"),
                arguments("#pragma", V3 + "#pragma foo\n", 3, 1,
                        "pragmas are not supported yet; remove the '#pragma' line"),
                arguments("annotation", V3 + "@bar\nqubit q;\n", 3, 1,
                        "annotations are not supported yet; remove the '@…' line"),
                arguments("int variable", V3 + "int n;\n", 3, 1, "classical variables ('int') are not supported yet; "
                        + "only 'const' declarations, 'input angle'/'input float' and bit registers are"),
                arguments("float variable", V3 + "float y = 1.0;\n", 3, 1, "classical variables ('float') are not "
                        + "supported yet; only 'const' declarations, 'input angle'/'input float' and bit registers are"),
                arguments("assignment of a value", V3 + "bit[2] c;\nc = 1;\n", 4, 1,
                        "assignments to classical variables are not supported yet; only 'c = measure q;' is"),
                arguments("compound assignment", V3 + "bit[2] c;\nc[0] += 1;\n", 4, 1,
                        "assignments to classical variables are not supported yet; only 'c = measure q;' is"),
                arguments("bit initialised with a value", V3 + "bit c = 1;\n", 3, 7,
                        "initialising bits with a value is not supported yet; only 'bit c = measure q;' is"),
                arguments("timing literal", V3 + "qubit q;\nrz(100ns) q;\n", 4, 4,
                        "timing literals such as 100ns are not supported yet"),
                arguments("duration designator on a gate call", V3 + "qubit q;\nrx(0.1)[20dt] q;\n", 4, 8,
                        "duration designators on gate calls are not supported yet"),
                arguments("opaque", V3 + "opaque g a;\n", 3, 1,
                        "'opaque' is not supported in OpenQASM 3; define the gate with 'gate' instead"),
                arguments("measure without target", V3 + "qubit q;\nmeasure q;\n", 4, 1,
                        "a measure without a target bit is not supported yet; write 'c = measure q;' or "
                                + "'measure q -> c;'"),
                arguments("physical qubit", V3 + "h $0;\n", 3, 3,
                        "physical qubits such as $0 are not supported yet; declare 'qubit[n] q;' and use q[i]"),
                arguments("output", V3 + "output bit c;\n", 3, 1,
                        "'output' declarations are not supported yet; measured bits are returned anyway"),
                arguments("input int", V3 + "input int n;\n", 3, 7,
                        "inputs of type 'int' are not supported yet; use 'input angle' or 'input float'"),
                arguments("const complex", V3 + "const complex z = 1;\n", 3, 7,
                        "'const' of type 'complex' is not supported yet"),
                arguments("comparison", V3 + "qubit q;\nbit[2] c;\nif (c > 1) x q;\n", 5, 7,
                        "comparison '>' is not supported yet; conditions test equality ('==', '!=') or single bits"),
                arguments("logical and", V3 + "qubit q;\nbit[2] c;\nif (c[0] && c[1]) x q;\n", 5, 10,
                        "logical operator '&&' is not supported yet; nest 'if' statements instead"),
                arguments("xor written as a power", V3 + "qubit q;\nrz(2 ^ 3) q;\n", 4, 6,
                        "'^' is bitwise XOR in OpenQASM 3, which is not supported yet; for a power write '**'"),
                arguments("remainder", V3 + "qubit q;\nrz(5 % 2) q;\n", 4, 6,
                        "the remainder operator '%' is not supported yet"),
                arguments("bit shift", V3 + "qubit q;\nrz(1 << 2) q;\n", 4, 6, "bitwise operator '<<' is not supported yet"),
                arguments("cast", V3 + "qubit q;\nrz(float(1)) q;\n", 4, 4, "calling 'float' in an expression is not "
                        + "supported yet; the functions are sin, cos, tan, arcsin, arccos, arctan, exp, ln and sqrt"),
                arguments("reading a bit in arithmetic", V3 + "qubit q;\nbit[2] c;\nrz(c[0]) q;\n", 5, 4,
                        "reading classical bits in expressions is not supported yet; bits may only be tested in 'if' "
                                + "conditions"),
                arguments("float loop", V3 + "qubit q;\nfor float f in [0:1] x q;\n", 4, 5,
                        "for loops over 'float' values are not supported yet; loop over integers"),
                arguments("loop over a register", V3 + "qubit[2] q;\nfor int i in q x q[i];\n", 4, 14,
                        "for loops over a register or array are not supported yet; loop over a range such as [0:n-1]"),
                arguments("multi-dimensional index", V3 + "qubit[2] q;\nx q[0, 1];\n", 4, 6,
                        "multi-dimensional indexing is not supported"),
                arguments("wide condition", V3 + "qubit q;\nbit[70] c;\nif (c == 1) x q;\n", 5, 5,
                        "conditions on registers wider than 63 bits are not supported; c has 70"),
                arguments("fractional pow on a user gate", V3 + "gate g x { h x; }\nqubit q;\npow(0.5) @ g q;\n", 5, 1,
                        "pow(0.5) on user-defined gate 'g' is not supported yet: only integer powers of user-defined "
                                + "gates are"),
                arguments("symbolic pow on a user gate inside a body",
                        V3 + "gate g x { h x; }\ngate k(a) x { pow(a) @ g x; }\n", 4, 15,
                        "pow with a symbolic exponent (gate parameter 'a') on user-defined gate 'g' is not supported "
                                + "yet; use an integer constant"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void unsupportedConstructsAreRefusedWhereTheyStand(String what, String source, int line, int column,
                                                         String message) {
        assertError(source, Kind.UNSUPPORTED, line, column, message);
    }
}
