package dev.qfed.circuit;

import static dev.qfed.circuit.Unitaries.constants;
import static dev.qfed.circuit.Unitaries.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qfed.circuit.GateModifier.Ctrl;
import dev.qfed.circuit.GateModifier.Inverse;
import dev.qfed.circuit.GateModifier.NegCtrl;
import dev.qfed.circuit.GateModifier.Power;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GateOperationTest {
    private static final double EXACT = 1e-12;

    private static GateOperation op(List<GateModifier> modifiers, StandardGate gate, List<Expr> params,
                                    int... qubits) {
        return new GateOperation(gate, params, modifiers, list(qubits));
    }

    private static GateOperation op(List<GateModifier> modifiers, StandardGate gate, int... qubits) {
        return op(modifiers, gate, List.of(), qubits);
    }

    private static Power pow(double k) {
        return new Power(Expr.constant(k));
    }

    @Test
    void controlsComeFirstInModifierOrderWithTheirValues() {
        GateOperation g = op(List.of(new Ctrl(1), new NegCtrl(2), new Inverse()), StandardGate.CX, 7, 3, 5, 0, 1);
        assertThat(g.controlQubits()).containsExactly(7, 3, 5);
        assertThat(g.targetQubits()).containsExactly(0, 1);
        assertThat(g.controlValues()).isEqualTo(0b001);
        GateOperation plain = GateOperation.of(StandardGate.CX, list(2, 4));
        assertThat(plain.controlQubits()).isEmpty();
        assertThat(plain.targetQubits()).containsExactly(2, 4);
        assertThat(plain.controlValues()).isZero();
    }

    @Test
    void ctrlModifiersBuildTheControlledGates() {
        assertThat(op(List.of(new Ctrl(1)), StandardGate.X, 0, 1).matrix()).isEqualTo(StandardGate.CX.matrix());
        assertThat(op(List.of(new Ctrl(2)), StandardGate.X, 0, 1, 2).matrix()).isEqualTo(StandardGate.CCX.matrix());
        assertThat(op(List.of(new Ctrl(1), new Ctrl(1)), StandardGate.X, 0, 1, 2).matrix())
                .isEqualTo(StandardGate.CCX.matrix());
        assertThat(op(List.of(new Ctrl(1)), StandardGate.CX, 0, 1, 2).matrix()).isEqualTo(StandardGate.CCX.matrix());
        assertThat(op(List.of(new Ctrl(1)), StandardGate.SWAP, 0, 1, 2).matrix())
                .isEqualTo(StandardGate.CSWAP.matrix());
    }

    @Test
    void negctrlActsWhenTheControlIsZero() {
        ComplexMatrix negCx = op(List.of(new NegCtrl(1)), StandardGate.X, 0, 1).matrix();
        ComplexMatrix xCxX = new Unitaries.Body(2).gate(StandardGate.X, 0).gate(StandardGate.CX, 0, 1)
                .gate(StandardGate.X, 0).matrix();
        assertThat(negCx).isEqualTo(xCxX);
        // negctrl @ ctrl @ x a, b, c: flips c when a = 0 and b = 1, i.e. |010⟩ ↔ |110⟩
        ComplexMatrix mixed = op(List.of(new NegCtrl(1), new Ctrl(1)), StandardGate.X, 0, 1, 2).matrix();
        assertThat(mixed.re(6, 2)).isEqualTo(1);
        assertThat(mixed.re(2, 6)).isEqualTo(1);
        assertThat(mixed.re(3, 3)).isEqualTo(1);
    }

    @Test
    void invAndPowMatchTheNamedGates() {
        assertThat(op(List.of(new Inverse()), StandardGate.S, 0).matrix()
                .approximatelyEquals(StandardGate.SDG.matrix(), 0)).isTrue();
        assertThat(op(List.of(new Inverse()), StandardGate.T, 0).matrix()
                .approximatelyEquals(StandardGate.TDG.matrix(), 0)).isTrue();
        assertThat(op(List.of(pow(2)), StandardGate.S, 0).matrix()
                .approximatelyEquals(StandardGate.Z.matrix(), EXACT)).isTrue();
        assertThat(op(List.of(pow(0.5)), StandardGate.X, 0).matrix()
                .approximatelyEquals(StandardGate.SX.matrix(), EXACT)).isTrue();
        assertThat(op(List.of(pow(0.5)), StandardGate.Z, 0).matrix()
                .approximatelyEquals(StandardGate.S.matrix(), EXACT)).isTrue();
        assertThat(op(List.of(new Ctrl(1), pow(0.5)), StandardGate.X, 0, 1).matrix()
                .approximatelyEquals(StandardGate.CSX.matrix(), EXACT)).isTrue();
    }

    @Test
    void theInnermostModifierAppliesFirst() {
        // inv @ pow(1/2) @ z = (z^½)† = sdg, but pow(1/2) @ inv @ z = (z†)^½ = z^½ = s
        assertThat(op(List.of(new Inverse(), pow(0.5)), StandardGate.Z, 0).targetMatrix()
                .approximatelyEquals(StandardGate.SDG.matrix(), EXACT)).isTrue();
        assertThat(op(List.of(pow(0.5), new Inverse()), StandardGate.Z, 0).targetMatrix()
                .approximatelyEquals(StandardGate.S.matrix(), EXACT)).isTrue();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.qfed.circuit.Unitaries#seeds")
    void powMinusOneIsInvAndHalfPowersSquareBack(long seed) {
        double[] p = Unitaries.randomAngles(3, new Random(seed));
        List<Expr> params = constants(p);
        ComplexMatrix u = StandardGate.U.matrix(p);
        assertThat(op(List.of(pow(-1)), StandardGate.U, params, 0).matrix()
                .approximatelyEquals(op(List.of(new Inverse()), StandardGate.U, params, 0).matrix(), EXACT)).isTrue();
        ComplexMatrix root = op(List.of(pow(0.5)), StandardGate.U, params, 0).matrix();
        assertThat(root.multiply(root).approximatelyEquals(u, 1e-10)).isTrue();
        ComplexMatrix twiceHalf = op(List.of(pow(2), pow(0.5)), StandardGate.U, params, 0).matrix();
        assertThat(twiceHalf.approximatelyEquals(u, 1e-10)).isTrue();
    }

    @Test
    void gphaseIsAScalarAndItsControlledFormIsThePhaseGate() {
        double theta = 0.83;
        GateOperation bare = new GateOperation(StandardGate.GPHASE, constants(theta), List.of(), List.of());
        assertThat(bare.matrix().dim()).isEqualTo(1);
        assertThat(bare.matrix().re(0, 0)).isEqualTo(Math.cos(theta));
        assertThat(op(List.of(new Ctrl(1)), StandardGate.GPHASE, constants(theta), 4).matrix()
                .approximatelyEquals(StandardGate.P.matrix(theta), EXACT)).isTrue();
        assertThat(op(List.of(new NegCtrl(1)), StandardGate.GPHASE, constants(theta), 4).matrix())
                .isEqualTo(ComplexMatrix.diagonalPhases(theta, 0));
        assertThat(op(List.of(new Ctrl(2)), StandardGate.GPHASE, constants(theta), 0, 1).matrix()
                .approximatelyEquals(StandardGate.CP.matrix(theta), EXACT)).isTrue();
    }

    @Test
    void symbolicParametersAndExponentsMustBeBoundFirst() {
        GateOperation rx = new GateOperation(StandardGate.RX, List.of(new Expr.Parameter("theta")), List.of(),
                List.of(0));
        assertThatThrownBy(rx::matrix).isInstanceOf(UnboundParameterException.class).hasMessageContaining("theta");
        GateOperation powered = new GateOperation(StandardGate.X, List.of(),
                List.of(new Power(new Expr.Parameter("k"))), List.of(0));
        assertThatThrownBy(powered::targetMatrix).isInstanceOf(UnboundParameterException.class)
                .hasMessageContaining("'k'");
    }

    @Test
    void opaqueGatesHaveNoMatrix() {
        GateOperation g = new GateOperation(new OpaqueGate("magic", 0, 2), List.of(), List.of(), List.of(0, 1));
        assertThatThrownBy(g::matrix).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("opaque gate 'magic' has no definition");
    }
}
