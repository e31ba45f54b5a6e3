package dev.qfed.circuit.qasm;

import dev.qfed.circuit.qasm.QasmException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.qfed.circuit.qasm.QasmTesting.assertError;
import static dev.qfed.circuit.qasm.QasmTesting.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every error names its kind, file, line and column, says what is wrong and what to do, and stops parsing. */
class QasmErrorTest {
    private static final String V2 = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n"; // program text starts on line 3
    private static final String V3 = "OPENQASM 3;\ninclude \"stdgates.inc\";\n";

    static Stream<Arguments> syntaxErrors() {
        return Stream.of(
                arguments("a missing semicolon points just past the statement",
                        V2 + "qreg q[2];\nh q[0]\ncx q[0], q[1];\n", 4, 7,
                        "expected ';' after the statement, found 'cx'"),
                arguments("a missing semicolon at the end of the file",
                        "OPENQASM 2.0;\nqreg q[1]", 2, 10, "expected ';' after the statement, found end of file"),
                arguments("a wrong closing bracket", "OPENQASM 2.0;\nqreg q[1;\n", 2, 9,
                        "expected ']' after the register size, found ';'"),
                arguments("a register name that is not a name", "OPENQASM 2.0;\nqreg 1q[1];\n", 2, 6,
                        "expected a register name, found '1'"),
                arguments("an unclosed parameter list", "OPENQASM 2.0;\nqreg q[1];\nU(0.1, 0.2, 0.3 q[0];\n", 3, 17,
                        "expected ')' after the gate parameters, found 'q'"),
                arguments("an unterminated block comment", "OPENQASM 2.0;\n/* never closed\n", 2, 1,
                        "unterminated comment: close it with */"),
                arguments("an unterminated string", "OPENQASM 3;\ninclude \"stdgates.inc;\n", 2, 9,
                        "unterminated string: add the closing \" on the same line"),
                arguments("a stray character", "OPENQASM 2.0;\nqreg q[1];\nU(1,2,3) q[0]; ?\n", 3, 16,
                        "unexpected character '?'; remove it"),
                arguments("a header that is not first", "OPENQASM 2.0;\nqreg q[1];\nOPENQASM 2.0;\n", 3, 1,
                        "the OPENQASM header must be the first statement"),
                arguments("two stars in OpenQASM 2", V2 + "qreg q[1];\nrz(2**2) q[0];\n", 4, 5,
                        "'**' is not OpenQASM 2; write '^' for a power"),
                arguments("an underscore in an OpenQASM 2 integer", V2 + "qreg q[1];\nrz(1_0) q[0];\n", 4, 4,
                        "malformed integer '1_0': OpenQASM 2 integers are plain decimal digits"),
                arguments("an unknown function in OpenQASM 2", V2 + "qreg q[1];\nrz(foo(1)) q[0];\n", 4, 4,
                        "unknown function 'foo'; OpenQASM 2 has sin, cos, tan, exp, ln and sqrt"),
                arguments("an OpenQASM 2 if around a barrier", V2 + "qreg q[1];\ncreg c[1];\nif (c == 1) barrier q;\n",
                        5, 13, "an OpenQASM 2 'if' applies to one gate call, measure or reset, found 'barrier'"),
                arguments("an OpenQASM 2 measure without an arrow", "OPENQASM 2.0;\nqreg q[1];\nmeasure q[0];\n", 3, 13,
                        "expected '->' and a classical target after the measured qubits, found ';'"),
                arguments("an unclosed block", V3 + "qubit q;\nif (true) { x q;\n", 4, 11,
                        "the block opened here is never closed; add '}'"),
                arguments("an unclosed gate body", "OPENQASM 3;\ngate g a { \n", 2, 10,
                        "the gate body opened here is never closed; add '}'"),
                arguments("a modifier without '@'", V3 + "qubit q;\nctrl x q;\n", 4, 6,
                        "expected '@' after the gate modifier, found 'x'"),
                arguments("pow without an exponent", V3 + "qubit q;\npow @ x q;\n", 4, 5,
                        "expected '(' and an exponent after 'pow', found '@'"),
                arguments("a trailing comma", V3 + "qubit q;\nx q, ;\n", 4, 6,
                        "expected a register or qubit name, found ';'"),
                arguments("a reserved word as a name", V3 + "const int qubit = 1;\n", 3, 11,
                        "'qubit' is a reserved word and cannot be a constant name"),
                arguments("an input with a value", V3 + "input angle a = 1;\n", 3, 15,
                        "an input has no value in the program; it is bound when the circuit runs"),
                arguments("an else without an if", V3 + "qubit[2] q;\nelse x q;\n", 4, 1,
                        "'else' without a matching 'if'"),
                arguments("an expression statement", V3 + "qubit q;\nq[0];\n", 4, 5,
                        "expected '=' in an assignment, found ';'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("syntaxErrors")
    void syntaxErrorsPointAtTheOffendingToken(String what, String source, int line, int column, String message) {
        assertError(source, Kind.SYNTAX, line, column, message);
    }

    static Stream<Arguments> semanticErrors() {
        return Stream.of(
                arguments("a library gate without its OpenQASM 2 include", "OPENQASM 2.0;\nqreg q[1];\nh q[0];\n", 3, 1,
                        "undefined gate 'h'; add include \"qelib1.inc\";"),
                arguments("a library gate without its OpenQASM 3 include", "OPENQASM 3;\nqubit q;\nh q;\n", 3, 1,
                        "undefined gate 'h'; add include \"stdgates.inc\";"),
                arguments("a qelib1 gate in OpenQASM 3", V3 + "qubit[2] q;\ncu1(0.1) q[0], q[1];\n", 4, 1,
                        "undefined gate 'cu1': it is in OpenQASM 2's qelib1.inc but not in stdgates.inc; define it "
                                + "with a 'gate' definition"),
                arguments("an undefined gate", "OPENQASM 2.0;\nqreg q[1];\nhh q[0];\n", 3, 1, "undefined gate 'hh'"),
                arguments("the wrong library for OpenQASM 2", "OPENQASM 2.0;\ninclude \"stdgates.inc\";\n", 2, 9,
                        "stdgates.inc is the OpenQASM 3 library; in OpenQASM 2 write include \"qelib1.inc\";"),
                arguments("the wrong library for OpenQASM 3", "OPENQASM 3;\ninclude \"qelib1.inc\";\n", 2, 9,
                        "qelib1.inc is the OpenQASM 2 library; in OpenQASM 3 write include \"stdgates.inc\";"),
                arguments("too few qubits", V2 + "qreg q[2];\ncx q[0];\n", 4, 1,
                        "gate 'cx' takes 2 qubit arguments, got 1"),
                arguments("too few qubits for a controlled call", V3 + "qubit[2] q;\nctrl @ cx q[0], q[1];\n", 4, 8,
                        "gate 'cx' takes 3 qubit arguments (1 control and 2 for the gate), got 2"),
                arguments("too many parameters", V2 + "qreg q[2];\nrx(0.1, 0.2) q[0];\n", 4, 1,
                        "gate 'rx' takes 1 parameter, got 2"),
                arguments("a missing parameter of a user gate",
                        V2 + "qreg q[2];\ngate g(t) a { rx(t) a; }\ng q[0];\n", 5, 1, "gate 'g' takes 1 parameter, got 0"),
                arguments("an index out of range", V2 + "qreg q[3];\nx q[5];\n", 4, 5,
                        "index 5 out of range for register q of size 3"),
                arguments("a negative index out of range", V3 + "qubit[2] q;\nx q[-3];\n", 4, 5,
                        "index -3 out of range for register q of size 2"),
                arguments("a real index", V3 + "qubit[2] q;\nx q[1.5];\n", 4, 5, "an index must be an integer, got 1.5"),
                arguments("a duplicate register", V2 + "qreg q[3];\nqreg q[2];\n", 4, 6,
                        "'q' is already declared at test.qasm:3 as a qubit register; choose another name"),
                arguments("a redefined library gate", V2 + "gate h a { x a; }\n", 3, 6,
                        "'h' is already defined as a gate by qelib1.inc; choose another name"),
                arguments("a redefined built-in", "OPENQASM 2.0;\ngate CX a, b { }\n", 2, 6,
                        "'CX' is already defined as a gate by the language; choose another name"),
                arguments("an include that clashes with a declaration",
                        "OPENQASM 2.0;\ngate h a { U(0, 0, 0) a; }\ninclude \"qelib1.inc\";\n", 3, 9,
                        "qelib1.inc defines gate 'h', which is already declared at test.qasm:2 as a gate; rename that "
                                + "declaration"),
                arguments("a register named like a library gate", V3 + "qubit[1] x;\n", 3, 10,
                        "'x' is already defined as a gate by stdgates.inc; choose another name"),
                arguments("a duplicate opaque gate", V2 + "opaque o a;\nopaque o b;\n", 4, 8,
                        "'o' is already declared at test.qasm:3 as a gate; choose another name"),
                arguments("a gate body calling its own gate", V2 + "gate g a { g a; }\n", 3, 12,
                        "recursive gate definition: gate 'g' calls itself; a gate body may call only gates defined "
                                + "before it"),
                arguments("a gate body calling a later gate", V2 + "gate f a { g a; }\ngate g a { x a; }\n", 3, 12,
                        "gate 'g' is used before it is defined (at line 4); move its definition above this use"),
                arguments("a call before the definition",
                        V2 + "qreg q[1];\ng q[0];\ngate g a { x a; }\n", 4, 1,
                        "gate 'g' is used before it is defined (at line 5); move its definition above this use"),
                arguments("a classical register where a qubit is expected",
                        V2 + "qreg q[1];\ncreg c[1];\nmeasure c[0] -> q[0];\n", 5, 9,
                        "'c' is a classical register, but measure needs qubits"),
                arguments("a creg as a gate argument", V2 + "qreg q[1];\ncreg c[1];\nh c[0];\n", 5, 3,
                        "'c' is a classical register, but a gate argument needs qubits"),
                arguments("a qubit as a measure target", V2 + "qreg q[1];\nqreg r[1];\nmeasure q[0] -> r[0];\n", 5, 17,
                        "'r' is a qubit register, but the measure target needs classical bits"),
                arguments("a register used as a gate", V3 + "qubit[2] q;\nq q[0];\n", 4, 1,
                        "'q' is a qubit register, not a gate"),
                arguments("a measure of unequal sizes", "OPENQASM 3;\nqubit[2] q;\nbit[2] c;\nc = measure q[0];\n", 4, 1,
                        "measure needs as many bits as qubits: q[0] has 1 qubit but c has 2 bits"),
                arguments("a condition value too large", V2 + "qreg q[1];\ncreg c[2];\nif (c == 4) x q[0];\n", 5, 10,
                        "condition value 4 does not fit in the 2 bits of c (largest value 3)"),
                arguments("a condition on a qreg", V2 + "qreg q[1];\ncreg c[1];\nif (q == 1) x q[0];\n", 5, 5,
                        "'q' is a qubit register, but a condition needs classical bits"),
                arguments("a bit compared with 2", V3 + "qubit q;\nbit[2] c;\nif (c[0] == 2) x q;\n", 5, 13,
                        "a single bit compares with 0, 1, true or false, got 2"),
                arguments("an integer condition", V3 + "qubit q;\nif (1) x q;\n", 4, 5,
                        "an if condition must be a bool or a test of classical bits, got an integer"),
                arguments("the same qubit twice", V2 + "qreg q[2];\ncx q[0], q[0];\n", 4, 10,
                        "qubit q[0] is used twice in this gate call"),
                arguments("registers of different sizes", V2 + "qreg q[2];\nqreg r[3];\ncx q, r;\n", 5, 7,
                        "registers in one gate call must have the same size: q has 2, r has 3"),
                arguments("a division by zero", V2 + "qreg q[1];\nrz(1/0) q[0];\n", 4, 5, "division by zero"),
                arguments("a logarithm of zero", V2 + "qreg q[1];\nrz(ln(0)) q[0];\n", 4, 4,
                        "ln(0) is not a finite real number"),
                arguments("a square root of a negative number", V2 + "qreg q[1];\nrz(sqrt(-1)) q[0];\n", 4, 4,
                        "sqrt(-1) is not a finite real number"),
                arguments("an undefined name", V2 + "qreg q[1];\nrz(theta) q[0];\n", 4, 4, "undefined name 'theta'"),
                arguments("a bool as a gate parameter", V3 + "qubit q;\nrx(true) q;\n", 4, 4,
                        "a gate parameter must be a number, got a bool"),
                arguments("an error inside an expansion says which call",
                        V3 + "qubit q;\ngate g(t) a { rx(1/t) a; }\ng(0) q;\n", 4, 19,
                        "division by zero (in the expansion of gate 'g' called at test.qasm:5)"),
                arguments("an input as a register size", V3 + "input angle theta;\nqubit[theta] q;\n", 4, 7,
                        "the register size must be a compile-time constant, but input 'theta' is known only when "
                                + "the circuit runs"),
                arguments("an input as an index", V3 + "input angle theta;\nqubit[2] q;\nx q[theta];\n", 5, 5,
                        "an index must be a compile-time constant, but input 'theta' is known only when the circuit "
                                + "runs"),
                arguments("an input as a loop bound", V3 + "input angle theta;\nqubit q;\nfor int i in [0:theta] x q;\n",
                        5, 17, "the loop end must be a compile-time constant, but input 'theta' is known only when "
                                + "the circuit runs"),
                arguments("an input as the pow exponent of a user gate",
                        V3 + "input angle theta;\ngate g a { h a; }\nqubit q;\npow(theta) @ g q;\n", 6, 5,
                        "the exponent of pow on user-defined gate 'g' must be a compile-time constant, but input "
                                + "'theta' is known only when the circuit runs"),
                arguments("an input inside a gate body", V3 + "input angle th;\ngate g a { rz(th) a; }\n", 4, 15,
                        "input 'th' cannot be used inside a gate body; pass it to the gate as a parameter"),
                arguments("a register inside a gate body", V3 + "qubit[2] q;\ngate g a { h q[0]; }\n", 4, 14,
                        "register 'q' cannot be used inside a gate body; pass its qubits to gate 'g' as arguments"),
                arguments("an indexed gate qubit", V3 + "gate g a { x a[0]; }\n", 3, 16,
                        "qubit argument 'a' is a single qubit and cannot be indexed"),
                arguments("an undefined gate qubit", V3 + "gate g a { x b; }\n", 3, 14, "undefined qubit 'b' in gate 'g'"),
                arguments("a gate parameter used as a qubit", V3 + "gate g(t) a { x t; }\n", 3, 17,
                        "'t' is a gate parameter, not a qubit argument of gate 'g'"),
                arguments("a gate qubit used twice in its body", V3 + "gate g a, b { cx a, a; }\n", 3, 21,
                        "qubit 'a' is used twice in this gate call"),
                arguments("a parameter named twice", V3 + "gate g(a, a) x { }\n", 3, 11,
                        "'a' is declared twice in gate 'g'"),
                arguments("a reset in an OpenQASM 3 gate body", V3 + "gate g x { reset x; }\n", 3, 12,
                        "a gate body may contain only gate calls (with modifiers) and gphase; move this statement out "
                                + "of gate 'g'"),
                arguments("a measure in an OpenQASM 2 gate body", V2 + "gate g a { measure a -> a; }\n", 3, 12,
                        "a gate body may contain only gate calls (U, CX and defined gates) and barrier; move this "
                                + "statement out of gate 'g'"),
                arguments("a declaration inside a loop", V3 + "for int i in [0:1] { qubit r; }\n", 3, 22,
                        "a register declaration must be at global scope, not inside a block"),
                arguments("an empty register", "OPENQASM 2.0;\nqreg q[0];\n", 2, 8, "a register needs at least one qubit, got 0"),
                arguments("a zero loop step", V3 + "qubit q;\nfor int i in [0:0:3] x q;\n", 4, 17,
                        "the loop step must not be zero"),
                arguments("a real int constant", V3 + "const int n = 1.5;\n", 3, 15,
                        "the value of const 'n' must be an integer, got 1.5"),
                arguments("a negative uint constant", V3 + "const uint n = -1;\n", 3, 16,
                        "the value of const 'n' must not be negative for a uint, got -1"),
                arguments("an indexed scalar qubit", V3 + "qubit q;\nh q[0];\n", 4, 5,
                        "'q' is a single qubit and cannot be indexed"),
                arguments("zero controls", V3 + "qubit[2] q;\nctrl(0) @ x q[0], q[1];\n", 4, 6,
                        "the number of control qubits must be between 1 and the qubit limit 10000, got 0"),
                arguments("an include without a base directory", "OPENQASM 3;\ninclude \"other.inc\";\n", 2, 9,
                        "includes are not allowed here: this source was given without a base directory; paste the "
                                + "contents of \"other.inc\" in its place"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("semanticErrors")
    void semanticErrorsSayWhatIsWrongAndWhere(String what, String source, int line, int column, String message) {
        assertError(source, Kind.SEMANTIC, line, column, message);
    }

    @Test
    void theDiagnosticCarriesFileAndSourceLineAndFormatsACaret() {
        QasmException e = error(V2 + "qreg q[1];\n\thh q[0];\n");
        assertThat(e.diagnostic().file()).isEqualTo("test.qasm");
        assertThat(e.diagnostic().sourceLine()).isEqualTo("\thh q[0];");
        assertThat(e.diagnostic().format()).isEqualTo(
                "test.qasm:4:2: error: undefined gate 'hh'\n  \thh q[0];\n  \t^");
        assertThat(e.getMessage()).isEqualTo(e.diagnostic().format());
    }

    @Test
    void theSourceNameGivenIsTheFileErrorsReport() throws Exception {
        QasmException e = org.assertj.core.api.Assertions.catchThrowableOfType(QasmException.class,
                () -> OpenQasm.parse("OPENQASM 3;\nfoo;\n", "job-42.qasm", null, ParseLimits.DEFAULT));
        assertThat(e.diagnostic().file()).isEqualTo("job-42.qasm");
    }

    @Test
    void anUnsupportedVersionIsRefused() {
        assertError("OPENQASM 4.0;\n", Kind.UNSUPPORTED, 1, 10,
                "OpenQASM version 4.0 is not supported; write 'OPENQASM 2.0;' or 'OPENQASM 3.0;'");
    }

    @Test
    void parsingStopsAtTheFirstErrorInSourceOrder() {
        // the semantic error on line 3 comes before the syntax error on line 4
        assertError("OPENQASM 2.0;\nqreg q[1];\nhh q[0];\nqreg ;\n", Kind.SEMANTIC, 3, 1, "undefined gate 'hh'");
    }

    @Test
    void aVeryLongLineIsCutInTheDiagnosticButTheCaretStillFits() {
        String filler = "U(0,0,0) q[0]; ".repeat(1000);
        QasmException e = error("OPENQASM 2.0;\nqreg q[1]; " + filler + "hh q[0]; " + filler + "\n");
        assertThat(e.diagnostic().column()).isEqualTo(12 + filler.length());
        assertThat(e.diagnostic().sourceLine()).hasSize(e.diagnostic().column() + 80 + 2).endsWith(" …");
        assertThat(e.diagnostic().sourceLine().substring(e.diagnostic().column() - 1)).startsWith("hh q[0];");
    }
}
