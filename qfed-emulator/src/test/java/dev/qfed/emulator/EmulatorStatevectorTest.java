package dev.qfed.emulator;

import static dev.qfed.emulator.TestPrecision.tolerance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.Expr;
import dev.qfed.circuit.GateModifier;
import dev.qfed.circuit.GateOperation;
import dev.qfed.circuit.OpaqueGate;
import dev.qfed.circuit.StandardGate;
import dev.qfed.emulator.state.Precision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmulatorStatevectorTest {
    private static final double H = Math.sqrt(0.5);
    private final Emulator emulator = new Emulator(new EmulatorOptions(2, TestPrecision.PRECISION, 1L << 30));

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24})
    void randomCircuitsMatchTheUnitaryOracle(long seed) {
        int n = 1 + (int) (seed % 6);
        Circuit circuit = RandomCircuits.unitary(seed, n, 30);
        double[] expected = UnitaryOracle.statevector(circuit);
        double[] actual = emulator.statevector(circuit).amplitudes();
        assertThat(fidelity(expected, actual)).isGreaterThanOrEqualTo(1 - tolerance(1e-10));
        assertThat(actual).containsExactly(expected, within(tolerance(1e-10))); // global phase included
    }

    @Test
    void aBellStateHasExactlyItsTwoAmplitudes() {
        Statevector s = emulator.statevector(CircuitBuilder.of(2, 0).h(0).cx(0, 1).build());
        assertThat(s.numQubits()).isEqualTo(2);
        assertThat(s.amplitudes()).containsExactly(new double[] {H, 0, 0, 0, 0, 0, H, 0}, within(tolerance(1e-15)));
    }

    @Test
    void aGhzStateOnFiveQubitsPutsHalfOnEachEnd() {
        CircuitBuilder b = CircuitBuilder.of(5, 0).h(0);
        for (int q = 1; q < 5; q++) {
            b.cx(q - 1, q);
        }
        Statevector s = emulator.statevector(b.build());
        assertThat(s.probability(0)).isCloseTo(0.5, within(tolerance(1e-15)));
        assertThat(s.probability(31)).isCloseTo(0.5, within(tolerance(1e-15)));
    }

    @Test
    void qubitZeroIsTheLeastSignificantBitOfTheIndex() {
        Statevector s = emulator.statevector(CircuitBuilder.of(3, 0).x(1).build());
        assertThat(s.probability(2)).isEqualTo(1.0);
    }

    @Test
    void negatedControlsAndControlledGlobalPhaseActOnTheRightSubspace() {
        // negctrl @ x: flips qubit 1 when qubit 0 is |0⟩; ctrl @ gphase(π/2) multiplies the |1⟩ part of qubit 1 by i
        Circuit c = CircuitBuilder.of(2, 0)
                .op(new GateOperation(StandardGate.X, List.of(), List.of(new GateModifier.NegCtrl(1)), List.of(0, 1)))
                .op(new GateOperation(StandardGate.GPHASE, List.of(Expr.constant(Math.PI / 2)),
                        List.of(new GateModifier.Ctrl(1)), List.of(1)))
                .op(new GateOperation(StandardGate.GPHASE, List.of(Expr.constant(Math.PI)), List.of(), List.of()))
                .build();
        assertThat(emulator.statevector(c).amplitudes())
                .containsExactly(new double[] {0, 0, 0, 0, 0, -1, 0, 0}, within(tolerance(1e-15)));
    }

    @Test
    void terminalMeasurementsAndBarriersAreIgnored() {
        Statevector s = emulator.statevector(CircuitBuilder.of(2, 2).h(0).barrier(0, 1).cx(0, 1).measureAll()
                .measure(0, 1).barrier(0).build());
        assertThat(s.probability(0)).isCloseTo(0.5, within(tolerance(1e-15)));
        assertThat(s.probability(3)).isCloseTo(0.5, within(tolerance(1e-15)));
    }

    @Test
    void aResetOfAnUntouchedQubitIsAllowed() {
        Statevector s = emulator.statevector(CircuitBuilder.of(2, 0).reset(1).x(0).build());
        assertThat(s.probability(1)).isEqualTo(1.0);
    }

    @Test
    void aMeasurementFollowedByAGateOnItsQubitIsRejectedWithItsOperationNumber() {
        Circuit c = CircuitBuilder.of(2, 1).h(0).measure(0, 0).x(1).h(0).build();
        assertThatThrownBy(() -> emulator.statevector(c)).isInstanceOfSatisfying(EmulatorException.class,
                e -> assertThat(e.kind()).isEqualTo(EmulatorException.Kind.INVALID_CIRCUIT))
                .hasMessageStartingWith("mid-circuit measurement at operation #2")
                .hasMessageContaining("use run or probabilities");
    }

    @Test
    void resetsOfUsedQubitsAndConditionalsAreRejected() {
        assertThatThrownBy(() -> emulator.statevector(CircuitBuilder.of(1, 0).h(0).reset(0).build()))
                .hasMessageStartingWith("reset at operation #2");
        assertThatThrownBy(() -> emulator.statevector(CircuitBuilder.of(1, 1).when(List.of(0), 1, b -> b.x(0))
                .build())).hasMessageStartingWith("conditional at operation #1");
    }

    @Test
    void opaqueGatesAreRejectedByName() {
        Circuit c = CircuitBuilder.of(1, 0).op(new GateOperation(new OpaqueGate("magic", 0, 1), List.of(), List.of(),
                List.of(0))).build();
        assertThatThrownBy(() -> emulator.statevector(c)).isInstanceOfSatisfying(EmulatorException.class,
                e -> assertThat(e.kind()).isEqualTo(EmulatorException.Kind.INVALID_CIRCUIT))
                .hasMessageContaining("opaque gate 'magic'").hasMessageContaining("operation #1");
    }

    @Test
    void unboundInputsAreNamedWithTheFlagThatBindsThem() {
        Circuit c = CircuitBuilder.of(1, 1).input("theta").input("phi")
                .op(new GateOperation(StandardGate.RX, List.of(new Expr.Parameter("theta")), List.of(), List.of(0)))
                .op(new GateOperation(StandardGate.RZ, List.of(new Expr.Parameter("phi")), List.of(), List.of(0)))
                .measure(0, 0).build();
        for (Runnable call : List.<Runnable>of(() -> emulator.statevector(c), () -> emulator.probabilities(c),
                () -> emulator.run(c, RunRequest.of(10, 1)))) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(EmulatorException.class,
                    e -> assertThat(e.kind()).isEqualTo(EmulatorException.Kind.INVALID_CIRCUIT))
                    .hasMessageContaining("phi, theta").hasMessageContaining("--param phi=VALUE --param theta=VALUE");
        }
        Circuit bound = c.bind(Map.of("theta", Math.PI, "phi", 0.0));
        assertThat(emulator.statevector(bound).probability(1)).isCloseTo(1, within(tolerance(1e-15)));
    }

    static double fidelity(double[] a, double[] b) {
        double re = 0;
        double im = 0;
        for (int i = 0; i < a.length; i += 2) {
            re += a[i] * b[i] + a[i + 1] * b[i + 1];
            im += a[i] * b[i + 1] - a[i + 1] * b[i];
        }
        return re * re + im * im;
    }
}
