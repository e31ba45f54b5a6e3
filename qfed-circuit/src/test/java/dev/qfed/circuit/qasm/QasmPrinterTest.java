package dev.qfed.circuit.qasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qfed.circuit.Barrier;
import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.Condition;
import dev.qfed.circuit.Conditional;
import dev.qfed.circuit.Expr;
import dev.qfed.circuit.Expr.Binary;
import dev.qfed.circuit.Expr.BinaryOp;
import dev.qfed.circuit.Expr.Call;
import dev.qfed.circuit.Expr.Negate;
import dev.qfed.circuit.Expr.Parameter;
import dev.qfed.circuit.GateModifier;
import dev.qfed.circuit.GateModifier.Ctrl;
import dev.qfed.circuit.GateModifier.Inverse;
import dev.qfed.circuit.GateModifier.NegCtrl;
import dev.qfed.circuit.GateModifier.Power;
import dev.qfed.circuit.GateOperation;
import dev.qfed.circuit.InputParameter;
import dev.qfed.circuit.Measure;
import dev.qfed.circuit.OpaqueGate;
import dev.qfed.circuit.Operation;
import dev.qfed.circuit.Register;
import dev.qfed.circuit.Reset;
import dev.qfed.circuit.StandardGate;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class QasmPrinterTest {
    private static final Parameter THETA = new Parameter("theta");
    private static final Parameter K = new Parameter("k");
    private static final List<InputParameter> INPUTS = List.of(new InputParameter("theta", InputParameter.Type.ANGLE),
            new InputParameter("k", InputParameter.Type.FLOAT));

    private static GateOperation gate(StandardGate g, int... qubits) {
        return GateOperation.of(g, list(qubits));
    }

    private static GateOperation gate(StandardGate g, double[] params, int... qubits) {
        return GateOperation.of(g, list(qubits), params);
    }

    private static GateOperation gate(List<GateModifier> modifiers, StandardGate g, List<Expr> params,
                                      int... qubits) {
        return new GateOperation(g, params, modifiers, list(qubits));
    }

    private static double[] p(double... v) {
        return v;
    }

    private static List<Integer> list(int... v) {
        return Arrays.stream(v).boxed().toList();
    }

    private static Circuit v2Circuit(Operation... ops) {
        return new Circuit(List.of(Register.of("q", 2), Register.of("r", 1)),
                List.of(Register.of("c", 2), Register.of("d", 1)), List.of(), List.of(ops));
    }

    private static Circuit v3Circuit(Operation... ops) {
        return new Circuit(List.of(Register.of("q", 2), new Register("r", 1, true)),
                List.of(Register.of("c", 3), new Register("d", 1, true)), INPUTS, List.of(ops));
    }

    /** A circuit with one rz whose angle is {@code e}, printed as V3, reduced to the angle's text. */
    private static String v3Angle(Expr e) {
        String text = OpenQasm.print(v3Circuit(gate(List.of(), StandardGate.RZ, List.of(e), 0)), QasmVersion.V3);
        String line = text.lines().filter(l -> l.startsWith("rz(")).findFirst().orElseThrow();
        return line.substring(3, line.length() - " q[0];".length() - 1);
    }

    // ------------------------------------------------------------------------------------------ OpenQASM 2

    @Test
    void printsEveryOpenQasm2Construct() {
        OpaqueGate magic = new OpaqueGate("magic", 1, 2);
        OpaqueGate plain = new OpaqueGate("plain", 0, 1);
        Circuit c = v2Circuit(
                gate(StandardGate.U, p(0.5, 1.0E-5, -0.0), 0),
                gate(StandardGate.CX, 0, 1),
                gate(StandardGate.H, 2),
                gate(StandardGate.U3, p(-1.25, 3.141592653589793, 2.0), 1),
                gate(StandardGate.CCX, 0, 1, 2),
                new GateOperation(magic, List.of(Expr.constant(0.25)), List.of(), List.of(1, 2)),
                new GateOperation(plain, List.of(), List.of(), List.of(0)),
                new Measure(1, 1),
                new Reset(0),
                new Barrier(List.of(0, 2)),
                new Conditional(new Condition(List.of(0, 1), 3), List.of(gate(StandardGate.X, 0)), List.of()),
                new Conditional(new Condition(List.of(2), 1),
                        List.of(gate(StandardGate.RZ, p(1e21), 1), new Measure(0, 2)), List.of()));
        assertThat(OpenQasm.print(c, QasmVersion.V2)).isEqualTo("""
                OPENQASM 2.0;
                include "qelib1.inc";
                opaque magic(p0) q0,q1;
                opaque plain q0;
                qreg q[2];
                qreg r[1];
                creg c[2];
                creg d[1];
                U(0.5,1.0E-5,-0.0) q[0];
                cx q[0],q[1];
                h r[0];
                u3(-1.25,3.141592653589793,2.0) q[1];
                ccx q[0],q[1],r[0];
                magic(0.25) q[1],r[0];
                plain q[0];
                measure q[1] -> c[1];
                reset q[0];
                barrier q[0],r[0];
                if(c==3) x q[0];
                if(d==1) rz(1.0E21) q[1];
                if(d==1) measure q[0] -> d[0];
                """);
    }

    @Test
    void printsConstantExpressionsInOpenQasm2WithCaretForPower() {
        Expr e = new Binary(BinaryOp.POWER, Expr.constant(2.0), new Call(Expr.Function.SQRT, Expr.constant(0.5)));
        Circuit c = v2Circuit(gate(List.of(), StandardGate.RX, List.of(e), 0));
        assertThat(OpenQasm.print(c, QasmVersion.V2)).endsWith("rx(2.0 ^ sqrt(0.5)) q[0];\n");
    }

    @Test
    void skipsBarriersOverNoQubits() {
        assertThat(OpenQasm.print(v2Circuit(new Barrier(List.of())), QasmVersion.V2))
                .doesNotContain("barrier");
        assertThat(OpenQasm.print(v3Circuit(new Barrier(List.of())), QasmVersion.V3))
                .doesNotContain("barrier");
    }

    @Test
    void refusesGphaseInOpenQasm2() {
        Circuit c = v2Circuit(gate(StandardGate.H, 0), gate(StandardGate.GPHASE, p(0.5)));
        assertThatThrownBy(() -> OpenQasm.print(c, QasmVersion.V2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot print operations[1] `gphase(0.5);` as OpenQASM 2: OpenQASM 2 has no gphase");
    }

    @Test
    void refusesModifiersInOpenQasm2() {
        Circuit c = v2Circuit(gate(List.of(new Ctrl(1)), StandardGate.H, List.of(), 0, 1));
        assertThatThrownBy(() -> OpenQasm.print(c, QasmVersion.V2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot print operations[0] `ctrl @ h q[0],q[1];` as OpenQASM 2: gate modifiers (ctrl,"
                        + " negctrl, inv, pow) need OpenQASM 3");
    }

    @Test
    void refusesInputsAndSymbolicParametersInOpenQasm2() {
        Circuit withInput = new Circuit(List.of(Register.of("q", 1)), List.of(), INPUTS, List.of());
        assertThatThrownBy(() -> OpenQasm.print(withInput, QasmVersion.V2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot print the circuit as OpenQASM 2: input parameter 'theta' needs OpenQASM 3"
                        + " (OpenQASM 2 has no inputs); bind it first or print as OpenQASM 3");
        Circuit symbolic = v2Circuit(gate(List.of(), StandardGate.RX, List.of(new Negate(THETA)), 0));
        assertThatThrownBy(() -> OpenQasm.print(symbolic, QasmVersion.V2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot print operations[0] `rx(-theta) q[0];` as OpenQASM 2: parameter -theta mentions"
                        + " an input, which needs OpenQASM 3; bind it first");
    }

    @Test
    void refusesFunctionsThatOpenQasm2LacksByName() {
        Circuit c = v2Circuit(gate(List.of(), StandardGate.RX,
                List.of(new Call(Expr.Function.ARCSIN, Expr.constant(0.5))), 0));
        assertThatThrownBy(() -> OpenQasm.print(c, QasmVersion.V2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot print operations[0] `rx(arcsin(0.5)) q[0];` as OpenQASM 2: OpenQASM 2 has no"
                        + " function arcsin");
    }

    @Test
    void refusesScalarRegistersInOpenQasm2() {
        Circuit c = new Circuit(List.of(new Register("a", 1, true)), List.of(), List.of(), List.of());
        assertThatThrownBy(() -> OpenQasm.print(c, QasmVersion.V2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot print the circuit as OpenQASM 2: register 'a' is a single (scalar) qubit or bit,"
                        + " which OpenQASM 2 cannot declare; use a register of size 1");
    }

    @Test
    void refusesConditionsOnPartOfARegisterInOpenQasm2() {
        Circuit c = v2Circuit(new Conditional(new Condition(List.of(1), 1), List.of(gate(StandardGate.X, 0)),
                List.of()));
        assertThatThrownBy(() -> OpenQasm.print(c, QasmVersion.V2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot print operations[0] `if (c[1]) { … }` as OpenQASM 2: OpenQASM 2 can only"
                        + " compare a whole classical register, in order, with an integer");
        Circuit reversed = v2Circuit(new Conditional(new Condition(List.of(1, 0), 1),
                List.of(gate(StandardGate.X, 0)), List.of()));
        assertThatThrownBy(() -> OpenQasm.print(reversed, QasmVersion.V2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole classical register");
    }

    @Test
    void refusesElseBranchesInOpenQasm2() {
        Circuit c = v2Circuit(new Conditional(new Condition(List.of(0, 1), 2), List.of(gate(StandardGate.X, 0)),
                List.of(gate(StandardGate.Y, 0))));
        assertThatThrownBy(() -> OpenQasm.print(c, QasmVersion.V2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot print operations[0] `if (c == 2) { … }` as OpenQASM 2: OpenQASM 2 has no else"
                        + " branch");
    }

    @Test
    void refusesNestedConditionalsAndConditionedBarriersInOpenQasm2() {
        Conditional inner = new Conditional(new Condition(List.of(2), 1), List.of(gate(StandardGate.X, 0)),
                List.of());
        Circuit nested = v2Circuit(gate(StandardGate.H, 0),
                new Conditional(new Condition(List.of(0, 1), 1), List.of(gate(StandardGate.X, 1), inner), List.of()));
        assertThatThrownBy(() -> OpenQasm.print(nested, QasmVersion.V2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot print operations[1].then[1] `if (d[0]) { … }` as OpenQASM 2: OpenQASM 2 has no"
                        + " nested conditionals");
        Circuit barrier = v2Circuit(new Conditional(new Condition(List.of(0, 1), 1),
                List.of(new Barrier(List.of(0))), List.of()));
        assertThatThrownBy(() -> OpenQasm.print(barrier, QasmVersion.V2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot print operations[0].then[0] `barrier q[0];` as OpenQASM 2: OpenQASM 2 cannot"
                        + " condition a barrier");
    }

    @Test
    void refusesAMultiOperationBodyThatRewritesItsOwnCondition() {
        Circuit c = v2Circuit(new Conditional(new Condition(List.of(0, 1), 1),
                List.of(new Measure(0, 1), gate(StandardGate.X, 0)), List.of()));
        assertThatThrownBy(() -> OpenQasm.print(c, QasmVersion.V2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot print operations[0] `if (c == 1) { … }` as OpenQASM 2: the measurement into c[1]"
                        + " changes the condition for the operations after it; OpenQASM 2 prints one 'if' per"
                        + " operation, which would re-read it");
        // writing another register's bit, or the condition's bit last, is fine
        Circuit fine = v2Circuit(new Conditional(new Condition(List.of(0, 1), 1),
                List.of(new Measure(0, 2), gate(StandardGate.X, 0), new Measure(1, 0)), List.of()));
        assertThat(OpenQasm.print(fine, QasmVersion.V2)).endsWith("""
                if(c==1) measure q[0] -> d[0];
                if(c==1) x q[0];
                if(c==1) measure q[1] -> c[0];
                """);
    }

    @Test
    void refusesNamesOpenQasm2CannotDeclare() {
        Circuit upper = new Circuit(List.of(Register.of("Q", 1)), List.of(), List.of(), List.of());
        assertThatThrownBy(() -> OpenQasm.print(upper, QasmVersion.V2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot print the circuit as OpenQASM 2: register name 'Q' is not an OpenQASM 2"
                        + " identifier (a lower-case letter, then letters, digits or _)");
        Circuit reserved = new Circuit(List.of(Register.of("pi", 1)), List.of(), List.of(), List.of());
        assertThatThrownBy(() -> OpenQasm.print(reserved, QasmVersion.V2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot print the circuit as OpenQASM 2: register name 'pi' is reserved in OpenQASM 2;"
                        + " rename it");
    }

    @Test
    void refusesOpaqueGatesThatClashWithTheLibraryOrWithEachOther() {
        Circuit clash = v2Circuit(new GateOperation(new OpaqueGate("h", 0, 1), List.of(), List.of(), List.of(0)));
        assertThatThrownBy(() -> OpenQasm.print(clash, QasmVersion.V2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot print operations[0] `h q[0];` as OpenQASM 2: the opaque gate has the name of a"
                        + " qelib1.inc gate");
        Circuit twoShapes = v2Circuit(
                new GateOperation(new OpaqueGate("m", 0, 1), List.of(), List.of(), List.of(0)),
                new GateOperation(new OpaqueGate("m", 0, 2), List.of(), List.of(), List.of(0, 1)));
        assertThatThrownBy(() -> OpenQasm.print(twoShapes, QasmVersion.V2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot print operations[1] `m q[0],q[1];` as OpenQASM 2: opaque gate 'm' is used with"
                        + " 0 parameter(s) and 2 qubit(s) here but 0 and 1 elsewhere");
    }

    // ------------------------------------------------------------------------------------------ OpenQASM 3

    @Test
    void printsEveryOpenQasm3Construct() {
        Circuit c = v3Circuit(
                gate(List.of(new Ctrl(2), new Inverse()), StandardGate.RX, List.of(Expr.constant(0.5)), 0, 1, 2),
                gate(List.of(new NegCtrl(1), new Power(Expr.constant(0.5))), StandardGate.X, List.of(), 1, 0),
                gate(List.of(new NegCtrl(1), new Ctrl(1)), StandardGate.Z, List.of(), 2, 1, 0),
                gate(List.of(), StandardGate.GPHASE, List.of(THETA)),
                gate(List.of(new Ctrl(1)), StandardGate.GPHASE, List.of(Expr.constant(-0.5)), 0),
                gate(List.of(new Power(K)), StandardGate.S, List.of(), 2),
                gate(StandardGate.U, p(0.1, 0.2, 0.3), 2),
                gate(StandardGate.CX, 0, 1),
                gate(StandardGate.CP, p(0.25), 1, 2),
                gate(StandardGate.U3, p(0.1, 0.2, 0.3), 0),
                new Measure(0, 0),
                new Measure(2, 3),
                new Reset(1),
                new Barrier(List.of(0, 2)),
                new Conditional(new Condition(List.of(0, 1, 2), 5), List.of(gate(StandardGate.X, 0)),
                        List.of(gate(StandardGate.H, 1), new Measure(1, 1))),
                new Conditional(new Condition(List.of(2), 1),
                        List.of(new Conditional(new Condition(List.of(3), 0), List.of(gate(StandardGate.Z, 2)),
                                List.of())),
                        List.of()),
                new Conditional(new Condition(List.of(2), 0), List.of(), List.of(gate(StandardGate.Y, 2))));
        assertThat(OpenQasm.print(c, QasmVersion.V3)).isEqualTo("""
                OPENQASM 3.0;
                include "stdgates.inc";
                input angle theta;
                input float k;
                qubit[2] q;
                qubit r;
                bit[3] c;
                bit d;
                ctrl(2) @ inv @ rx(0.5) q[0], q[1], r;
                negctrl @ pow(0.5) @ x q[1], q[0];
                negctrl @ ctrl @ z r, q[1], q[0];
                gphase(theta);
                ctrl @ gphase(-0.5) q[0];
                pow(k) @ s r;
                U(0.1, 0.2, 0.3) r;
                cx q[0], q[1];
                cp(0.25) q[1], r;
                u3(0.1, 0.2, 0.3) q[0];
                c[0] = measure q[0];
                d = measure r;
                reset q[1];
                barrier q[0], r;
                if (c == 5) {
                  x q[0];
                } else {
                  h q[1];
                  c[1] = measure q[1];
                }
                if (c[2]) {
                  if (!d) {
                    z r;
                  }
                }
                if (!c[2]) {
                } else {
                  y r;
                }
                """);
    }

    @Test
    void definesTheGatesStdgatesLacksBeforeUsingThem() {
        Circuit c = new Circuit(List.of(Register.of("q", 2)), List.of(), List.of(), List.of(
                gate(StandardGate.RZZ, p(0.5), 0, 1),
                gate(StandardGate.CU1, p(0.25), 1, 0),
                gate(StandardGate.SXDG, 1)));
        assertThat(OpenQasm.print(c, QasmVersion.V3)).isEqualTo("""
                OPENQASM 3.0;
                include "stdgates.inc";
                gate sxdg a {
                  inv @ sx a;
                }
                gate cu1(lambda) a, b {
                  cp(lambda) a, b;
                }
                gate rzz(theta) a, b {
                  cx a, b;
                  rz(theta) b;
                  cx a, b;
                }
                qubit[2] q;
                rzz(0.5) q[0], q[1];
                cu1(0.25) q[1], q[0];
                sxdg q[1];
                """);
    }

    @Test
    void renamesFormalsThatWouldShadowTheCircuitsNames() {
        Circuit c = new Circuit(List.of(Register.of("a", 2)), List.of(),
                List.of(new InputParameter("theta", InputParameter.Type.ANGLE)),
                List.of(gate(List.of(), StandardGate.RXX, List.of(THETA), 0, 1)));
        assertThat(OpenQasm.print(c, QasmVersion.V3)).isEqualTo("""
                OPENQASM 3.0;
                include "stdgates.inc";
                gate rxx(theta_) a_, b {
                  h a_;
                  h b;
                  cx a_, b;
                  rz(theta_) b;
                  cx a_, b;
                  h a_;
                  h b;
                }
                input angle theta;
                qubit[2] a;
                rxx(theta) a[0], a[1];
                """);
    }

    @Test
    void printsConstantsThatParseBackToTheSameDouble() {
        assertThat(v3Angle(Expr.constant(1.0E-5))).isEqualTo("1.0E-5");
        assertThat(v3Angle(Expr.constant(-0.0))).isEqualTo("-0.0");
        assertThat(v3Angle(Expr.constant(-2.5))).isEqualTo("-2.5");
        assertThat(v3Angle(Expr.constant(0.1 + 0.2))).isEqualTo("0.30000000000000004");
        assertThat(v3Angle(Expr.constant(Double.MIN_VALUE))).isEqualTo("4.9E-324");
        assertThat(v3Angle(Expr.constant(3.0))).isEqualTo("3.0");
        for (double d : new double[] {1.0E-5, -0.0, 0.30000000000000004, Double.MIN_VALUE, 1.7976931348623157E308}) {
            assertThat(Double.parseDouble(v3Angle(Expr.constant(d)))).isEqualTo(d);
        }
    }

    @Test
    void bracketsSymbolicExpressionsByPrecedence() {
        Expr one = Expr.constant(1.0);
        Expr two = Expr.constant(2.0);
        assertThat(v3Angle(new Binary(BinaryOp.SUBTRACT, THETA, new Binary(BinaryOp.SUBTRACT, K, one))))
                .isEqualTo("theta - (k - 1.0)");
        assertThat(v3Angle(new Binary(BinaryOp.SUBTRACT, new Binary(BinaryOp.SUBTRACT, THETA, K), one)))
                .isEqualTo("theta - k - 1.0");
        assertThat(v3Angle(new Binary(BinaryOp.ADD, THETA, new Binary(BinaryOp.ADD, K, one))))
                .isEqualTo("theta + (k + 1.0)");
        assertThat(v3Angle(new Binary(BinaryOp.MULTIPLY, new Binary(BinaryOp.ADD, THETA, one), K)))
                .isEqualTo("(theta + 1.0) * k");
        assertThat(v3Angle(new Binary(BinaryOp.ADD, THETA, new Binary(BinaryOp.MULTIPLY, K, two))))
                .isEqualTo("theta + k * 2.0");
        assertThat(v3Angle(new Binary(BinaryOp.DIVIDE, THETA, new Binary(BinaryOp.MULTIPLY, K, two))))
                .isEqualTo("theta / (k * 2.0)");
        assertThat(v3Angle(new Binary(BinaryOp.POWER, THETA, new Binary(BinaryOp.POWER, K, two))))
                .isEqualTo("theta ** (k ** 2.0)");
        assertThat(v3Angle(new Binary(BinaryOp.POWER, new Negate(THETA), two))).isEqualTo("(-theta) ** 2.0");
        assertThat(v3Angle(new Negate(new Binary(BinaryOp.POWER, THETA, two)))).isEqualTo("-(theta ** 2.0)");
        assertThat(v3Angle(new Negate(new Binary(BinaryOp.ADD, THETA, K)))).isEqualTo("-(theta + k)");
        assertThat(v3Angle(new Negate(new Negate(THETA)))).isEqualTo("-(-theta)");
        assertThat(v3Angle(new Binary(BinaryOp.MULTIPLY, Expr.constant(-0.5), THETA))).isEqualTo("(-0.5) * theta");
        assertThat(v3Angle(new Binary(BinaryOp.ADD, THETA, Expr.constant(-0.0)))).isEqualTo("theta + (-0.0)");
        assertThat(v3Angle(new Binary(BinaryOp.MULTIPLY, new Binary(BinaryOp.POWER, THETA, two), K)))
                .isEqualTo("theta ** 2.0 * k");
        assertThat(v3Angle(new Call(Expr.Function.ARCSIN, new Binary(BinaryOp.DIVIDE, THETA, two))))
                .isEqualTo("arcsin(theta / 2.0)");
        assertThat(v3Angle(new Binary(BinaryOp.MULTIPLY, new Call(Expr.Function.LN, K), new Negate(THETA))))
                .isEqualTo("ln(k) * (-theta)");
    }

    @Test
    void refusesOpaqueGatesInOpenQasm3() {
        Circuit c = new Circuit(List.of(Register.of("q", 1)), List.of(), List.of(), List.of(
                new GateOperation(new OpaqueGate("magic", 0, 1), List.of(), List.of(), List.of(0))));
        assertThatThrownBy(() -> OpenQasm.print(c, QasmVersion.V3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot print operations[0] `magic q[0];` as OpenQASM 3: OpenQASM 3 has no opaque gate"
                        + " declarations; print as OpenQASM 2");
    }

    @Test
    void refusesConditionsOnSeveralBitsThatAreNotAWholeRegisterInOpenQasm3() {
        Circuit c = v3Circuit(new Conditional(new Condition(List.of(0, 2), 3), List.of(gate(StandardGate.X, 0)),
                List.of()));
        assertThatThrownBy(() -> OpenQasm.print(c, QasmVersion.V3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot print operations[0] `if (bits [c[0], c[2]] == 3) { … }` as OpenQASM 3: a"
                        + " condition must read one bit or one whole classical register in order");
    }

    @Test
    void refusesNamesThatClashWithGatesOrKeywordsInOpenQasm3() {
        Circuit gateName = new Circuit(List.of(Register.of("h", 1)), List.of(), List.of(), List.of());
        assertThatThrownBy(() -> OpenQasm.print(gateName, QasmVersion.V3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot print the circuit as OpenQASM 3: register or input 'h' has the name of a"
                        + " stdgates.inc gate; rename it");
        Circuit definedName = new Circuit(List.of(Register.of("q", 2)), List.of(Register.of("rzz", 1)), List.of(),
                List.of(gate(StandardGate.RZZ, p(0.5), 0, 1)));
        assertThatThrownBy(() -> OpenQasm.print(definedName, QasmVersion.V3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot print the circuit as OpenQASM 3: the circuit uses gate rzz, which needs a gate"
                        + " definition, but a register or input has that name; rename it");
        Circuit keyword = new Circuit(List.of(Register.of("q", 1)), List.of(),
                List.of(new InputParameter("angle", InputParameter.Type.ANGLE)), List.of());
        assertThatThrownBy(() -> OpenQasm.print(keyword, QasmVersion.V3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot print the circuit as OpenQASM 3: input name 'angle' is reserved in OpenQASM 3;"
                        + " rename it");
    }
}
