package dev.qfed.circuit.qasm;

import dev.qfed.circuit.Expr;
import dev.qfed.circuit.GateModifier;
import dev.qfed.circuit.StandardGate;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.qfed.circuit.qasm.QasmTesting.V3;
import static dev.qfed.circuit.qasm.QasmTesting.c;
import static dev.qfed.circuit.qasm.QasmTesting.g;
import static dev.qfed.circuit.qasm.QasmTesting.ops;
import static dev.qfed.circuit.qasm.QasmTesting.p;
import static org.assertj.core.api.Assertions.assertThat;

/** User gates are macros: modifiers on a call are pushed into the expanded body. */
class GateExpansionTest {
    private static final GateModifier CTRL = new GateModifier.Ctrl(1);
    private static final GateModifier NEG = new GateModifier.NegCtrl(1);
    private static final GateModifier INV = new GateModifier.Inverse();
    private static final String BODY = V3 + "gate g(a) x, y { h x; rz(a) y; cx x, y; }\nqubit[5] q;\n";

    @Test
    void ctrlPrependsTheModifierAndTheControlToEveryBodyOperation() throws Exception {
        assertThat(ops(BODY + "ctrl @ g(0.5) q[4], q[0], q[1];\n")).containsExactly(
                g(StandardGate.H, List.of(), List.of(CTRL), 4, 0),
                g(StandardGate.RZ, List.of(c(0.5)), List.of(CTRL), 4, 1),
                g(StandardGate.CX, List.of(), List.of(CTRL), 4, 0, 1));
    }

    @Test
    void negctrlWithACountTakesThatManyControls() throws Exception {
        GateModifier neg2 = new GateModifier.NegCtrl(2);
        assertThat(ops(BODY + "negctrl(2) @ g(0.5) q[3], q[4], q[0], q[1];\n")).containsExactly(
                g(StandardGate.H, List.of(), List.of(neg2), 3, 4, 0),
                g(StandardGate.RZ, List.of(c(0.5)), List.of(neg2), 3, 4, 1),
                g(StandardGate.CX, List.of(), List.of(neg2), 3, 4, 0, 1));
    }

    @Test
    void invReversesTheBodyAndInvertsEachOperation() throws Exception {
        assertThat(ops(BODY + "inv @ g(0.5) q[0], q[1];\n")).containsExactly(
                g(StandardGate.CX, List.of(), List.of(INV), 0, 1),
                g(StandardGate.RZ, List.of(c(0.5)), List.of(INV), 1),
                g(StandardGate.H, List.of(), List.of(INV), 0));
    }

    @Test
    void positivePowRepeatsTheBodyAndZeroRemovesIt() throws Exception {
        assertThat(ops(BODY + "pow(2) @ g(0.5) q[0], q[1];\npow(0) @ g(1) q[0], q[1];\n")).containsExactly(
                g(StandardGate.H, 0), g(StandardGate.RZ, p(0.5), 1), g(StandardGate.CX, 0, 1),
                g(StandardGate.H, 0), g(StandardGate.RZ, p(0.5), 1), g(StandardGate.CX, 0, 1));
    }

    @Test
    void negativePowRepeatsTheInverse() throws Exception {
        List<dev.qfed.circuit.Operation> inverse = List.of(
                g(StandardGate.CX, List.of(), List.of(INV), 0, 1),
                g(StandardGate.RZ, List.of(c(0.5)), List.of(INV), 1),
                g(StandardGate.H, List.of(), List.of(INV), 0));
        List<dev.qfed.circuit.Operation> twice = new java.util.ArrayList<>(inverse);
        twice.addAll(inverse);
        assertThat(ops(BODY + "pow(-2) @ g(0.5) q[0], q[1];\n")).containsExactlyElementsOf(twice);
    }

    @Test
    void aWholeRealExponentCountsAsAnInteger() throws Exception {
        assertThat(ops(BODY + "pow(1.0) @ g(0.5) q[0], q[1];\n")).hasSize(3);
    }

    @Test
    void stackedModifiersApplyOutermostFirst() throws Exception {
        // ctrl(inv(g)): the inverse body, each operation controlled; modifiers listed outermost first
        assertThat(ops(BODY + "ctrl @ inv @ g(0.5) q[2], q[0], q[1];\n")).containsExactly(
                g(StandardGate.CX, List.of(), List.of(CTRL, INV), 2, 0, 1),
                g(StandardGate.RZ, List.of(c(0.5)), List.of(CTRL, INV), 2, 1),
                g(StandardGate.H, List.of(), List.of(CTRL, INV), 2, 0));
        assertThat(ops(BODY + "inv @ negctrl @ g(0.5) q[2], q[0], q[1];\n")).containsExactly(
                g(StandardGate.CX, List.of(), List.of(INV, NEG), 2, 0, 1),
                g(StandardGate.RZ, List.of(c(0.5)), List.of(INV, NEG), 2, 1),
                g(StandardGate.H, List.of(), List.of(INV, NEG), 2, 0));
    }

    @Test
    void modifiersInsideTheBodyComeAfterThoseOfTheCall() throws Exception {
        assertThat(ops(V3 + "gate k x, y { inv @ s x; ctrl @ z x, y; }\nqubit[3] q;\nctrl @ k q[2], q[0], q[1];\n"))
                .containsExactly(g(StandardGate.S, List.of(), List.of(CTRL, INV), 2, 0),
                        g(StandardGate.Z, List.of(), List.of(CTRL, CTRL), 2, 0, 1));
    }

    @Test
    void inverseOfNestedUserGatesIsRecursivelyCorrect() throws Exception {
        assertThat(ops(V3 + "gate a x { s x; t x; }\ngate b x { h x; a x; }\nqubit q;\ninv @ b q;\n"))
                .containsExactly(g(StandardGate.T, List.of(), List.of(INV), 0),
                        g(StandardGate.S, List.of(), List.of(INV), 0),
                        g(StandardGate.H, List.of(), List.of(INV), 0));
        assertThat(ops(V3 + "gate a x { s x; t x; }\ngate b x { h x; inv @ a x; }\nqubit q;\ninv @ b q;\n"))
                .containsExactly(g(StandardGate.S, List.of(), List.of(INV, INV), 0),
                        g(StandardGate.T, List.of(), List.of(INV, INV), 0),
                        g(StandardGate.H, List.of(), List.of(INV), 0));
    }

    @Test
    void aControlledBodyGphaseBecomesAControlledGphaseOnTheControls() throws Exception {
        assertThat(ops(V3 + "gate ph(t) x { gphase(t); }\nqubit[2] q;\nph(0.2) q[0];\nctrl @ ph(0.2) q[1], q[0];\n"))
                .containsExactly(g(StandardGate.GPHASE, p(0.2)),
                        g(StandardGate.GPHASE, List.of(c(0.2)), List.of(CTRL), 1));
    }

    @Test
    void powOnALibraryGateInsideABodyMayUseAParameter() throws Exception {
        assertThat(ops(V3 + "gate r(k) x { pow(k) @ x x; }\nqubit q;\nr(0.5) q;\n"))
                .containsExactly(g(StandardGate.X, List.of(), List.of(new GateModifier.Power(c(0.5))), 0));
    }

    @Test
    void powOfAUserGateInsideABodyWithAConstantExponent() throws Exception {
        assertThat(ops(V3 + "const int n = 2;\ngate a x { t x; }\ngate b x { pow(n) @ a x; }\nqubit q;\nb q;\n"))
                .containsExactly(g(StandardGate.T, 0), g(StandardGate.T, 0));
    }

    @Test
    void gateParametersShadowGlobalConstantsAndQubitArgumentsShadowRegisters() throws Exception {
        assertThat(ops(V3 + "const float a = 9;\nqubit[2] q;\ngate g(a) q { rz(a) q; }\ng(0.25) q[1];\n"))
                .containsExactly(g(StandardGate.RZ, p(0.25), 1));
    }

    @Test
    void gateBodiesSeeGlobalConstantsDeclaredBeforeThem() throws Exception {
        assertThat(ops(V3 + "const float half = 0.5;\ngate g(a) q { rz(a * half) q; }\nqubit q;\ng(3) q;\n"))
                .containsExactly(g(StandardGate.RZ, p(1.5), 0));
    }

    @Test
    void expandedSymbolicParametersCarryTheWholeExpression() throws Exception {
        assertThat(ops(V3 + "input float w;\ngate g(a) q { rz(a * 2) q; }\nqubit[2] q;\nctrl @ g(w) q[0], q[1];\n"))
                .containsExactly(g(StandardGate.RZ, List.of(new Expr.Binary(Expr.BinaryOp.MULTIPLY,
                        new Expr.Parameter("w"), c(2))), List.of(CTRL), 0, 1));
    }
}
