package dev.qfed.circuit.qasm;

import dev.qfed.circuit.Barrier;
import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.Condition;
import dev.qfed.circuit.Conditional;
import dev.qfed.circuit.Expr;
import dev.qfed.circuit.GateLibrary;
import dev.qfed.circuit.GateModifier;
import dev.qfed.circuit.GateOperation;
import dev.qfed.circuit.InputParameter;
import dev.qfed.circuit.Measure;
import dev.qfed.circuit.Operation;
import dev.qfed.circuit.Register;
import dev.qfed.circuit.Reset;
import dev.qfed.circuit.StandardGate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static dev.qfed.circuit.qasm.QasmTesting.V3;
import static dev.qfed.circuit.qasm.QasmTesting.c;
import static dev.qfed.circuit.qasm.QasmTesting.g;
import static dev.qfed.circuit.qasm.QasmTesting.ops;
import static dev.qfed.circuit.qasm.QasmTesting.p;
import static dev.qfed.circuit.qasm.QasmTesting.parse;
import static org.assertj.core.api.Assertions.assertThat;

/** Golden tests: the OpenQASM 3 circuit subset and the exact circuit each construct becomes. */
class OpenQasm3Test {

    @Test
    void aMissingHeaderMeansOpenQasm3() throws Exception {
        assertThat(ops("include \"stdgates.inc\";\nqubit q;\nh q;\n")).containsExactly(g(StandardGate.H, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"OPENQASM 3;", "OPENQASM 3.0;"})
    void bothSpellingsOfTheHeaderSelectOpenQasm3(String header) throws Exception {
        assertThat(ops(header + "\nqubit q;\nU(1, 2, 3) q;\ngphase(0.5);\n"))
                .containsExactly(g(StandardGate.U, p(1, 2, 3), 0), g(StandardGate.GPHASE, p(0.5)));
    }

    @Test
    void registersOfBothStylesShareOneNumbering() throws Exception {
        Circuit c = parse(V3 + "qreg q[2];\nqubit[3] r;\nqubit a;\nbit b;\nbit[2] m;\ncreg old[1];\n"
                + "h r[0];\nh a;\nmeasure a -> b;\nmeasure q[1] -> old[0];\n");
        assertThat(c.qregs()).containsExactly(Register.of("q", 2), Register.of("r", 3), new Register("a", 1, true));
        assertThat(c.cregs()).containsExactly(new Register("b", 1, true), Register.of("m", 2), Register.of("old", 1));
        assertThat(c.operations()).containsExactly(g(StandardGate.H, 2), g(StandardGate.H, 5), new Measure(5, 0),
                new Measure(1, 3));
    }

    @Test
    void everyStdgatesGateAndAliasIsCallable() throws Exception {
        StringBuilder src = new StringBuilder(V3 + "qubit[3] q;\n");
        List<String> names = new java.util.ArrayList<>(GateLibrary.stdgates().stream()
                .map(StandardGate::qasmName).toList());
        names.addAll(List.of("CX", "phase", "cphase"));
        for (String name : names) {
            StandardGate gate = StandardGate.byName(name).orElseThrow();
            src.append(name);
            if (gate.numParams() > 0) {
                src.append("(").append(String.join(", ", java.util.Collections.nCopies(gate.numParams(), "0.5")))
                        .append(")");
            }
            for (int i = 0; i < gate.numQubits(); i++) {
                src.append(i == 0 ? " " : ", ").append("q[").append(i).append("]");
            }
            src.append(";\n");
        }
        List<Operation> ops = ops(src.toString());
        assertThat(ops.stream().map(o -> (StandardGate) ((GateOperation) o).gate()).toList())
                .containsExactlyElementsOf(names.stream().map(n -> StandardGate.byName(n).orElseThrow()).toList());
    }

    @Test
    void aliasesResolveToOneConstant() throws Exception {
        assertThat(ops(V3 + "qubit[2] q;\nCX q[0], q[1];\nphase(0.1) q[0];\ncphase(0.2) q[0], q[1];\n"))
                .containsExactly(g(StandardGate.CX, 0, 1), g(StandardGate.P, p(0.1), 0),
                        g(StandardGate.CP, p(0.2), 0, 1));
    }

    @Test
    void measureInAllItsForms() throws Exception {
        assertThat(ops(V3 + "qubit[2] q;\nbit[2] c;\nbit b;\nc[0] = measure q[1];\nc = measure q;\n"
                + "b = measure q[0];\nmeasure q -> c;\nbit[2] d = measure q;\n"))
                .containsExactly(new Measure(1, 0), new Measure(0, 0), new Measure(1, 1), new Measure(0, 2),
                        new Measure(0, 0), new Measure(1, 1), new Measure(0, 3), new Measure(1, 4));
    }

    @Test
    void resetAndBarrierBroadcastAndABareBarrierCoversAllQubits() throws Exception {
        assertThat(ops(V3 + "qubit[2] q;\nqubit r;\nreset q;\nbarrier q[1], r;\nbarrier;\n"))
                .containsExactly(new Reset(0), new Reset(1), new Barrier(List.of(1, 2)),
                        new Barrier(List.of(0, 1, 2)));
    }

    @Test
    void modifiersOnLibraryGatesStayInSourceOrderWithControlsFirst() throws Exception {
        assertThat(ops(V3 + "qubit[5] q;\nctrl @ x q[0], q[1];\nnegctrl(2) @ h q[2], q[0], q[1];\n"
                + "ctrl @ inv @ pow(0.5) @ s q[3], q[4];\nctrl(2) @ negctrl @ rx(pi) q[0], q[1], q[2], q[3];\n"
                + "ctrl @ gphase(0.3) q[4];\n"))
                .containsExactly(
                        g(StandardGate.X, List.of(), List.of(new GateModifier.Ctrl(1)), 0, 1),
                        g(StandardGate.H, List.of(), List.of(new GateModifier.NegCtrl(2)), 2, 0, 1),
                        g(StandardGate.S, List.of(), List.of(new GateModifier.Ctrl(1), new GateModifier.Inverse(),
                                new GateModifier.Power(c(0.5))), 3, 4),
                        g(StandardGate.RX, List.of(c(Math.PI)), List.of(new GateModifier.Ctrl(2),
                                new GateModifier.NegCtrl(1)), 0, 1, 2, 3),
                        g(StandardGate.GPHASE, List.of(c(0.3)), List.of(new GateModifier.Ctrl(1)), 4));
    }

    @Test
    void modifierArgumentsMayBeConstantExpressions() throws Exception {
        assertThat(ops(V3 + "const int n = 1;\nqubit[3] q;\nctrl(n + 1) @ x q[0], q[1], q[2];\npow(n * 2) @ t q[0];\n"))
                .containsExactly(g(StandardGate.X, List.of(), List.of(new GateModifier.Ctrl(2)), 0, 1, 2),
                        g(StandardGate.T, List.of(), List.of(new GateModifier.Power(c(2))), 0));
    }

    @Test
    void inputsStaySymbolicWithConstantPartsFolded() throws Exception {
        Circuit c = parse(V3 + "input angle theta;\ninput float[64] v;\ninput float w;\nqubit q;\n"
                + "rz(theta) q;\nrx(2 * pi * v + 1 / 2) q;\nry(-sin(w)) q;\npow(theta) @ s q;\n");
        assertThat(c.inputs()).containsExactly(new InputParameter("theta", InputParameter.Type.ANGLE),
                new InputParameter("v", InputParameter.Type.FLOAT), new InputParameter("w", InputParameter.Type.FLOAT));
        assertThat(c.operations()).containsExactly(
                g(StandardGate.RZ, List.of(new Expr.Parameter("theta")), List.of(), 0),
                g(StandardGate.RX, List.of(new Expr.Binary(Expr.BinaryOp.ADD, new Expr.Binary(Expr.BinaryOp.MULTIPLY,
                        c(2 * Math.PI), new Expr.Parameter("v")), c(0.5))), List.of(), 0),
                g(StandardGate.RY, List.of(new Expr.Negate(new Expr.Call(Expr.Function.SIN,
                        new Expr.Parameter("w")))), List.of(), 0),
                g(StandardGate.S, List.of(), List.of(new GateModifier.Power(new Expr.Parameter("theta"))), 0));
        assertThat(c.unboundParameters()).containsExactly("theta", "v", "w");
        Circuit bound = c.bind(Map.of("theta", 1.0, "v", 0.0, "w", 0.0));
        assertThat(bound.operations().get(1)).isEqualTo(g(StandardGate.RX, p(0.5), 0));
    }

    @Test
    void inputsPassThroughUserGatesAsExpressions() throws Exception {
        assertThat(ops(V3 + "input angle theta;\ngate half(a) q { rz(a / 2) q; }\nqubit q;\nhalf(theta + 1) q;\n"))
                .containsExactly(g(StandardGate.RZ, List.of(new Expr.Binary(Expr.BinaryOp.DIVIDE,
                        new Expr.Binary(Expr.BinaryOp.ADD, new Expr.Parameter("theta"), c(1)), c(2))), List.of(), 0));
    }

    @Test
    void constantsOfEveryTypeWorkInExpressionsSizesIndicesAndBounds() throws Exception {
        Circuit c = parse(V3 + "const int n = 3;\nconst uint m = n - 1;\nconst float a = pi / 2;\n"
                + "const angle b = a * 2;\nconst bool yes = true;\nqubit[n] q;\nbit[m] r;\n"
                + "rz(a) q[n - 1];\nrx(b) q[m];\nfor int i in [0:m - 1] { h q[i]; }\n");
        assertThat(c.qregs()).containsExactly(Register.of("q", 3));
        assertThat(c.cregs()).containsExactly(Register.of("r", 2));
        assertThat(c.operations()).containsExactly(g(StandardGate.RZ, p(Math.PI / 2), 2),
                g(StandardGate.RX, p(Math.PI), 2), g(StandardGate.H, 0), g(StandardGate.H, 1));
    }

    @Test
    void builtInConstantsHaveTheirUnicodeSpellings() throws Exception {
        assertThat(ops(V3 + "qubit q;\nrz(π) q;\nrz(τ) q;\nrz(ℇ) q;\nrz(tau - 2 * pi) q;\nrz(euler) q;\n"))
                .containsExactly(g(StandardGate.RZ, p(Math.PI), 0), g(StandardGate.RZ, p(2 * Math.PI), 0),
                        g(StandardGate.RZ, p(Math.E), 0), g(StandardGate.RZ, p(0), 0),
                        g(StandardGate.RZ, p(Math.E), 0));
    }

    @Test
    void unicodeIdentifiersAreNames() throws Exception {
        assertThat(ops(V3 + "const float θ = π / 4;\nqubit[1] qü;\ngate rθ(α) ψ { rz(α) ψ; }\nrθ(θ) qü[0];\n"))
                .containsExactly(g(StandardGate.RZ, p(Math.PI / 4), 0));
    }

    @Test
    void powerIsWrittenWithTwoStars() throws Exception {
        assertThat(ops(V3 + "qubit q;\nrz(2 ** 3 ** 2) q;\nrz(-2 ** 2) q;\nrz(2 ** -1) q;\n"))
                .containsExactly(g(StandardGate.RZ, p(512), 0), g(StandardGate.RZ, p(-4), 0),
                        g(StandardGate.RZ, p(0.5), 0));
    }

    @Test
    void inverseTrigonometricFunctionsAndIntegerLiteralFormsExist() throws Exception {
        assertThat(ops(V3 + "qubit q;\nrz(arcsin(1) + arccos(1) + arctan(0)) q;\nrz(0x10 + 0o7 + 0b11 + 1_000) q;\n"))
                .containsExactly(g(StandardGate.RZ, p(Math.PI / 2), 0), g(StandardGate.RZ, p(1026), 0));
    }

    @Test
    void indexExpressionsSlicesSetsAndNegativeIndices() throws Exception {
        assertThat(ops(V3 + "qubit[5] q;\nconst int k = 1;\nx q[k + 1];\nh q[0:2];\nz q[3:-1:1];\ns q[{4, 0}];\n"
                + "t q[-1];\nsdg q[:1];\ntdg q[3:];\n"))
                .containsExactly(g(StandardGate.X, 2),
                        g(StandardGate.H, 0), g(StandardGate.H, 1), g(StandardGate.H, 2),
                        g(StandardGate.Z, 3), g(StandardGate.Z, 2), g(StandardGate.Z, 1),
                        g(StandardGate.S, 4), g(StandardGate.S, 0),
                        g(StandardGate.T, 4),
                        g(StandardGate.SDG, 0), g(StandardGate.SDG, 1),
                        g(StandardGate.TDG, 3), g(StandardGate.TDG, 4));
    }

    @Test
    void slicesBroadcastLikeRegisters() throws Exception {
        assertThat(ops(V3 + "qubit[4] q;\ncx q[0:1], q[2:3];\n"))
                .containsExactly(g(StandardGate.CX, 0, 2), g(StandardGate.CX, 1, 3));
    }

    @Test
    void forLoopsUnrollWithAnInclusiveEnd() throws Exception {
        assertThat(ops(V3 + "qubit[4] q;\nfor uint i in [0:3] { rz(i * pi) q[i]; }\n"))
                .containsExactly(g(StandardGate.RZ, p(0), 0), g(StandardGate.RZ, p(Math.PI), 1),
                        g(StandardGate.RZ, p(2 * Math.PI), 2), g(StandardGate.RZ, p(3 * Math.PI), 3));
    }

    @Test
    void forLoopsTakeStepsNegativeStepsSetsAndTheOlderUntypedForm() throws Exception {
        assertThat(ops(V3 + "qubit[5] q;\nfor int i in [0:2:4] x q[i];\nfor int i in [3:-2:0] { y q[i]; }\n"
                + "for int i in {1, 4, 2} z q[i];\nfor i in [0:1] h q[i];\nfor uint[8] j in [2:1] s q[j];\n"))
                .containsExactly(g(StandardGate.X, 0), g(StandardGate.X, 2), g(StandardGate.X, 4),
                        g(StandardGate.Y, 3), g(StandardGate.Y, 1),
                        g(StandardGate.Z, 1), g(StandardGate.Z, 4), g(StandardGate.Z, 2),
                        g(StandardGate.H, 0), g(StandardGate.H, 1));
    }

    @Test
    void nestedLoopsSeeTheirOwnVariables() throws Exception {
        assertThat(ops(V3 + "qubit[3] q;\nfor int i in [0:1] { for int j in [i + 1:2] { cx q[i], q[j]; } }\n"))
                .containsExactly(g(StandardGate.CX, 0, 1), g(StandardGate.CX, 0, 2), g(StandardGate.CX, 1, 2));
    }

    @Test
    void constantsInsideBlocksAreLocalToThem() throws Exception {
        assertThat(ops(V3 + "qubit[2] q;\nfor int i in [0:1] { const int j = 1 - i; x q[j]; }\n"))
                .containsExactly(g(StandardGate.X, 1), g(StandardGate.X, 0));
    }

    @Test
    void ifOnARegisterValueWithAnElseBlock() throws Exception {
        assertThat(ops(V3 + "qubit[2] q;\nbit[3] c;\nif (c == 5) { x q[0]; h q[1]; } else { z q[0]; }\n"))
                .containsExactly(new Conditional(new Condition(List.of(0, 1, 2), 5),
                        List.of(g(StandardGate.X, 0), g(StandardGate.H, 1)), List.of(g(StandardGate.Z, 0))));
    }

    @Test
    void singleBitConditionsInEveryForm() throws Exception {
        Condition one = new Condition(List.of(1), 1);
        Condition zero = new Condition(List.of(1), 0);
        String src = V3 + "qubit q;\nbit[2] c;\nbit b;\n"
                + "if (c[1]) x q;\nif (!c[1]) x q;\nif (c[1] == 1) x q;\nif (c[1] == true) x q;\n"
                + "if (c[1] == 0) x q;\nif (c[1] != 1) x q;\nif (false == c[1]) x q;\nif (b) x q;\n";
        List<Operation> x = List.of(g(StandardGate.X, 0));
        assertThat(ops(src)).containsExactly(new Conditional(one, x, List.of()), new Conditional(zero, x, List.of()),
                new Conditional(one, x, List.of()), new Conditional(one, x, List.of()),
                new Conditional(zero, x, List.of()), new Conditional(zero, x, List.of()),
                new Conditional(zero, x, List.of()), new Conditional(new Condition(List.of(2), 1), x, List.of()));
    }

    @Test
    void aRegisterInequalitySwapsTheBranches() throws Exception {
        assertThat(ops(V3 + "qubit q;\nbit[2] c;\nif (c != 2) x q; else z q;\n"))
                .containsExactly(new Conditional(new Condition(List.of(0, 1), 2), List.of(g(StandardGate.Z, 0)),
                        List.of(g(StandardGate.X, 0))));
    }

    @Test
    void blocksHoldMeasureResetBarrierNestedIfAndFor() throws Exception {
        assertThat(ops(V3 + "qubit[2] q;\nbit[2] c;\nif (c[0]) {\n  c[1] = measure q[1];\n  reset q[0];\n"
                + "  barrier q;\n  if (c[1]) { x q[0]; }\n  for int i in [0:1] { h q[i]; }\n}\n"))
                .containsExactly(new Conditional(new Condition(List.of(0), 1), List.of(new Measure(1, 1),
                        new Reset(0), new Barrier(List.of(0, 1)),
                        new Conditional(new Condition(List.of(1), 1), List.of(g(StandardGate.X, 0)), List.of()),
                        g(StandardGate.H, 0), g(StandardGate.H, 1)), List.of()));
    }

    @Test
    void ifInsideALoopConditionsEachIteration() throws Exception {
        assertThat(ops(V3 + "qubit[2] q;\nbit[2] c;\nfor int i in [0:1] { if (c[i]) x q[i]; }\n"))
                .containsExactly(
                        new Conditional(new Condition(List.of(0), 1), List.of(g(StandardGate.X, 0)), List.of()),
                        new Conditional(new Condition(List.of(1), 1), List.of(g(StandardGate.X, 1)), List.of()));
    }

    @Test
    void aConstantConditionChoosesItsBranchAtCompileTime() throws Exception {
        assertThat(ops(V3 + "qubit[3] q;\nfor int i in [0:2] { if (i == 1) { x q[i]; } else { z q[i]; } }\n"))
                .containsExactly(g(StandardGate.Z, 0), g(StandardGate.X, 1), g(StandardGate.Z, 2));
    }

    @Test
    void aConstantDeclaredInAChosenBranchIsVisibleToTheRestOfThatBranch() throws Exception {
        assertThat(ops(V3 + "qubit[2] q;\nif (true) { const int k = 1; x q[k]; } else { z q[0]; }\n"))
                .containsExactly(g(StandardGate.X, 1));
    }

    @Test
    void aHeaderlessFileIncludingQelib1IsToldItIsReadAsOpenQasm3() {
        QasmTesting.assertError("include \"qelib1.inc\";\nqreg q[1];\n", QasmException.Kind.SEMANTIC, 1, 9,
                "qelib1.inc is the OpenQASM 2 library; in OpenQASM 3 write include \"stdgates.inc\"; (without an "
                        + "OPENQASM header a file is OpenQASM 3; start an OpenQASM 2 file with 'OPENQASM 2.0;')");
    }

    @Test
    void elseIfChainsNest() throws Exception {
        assertThat(ops(V3 + "qubit q;\nbit[2] c;\nif (c == 1) x q; else if (c == 2) y q; else z q;\n"))
                .containsExactly(new Conditional(new Condition(List.of(0, 1), 1), List.of(g(StandardGate.X, 0)),
                        List.of(new Conditional(new Condition(List.of(0, 1), 2), List.of(g(StandardGate.Y, 0)),
                                List.of(g(StandardGate.Z, 0))))));
    }
}
