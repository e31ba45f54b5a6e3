package dev.qfed.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GateLibraryTest {
    private static final double EXACT = 1e-12;
    private static final double R = Math.sqrt(0.5);

    /** Gates whose stdgates.inc body carries a global phase that Qiskit's matrix of that name does not. */
    private static final Set<StandardGate> QISKIT_PHASE_DIFFERS = EnumSet.of(StandardGate.U2, StandardGate.U3);

    static Stream<Arguments> everyGateWithSeeds() {
        return EnumSet.allOf(StandardGate.class).stream()
                .flatMap(g -> Stream.of(1L, 2L, 3L, 4L).map(s -> Arguments.of(g, s)));
    }

    static Stream<Arguments> qelib1GatesWithSeeds() {
        return GateLibrary.qelib1().stream().flatMap(g -> Stream.of(1L, 2L, 3L).map(s -> Arguments.of(g, s)));
    }

    static Stream<Arguments> stdgatesWithSeeds() {
        return GateLibrary.stdgates().stream().filter(g -> !QISKIT_PHASE_DIFFERS.contains(g))
                .flatMap(g -> Stream.of(1L, 2L, 3L).map(s -> Arguments.of(g, s)));
    }

    private static double[] params(StandardGate g, long seed) {
        return Unitaries.randomAngles(g.numParams(), new Random(seed * 31 + g.ordinal()));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("everyGateWithSeeds")
    void everyGateIsUnitaryOfItsSize(StandardGate gate, long seed) {
        ComplexMatrix m = gate.matrix(params(gate, seed));
        assertThat(m.dim()).isEqualTo(1 << gate.numQubits());
        assertThat(m.isUnitary(EXACT)).as("%s unitary", gate).isTrue();
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("qelib1GatesWithSeeds")
    void everyQelib1GateEqualsItsQelib1DefinitionUpToGlobalPhase(StandardGate gate, long seed) {
        double[] p = params(gate, seed);
        ComplexMatrix definition = Qelib1Definitions.body(gate, p);
        assertThat(gate.matrix(p).equalsUpToGlobalPhase(definition, 1e-10))
                .as("%s%n%s%nvs qelib1 body%n%s", gate, gate.matrix(p), definition).isTrue();
    }

    @Test
    void relativePhaseToffolisEqualTheirQelib1DefinitionsExactlyAsQiskitDefinesThem() {
        for (StandardGate g : EnumSet.of(StandardGate.RCCX, StandardGate.RC3X)) {
            assertThat(g.matrix().approximatelyEquals(Qelib1Definitions.body(g, new double[0]), EXACT))
                    .as("%s%n%s%nvs%n%s", g, g.matrix(), Qelib1Definitions.body(g, new double[0])).isTrue();
        }
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("stdgatesWithSeeds")
    void everyStdgatesGateEqualsItsStdgatesDefinitionExactly(StandardGate gate, long seed) {
        double[] p = params(gate, seed);
        ComplexMatrix definition = StdgatesDefinitions.body(gate, p);
        assertThat(gate.matrix(p).approximatelyEquals(definition, 1e-10))
                .as("%s%n%s%nvs stdgates body%n%s", gate, gate.matrix(p), definition).isTrue();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.qfed.circuit.Unitaries#seeds")
    void u2AndU3FollowQiskitWhichDiffersFromStdgatesByThePhaseOfPhiPlusLambdaOverTwo(long seed) {
        double[] p = Unitaries.randomAngles(3, new Random(seed));
        ComplexMatrix stdU3 = StdgatesDefinitions.body(StandardGate.U3, p);
        assertThat(StandardGate.U3.matrix(p).approximatelyEquals(stdU3.timesPhase((p[1] + p[2]) / 2), 1e-10))
                .isTrue();
        ComplexMatrix stdU2 = StdgatesDefinitions.body(StandardGate.U2, new double[] {p[0], p[1]});
        assertThat(StandardGate.U2.matrix(p[0], p[1])
                .approximatelyEquals(stdU2.timesPhase((p[0] + p[1]) / 2), 1e-10)).isTrue();
    }

    @Test
    void uIsOpenQasmsMatrixAndU3AndLowerUAreTheSame() {
        double t = 0.7;
        double ph = -1.3;
        double l = 2.1;
        ComplexMatrix expected = ComplexMatrix.of(2, new double[] {
                Math.cos(t / 2), 0, -Math.cos(l) * Math.sin(t / 2), -Math.sin(l) * Math.sin(t / 2),
                Math.cos(ph) * Math.sin(t / 2), Math.sin(ph) * Math.sin(t / 2),
                Math.cos(ph + l) * Math.cos(t / 2), Math.sin(ph + l) * Math.cos(t / 2)});
        assertThat(StandardGate.U.matrix(t, ph, l).approximatelyEquals(expected, EXACT)).isTrue();
        assertThat(StandardGate.U3.matrix(t, ph, l)).isEqualTo(StandardGate.U.matrix(t, ph, l));
        assertThat(StandardGate.LOWER_U.matrix(t, ph, l)).isEqualTo(StandardGate.U.matrix(t, ph, l));
        assertThat(StandardGate.U2.matrix(ph, l).approximatelyEquals(StandardGate.U.matrix(Math.PI / 2, ph, l),
                EXACT)).isTrue();
    }

    @Test
    void spotValuesMatchTheTextbookMatrices() {
        assertThat(StandardGate.H.matrix().data()).containsExactly(R, 0, R, 0, R, 0, -R, 0);
        assertThat(StandardGate.SX.matrix().data()).containsExactly(0.5, 0.5, 0.5, -0.5, 0.5, -0.5, 0.5, 0.5);
        assertThat(StandardGate.SXDG.matrix()).isEqualTo(StandardGate.SX.matrix().adjoint());
        assertThat(StandardGate.CX.matrix()).isEqualTo(real(4,
                1, 0, 0, 0,
                0, 0, 0, 1,
                0, 0, 1, 0,
                0, 1, 0, 0));
        assertThat(StandardGate.SWAP.matrix()).isEqualTo(real(4,
                1, 0, 0, 0,
                0, 0, 1, 0,
                0, 1, 0, 0,
                0, 0, 0, 1));
        // controls are qubits 0 and 1 (low bits): |011⟩ ↔ |111⟩
        assertThat(StandardGate.CCX.matrix()).isEqualTo(real(8,
                1, 0, 0, 0, 0, 0, 0, 0,
                0, 1, 0, 0, 0, 0, 0, 0,
                0, 0, 1, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 1,
                0, 0, 0, 0, 1, 0, 0, 0,
                0, 0, 0, 0, 0, 1, 0, 0,
                0, 0, 0, 0, 0, 0, 1, 0,
                0, 0, 0, 1, 0, 0, 0, 0));
        // cswap: control qubit 0 swaps qubits 1 and 2: |011⟩ ↔ |101⟩
        ComplexMatrix cswap = StandardGate.CSWAP.matrix();
        assertThat(cswap.re(5, 3)).isEqualTo(1);
        assertThat(cswap.re(3, 5)).isEqualTo(1);
        assertThat(cswap.re(6, 6)).isEqualTo(1);
        assertThat(StandardGate.GPHASE.matrix(0.3).data()).containsExactly(Math.cos(0.3), Math.sin(0.3));
        assertThat(StandardGate.RZ.matrix(0.4)).isEqualTo(ComplexMatrix.diagonalPhases(-0.2, 0.2));
        assertThat(StandardGate.RZZ.matrix(0.4)).isEqualTo(ComplexMatrix.diagonalPhases(-0.2, 0.2, 0.2, -0.2));
        ComplexMatrix rxx = StandardGate.RXX.matrix(0.4);
        assertThat(rxx.re(0, 0)).isEqualTo(Math.cos(0.2));
        assertThat(rxx.im(0, 3)).isEqualTo(-Math.sin(0.2));
        assertThat(rxx.im(1, 2)).isEqualTo(-Math.sin(0.2));
        assertThat(StandardGate.C3X.matrix().re(15, 7)).isEqualTo(1);
        assertThat(StandardGate.C4X.matrix().re(31, 15)).isEqualTo(1);
        assertThat(StandardGate.U0.matrix(1.5)).isEqualTo(ComplexMatrix.identity(2));
    }

    @Test
    void cuIsControlledUTimesThePhaseGamma() {
        ComplexMatrix cu = StandardGate.CU.matrix(0.3, 0.4, 0.5, 0.6);
        ComplexMatrix expected = StandardGate.U.matrix(0.3, 0.4, 0.5).timesPhase(0.6).controlled(1, 1);
        assertThat(cu).isEqualTo(expected);
        assertThat(cu.re(0, 0)).isEqualTo(1);
        assertThat(StandardGate.CU3.matrix(0.3, 0.4, 0.5))
                .isEqualTo(StandardGate.U.matrix(0.3, 0.4, 0.5).controlled(1, 1));
    }

    @Test
    void aWrongNumberOfParametersIsRefusedWithTheGateName() {
        assertThatThrownBy(() -> StandardGate.RX.matrix())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("rx takes 1 parameter(s), got 0");
    }

    static ComplexMatrix real(int dim, double... entries) {
        double[] d = new double[2 * dim * dim];
        for (int i = 0; i < entries.length; i++) {
            d[2 * i] = entries[i];
        }
        return ComplexMatrix.of(dim, d);
    }
}
