package dev.qfed.circuit.qasm;

import dev.qfed.circuit.Barrier;
import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.Condition;
import dev.qfed.circuit.Conditional;
import dev.qfed.circuit.Measure;
import dev.qfed.circuit.OpaqueGate;
import dev.qfed.circuit.Register;
import dev.qfed.circuit.Reset;
import dev.qfed.circuit.StandardGate;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.qfed.circuit.qasm.QasmTesting.V2;
import static dev.qfed.circuit.qasm.QasmTesting.g;
import static dev.qfed.circuit.qasm.QasmTesting.ops;
import static dev.qfed.circuit.qasm.QasmTesting.p;
import static dev.qfed.circuit.qasm.QasmTesting.parse;
import static org.assertj.core.api.Assertions.assertThat;

/** Golden tests: OpenQASM 2.0 constructs and the exact circuit each becomes. */
class OpenQasm2Test {

    @Test
    void registersNumberQubitsAndBitsInDeclarationOrder() throws Exception {
        Circuit c = parse(V2 + "qreg a[2]; creg m[1]; qreg b[3]; creg n[2];\n"
                + "h b[0]; measure b[2] -> n[1]; measure a[1] -> m[0];");
        assertThat(c.qregs()).containsExactly(Register.of("a", 2), Register.of("b", 3));
        assertThat(c.cregs()).containsExactly(Register.of("m", 1), Register.of("n", 2));
        assertThat(c.operations()).containsExactly(g(StandardGate.H, 2), new Measure(4, 2), new Measure(1, 0));
    }

    @Test
    void builtInsUAndCxNeedNoInclude() throws Exception {
        assertThat(ops("OPENQASM 2.0;\nqreg q[2];\nU(0.1, 0.2, 0.3) q[0];\nCX q[0], q[1];\n"))
                .containsExactly(g(StandardGate.U, p(0.1, 0.2, 0.3), 0), g(StandardGate.CX, 0, 1));
    }

    @Test
    void everyQelib1GateIsCallableAfterTheInclude() throws Exception {
        StringBuilder src = new StringBuilder(V2 + "qreg q[5];\n");
        for (StandardGate gate : dev.qfed.circuit.GateLibrary.qelib1()) {
            src.append(gate.qasmName());
            if (gate.numParams() > 0) {
                src.append("(").append(String.join(",", java.util.Collections.nCopies(gate.numParams(), "0.5")))
                        .append(")");
            }
            src.append(" ");
            for (int i = 0; i < gate.numQubits(); i++) {
                src.append(i == 0 ? "" : ", ").append("q[").append(i).append("]");
            }
            src.append(";\n");
        }
        List<dev.qfed.circuit.Operation> ops = ops(src.toString());
        assertThat(ops).hasSize(dev.qfed.circuit.GateLibrary.qelib1().size());
        assertThat(ops.stream().map(o -> ((dev.qfed.circuit.GateOperation) o).gate()).toList())
                .containsExactlyElementsOf(dev.qfed.circuit.GateLibrary.qelib1());
    }

    @Test
    void parametersAreFoldedToConstants() throws Exception {
        assertThat(ops(V2 + "qreg q[1];\nu3(pi/2, -pi, 2^3 - 1) q[0];\nrz(sin(pi/2) + cos(0) * ln(exp(2))) q[0];\n"))
                .containsExactly(g(StandardGate.U3, p(Math.PI / 2, -Math.PI, 7), 0),
                        g(StandardGate.RZ, p(3), 0));
    }

    @Test
    void powerIsRightAssociativeAndBindsTighterThanUnaryMinus() throws Exception {
        assertThat(ops(V2 + "qreg q[1];\nrz(2^3^2) q[0];\nrz(-2^2) q[0];\nrz(2^-1) q[0];\n"))
                .containsExactly(g(StandardGate.RZ, p(512), 0), g(StandardGate.RZ, p(-4), 0),
                        g(StandardGate.RZ, p(0.5), 0));
    }

    @Test
    void integerDivisionThatIsNotExactGivesAReal() throws Exception {
        assertThat(ops(V2 + "qreg q[1];\nrz(1/2) q[0];\nrz(6/3) q[0];\nrz(1e-3 * 2.5E+2) q[0];\nrz(.5 + 1.) q[0];\n"))
                .containsExactly(g(StandardGate.RZ, p(0.5), 0), g(StandardGate.RZ, p(2), 0),
                        g(StandardGate.RZ, p(0.25), 0), g(StandardGate.RZ, p(1.5), 0));
    }

    @Test
    void userGatesExpandInlineWithParametersSubstituted() throws Exception {
        assertThat(ops(V2 + "gate rot(theta, phi) a, b { rz(theta) a; cx a, b; ry(phi / 2) b; barrier a, b; }\n"
                + "qreg q[3];\nrot(pi, 1) q[2], q[0];\n"))
                .containsExactly(g(StandardGate.RZ, p(Math.PI), 2), g(StandardGate.CX, 2, 0),
                        g(StandardGate.RY, p(0.5), 0), new Barrier(List.of(2, 0)));
    }

    @Test
    void userGatesMayCallGatesDefinedBeforeThem() throws Exception {
        assertThat(ops(V2 + "gate a x { h x; }\ngate b x, y { a x; CX x, y; a y; }\ngate c() x, y { b y, x; }\n"
                + "qreg q[2];\nc q[0], q[1];\n"))
                .containsExactly(g(StandardGate.H, 1), g(StandardGate.CX, 1, 0), g(StandardGate.H, 0));
    }

    @Test
    void emptyParenthesesAndEmptyBodiesAreAllowed() throws Exception {
        assertThat(ops(V2 + "gate nothing() a { }\nqreg q[1];\nnothing() q[0];\nx() q[0];\n"))
                .containsExactly(g(StandardGate.X, 0));
    }

    @Test
    void opaqueGatesBecomeOperationsOnTheDeclaredGate() throws Exception {
        OpaqueGate magic = new OpaqueGate("magic", 2, 2);
        assertThat(ops(V2 + "opaque magic(a, b) x, y;\nopaque plain q;\nqreg q[2];\nmagic(1, 2) q[0], q[1];\n"
                + "plain q;\n"))
                .containsExactly(g(magic, p(1, 2), 0, 1), g(new OpaqueGate("plain", 0, 1), 0),
                        g(new OpaqueGate("plain", 0, 1), 1));
    }

    @Test
    void gateCallsBroadcastOverRegisters() throws Exception {
        assertThat(ops(V2 + "qreg a[2]; qreg b[2];\nh a;\ncx a, b;\ncx a[1], b;\n"))
                .containsExactly(g(StandardGate.H, 0), g(StandardGate.H, 1),
                        g(StandardGate.CX, 0, 2), g(StandardGate.CX, 1, 3),
                        g(StandardGate.CX, 1, 2), g(StandardGate.CX, 1, 3));
    }

    @Test
    void userGateCallsBroadcastToo() throws Exception {
        assertThat(ops(V2 + "gate bell x, y { h x; cx x, y; }\nqreg a[2]; qreg b[2];\nbell a, b;\n"))
                .containsExactly(g(StandardGate.H, 0), g(StandardGate.CX, 0, 2),
                        g(StandardGate.H, 1), g(StandardGate.CX, 1, 3));
    }

    @Test
    void measureResetAndBarrierBroadcast() throws Exception {
        assertThat(ops(V2 + "qreg q[2]; qreg r[1]; creg c[2];\nmeasure q -> c;\nreset q;\nbarrier q, r[0];\n"
                + "barrier q[1], q;\n"))
                .containsExactly(new Measure(0, 0), new Measure(1, 1), new Reset(0), new Reset(1),
                        new Barrier(List.of(0, 1, 2)), new Barrier(List.of(1, 0)));
    }

    @Test
    void ifOnAWholeRegisterConditionsOneOperation() throws Exception {
        assertThat(ops(V2 + "qreg q[2]; creg c[3];\nif (c == 5) x q[1];\nif (c==0) measure q[0] -> c[2];\n"
                + "if (c == 7) reset q;\n"))
                .containsExactly(
                        new Conditional(new Condition(List.of(0, 1, 2), 5), List.of(g(StandardGate.X, 1)), List.of()),
                        new Conditional(new Condition(List.of(0, 1, 2), 0), List.of(new Measure(0, 2)), List.of()),
                        new Conditional(new Condition(List.of(0, 1, 2), 7), List.of(new Reset(0), new Reset(1)),
                                List.of()));
    }

    @Test
    void ifAroundAUserGateHoldsItsWholeExpansion() throws Exception {
        assertThat(ops(V2 + "gate two a { x a; z a; }\nqreg q[1]; creg c[1];\nif (c == 1) two q[0];\n"))
                .containsExactly(new Conditional(new Condition(List.of(0), 1),
                        List.of(g(StandardGate.X, 0), g(StandardGate.Z, 0)), List.of()));
    }

    @Test
    void commentsOfBothKindsAreIgnored() throws Exception {
        assertThat(ops("// leading comment\nOPENQASM 2.0; /* block\n comment */ include \"qelib1.inc\";\n"
                + "qreg q[1]; // trailing\nh /* inside */ q[0];\n"))
                .containsExactly(g(StandardGate.H, 0));
    }

    @Test
    void windowsAndOldMacLineEndingsCountLines() throws Exception {
        QasmException e = QasmTesting.error("OPENQASM 2.0;\r\ninclude \"qelib1.inc\";\rqreg q[1];\r\nhh q[0];\n");
        assertThat(e.diagnostic().line()).isEqualTo(4);
        assertThat(e.diagnostic().sourceLine()).isEqualTo("hh q[0];");
    }

    @Test
    void anIncludedQelib1TwiceIsHarmless() throws Exception {
        assertThat(ops(V2 + "include \"qelib1.inc\";\nqreg q[1];\nt q[0];\n")).containsExactly(g(StandardGate.T, 0));
    }

    @Test
    void aGateNamedLikeALibraryGateIsFineWithoutTheInclude() throws Exception {
        assertThat(ops("OPENQASM 2.0;\ngate h a { U(pi/2, 0, pi) a; }\nqreg q[1];\nh q[0];\n"))
                .containsExactly(g(StandardGate.U, p(Math.PI / 2, 0, Math.PI), 0));
    }

    @Test
    void theCircuitHasNoInputsInOpenQasm2() throws Exception {
        assertThat(parse(V2 + "qreg q[1];").inputs()).isEmpty();
    }
}
