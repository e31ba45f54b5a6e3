package dev.qfed.circuit;

import static dev.qfed.circuit.GateLibraryTest.real;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ComplexMatrixTest {
    private static final double EXACT = 1e-12;
    private static final double TIGHT = 1e-10;
    private static final ComplexMatrix X = StandardGate.X.matrix();

    @Test
    void integerPowersAreRepeatedProducts() {
        assertThat(X.power(0)).isEqualTo(ComplexMatrix.identity(2));
        assertThat(X.power(2)).isEqualTo(ComplexMatrix.identity(2));
        assertThat(X.power(3)).isEqualTo(X);
        assertThat(StandardGate.S.matrix().power(2).approximatelyEquals(StandardGate.Z.matrix(), EXACT)).isTrue();
        // integer powers need no unitarity
        assertThat(real(2, 1, 1, 0, 1).power(5)).isEqualTo(real(2, 1, 5, 0, 1));
    }

    @Test
    void negativeIntegerPowersUseTheAdjoint() {
        ComplexMatrix t = StandardGate.T.matrix();
        assertThat(t.power(-1)).isEqualTo(t.adjoint());
        assertThat(t.power(-3).approximatelyEquals(t.adjoint().multiply(t.adjoint()).multiply(t.adjoint()), EXACT))
                .isTrue();
    }

    @Test
    void negativeOrFractionalPowersOfANonUnitaryMatrixAreRefused() {
        ComplexMatrix shear = real(2, 1, 1, 0, 1);
        assertThatThrownBy(() -> shear.power(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unitary");
        assertThatThrownBy(() -> shear.power(0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unitary");
        assertThatThrownBy(() -> X.power(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("finite");
    }

    @Test
    void theSquareRootOfXIsSxOnThePrincipalBranch() {
        // X has eigenvalue −1, whose principal square root is +i: that is SX, not SX†
        assertThat(X.power(0.5).approximatelyEquals(StandardGate.SX.matrix(), EXACT)).isTrue();
        assertThat(X.power(-0.5).approximatelyEquals(StandardGate.SXDG.matrix(), EXACT)).isTrue();
    }

    @Test
    void diagonalMatricesArePoweredEntryByEntry() {
        assertThat(StandardGate.Z.matrix().power(0.5).approximatelyEquals(StandardGate.S.matrix(), EXACT)).isTrue();
        assertThat(StandardGate.S.matrix().power(0.5).approximatelyEquals(StandardGate.T.matrix(), EXACT)).isTrue();
        ComplexMatrix minusIdentity = ComplexMatrix.diagonalPhases(Math.PI, Math.PI, Math.PI);
        assertThat(minusIdentity.power(0.5).approximatelyEquals(
                ComplexMatrix.diagonalPhases(Math.PI / 2, Math.PI / 2, Math.PI / 2), EXACT)).isTrue();
    }

    @Test
    void degenerateMatricesHavePrincipalPowers() {
        assertThat(ComplexMatrix.identity(4).power(0.37)).isEqualTo(ComplexMatrix.identity(4));
        assertThat(StandardGate.CX.matrix().power(0.5).approximatelyEquals(StandardGate.CSX.matrix(), EXACT))
                .isTrue();
        assertThat(StandardGate.SWAP.matrix().power(0.5).power(2)
                .approximatelyEquals(StandardGate.SWAP.matrix(), TIGHT)).isTrue();
        assertThat(StandardGate.C4X.matrix().power(0.5)
                .approximatelyEquals(StandardGate.SX.matrix().controlled(4, 0b1111), TIGHT)).isTrue();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.qfed.circuit.Unitaries#seeds")
    void repeatedEigenvaluesInARotatedBasisGetTheirPrincipalRoots(long seed) {
        Random random = new Random(seed);
        ComplexMatrix v = Unitaries.randomUnitary(4, random);
        // −1 twice (on the branch cut), i twice
        double[] phases = {Math.PI, Math.PI, Math.PI / 2, Math.PI / 2};
        ComplexMatrix u = v.multiply(ComplexMatrix.diagonalPhases(phases)).multiply(v.adjoint());
        double k = 0.5 + random.nextDouble();
        double[] powered = new double[4];
        for (int i = 0; i < 4; i++) {
            powered[i] = k * phases[i];
        }
        ComplexMatrix expected = v.multiply(ComplexMatrix.diagonalPhases(powered)).multiply(v.adjoint());
        assertThat(u.power(k).approximatelyEquals(expected, TIGHT)).as("k=%s", k).isTrue();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.qfed.circuit.Unitaries#seeds")
    void squareRootsOfRandomUnitariesSquareBackAndStayOnThePrincipalBranch(long seed) {
        Random random = new Random(seed);
        int dim = 1 << (1 + (int) (seed % 4));
        ComplexMatrix u = Unitaries.randomUnitary(dim, random);
        ComplexMatrix root = u.power(0.5);
        assertThat(root.isUnitary(TIGHT)).isTrue();
        assertThat(root.multiply(root).approximatelyEquals(u, 1e-9)).isTrue();
        // principal square roots have eigenvalues with arg in (−π/2, π/2], so root + root† is positive semidef.
        ComplexMatrix hermitianPart = sum(root, root.adjoint());
        for (int i = 0; i < dim; i++) {
            assertThat(hermitianPart.re(i, i)).isGreaterThanOrEqualTo(-1e-9);
        }
        ComplexMatrix third = u.power(1.0 / 3);
        assertThat(third.multiply(third).multiply(third).approximatelyEquals(u, 1e-9)).isTrue();
        assertThat(u.power(-1).approximatelyEquals(u.adjoint(), EXACT)).isTrue();
    }

    @ParameterizedTest(name = "cycle length {0}")
    @ValueSource(ints = {2, 3, 4, 5, 8, 16})
    void cyclicPermutationsWhoseWilkinsonShiftIsZeroStillConverge(int length) {
        double[] d = new double[2 * length * length];
        for (int j = 0; j < length; j++) {
            d[2 * (((j + 1) % length) * length + j)] = 1;
        }
        ComplexMatrix cycle = ComplexMatrix.of(length, d);
        ComplexMatrix root = cycle.power(0.5);
        assertThat(root.multiply(root).approximatelyEquals(cycle, TIGHT)).isTrue();
        assertThat(root.multiply(cycle).approximatelyEquals(cycle.multiply(root), TIGHT)).isTrue();
        ComplexMatrix nth = cycle.power(1.0 / length);
        assertThat(nth.power(length).approximatelyEquals(cycle, 1e-9)).isTrue();
    }

    @Test
    void controlledPutsTheControlsOnTheLowBits() {
        assertThat(X.controlled(1, 1)).isEqualTo(StandardGate.CX.matrix());
        assertThat(X.controlled(2, 0b11)).isEqualTo(StandardGate.CCX.matrix());
        assertThat(X.controlled(0, 0)).isSameAs(X);
        // control value 0: flips bit 1 when bit 0 is clear, |00⟩ ↔ |10⟩
        assertThat(X.controlled(1, 0)).isEqualTo(real(4,
                0, 0, 1, 0,
                0, 1, 0, 0,
                1, 0, 0, 0,
                0, 0, 0, 1));
        // control 0 must be 1 and control 1 must be 0: |001⟩ ↔ |101⟩
        ComplexMatrix mixed = X.controlled(2, 0b01);
        assertThat(mixed.re(5, 1)).isEqualTo(1);
        assertThat(mixed.re(1, 5)).isEqualTo(1);
        assertThat(mixed.re(3, 3)).isEqualTo(1);
        assertThat(mixed.re(7, 7)).isEqualTo(1);
    }

    @Test
    void controlValuesThatDoNotFitTheControlsAreRefused() {
        assertThatThrownBy(() -> X.controlled(1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("control values 10 do not fit in 1 control bit(s)");
        assertThatThrownBy(() -> X.controlled(20, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too large");
    }

    private static ComplexMatrix sum(ComplexMatrix a, ComplexMatrix b) {
        double[] d = a.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] += b.data()[i];
        }
        return ComplexMatrix.of(a.dim(), d);
    }
}
