package dev.qfed.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qfed.circuit.Circuit;
import dev.qfed.emulator.state.Precision;
import org.junit.jupiter.api.Test;

class EmulatorResourceTest {
    private static final long GIB = 1L << 30;

    @Test
    void aStateLargerThanTheBudgetIsRefusedBeforeAnyAllocationWithAdvice() {
        Emulator emulator = new Emulator(new EmulatorOptions(1, Precision.DOUBLE, 12 * GIB));
        Circuit thirty = CircuitBuilder.of(30, 1).h(0).measure(0, 0).build();
        for (Runnable call : new Runnable[] {() -> emulator.run(thirty, RunRequest.of(1, 1)),
                () -> emulator.probabilities(thirty)}) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(EmulatorException.class,
                    e -> assertThat(e.kind()).isEqualTo(EmulatorException.Kind.RESOURCE_LIMIT))
                    .hasMessage("circuit needs 30 qubits = 16 GiB of state in double precision; this process may use"
                            + " 12 GiB; raise the heap (QFED_JAVA_OPTS=-Xmx18g), use --precision single, or use fewer"
                            + " qubits");
        }
    }

    @Test
    void theBudgetIsCheckedInBytesForSmallStatesToo() {
        Emulator emulator = new Emulator(new EmulatorOptions(1, Precision.DOUBLE, 1L << 20));
        assertThatThrownBy(() -> emulator.run(CircuitBuilder.of(17, 0).h(0).build(), RunRequest.of(1, 1)))
                .hasMessageStartingWith("circuit needs 17 qubits = 2 MiB of state in double precision; this process"
                        + " may use 1 MiB");
        assertThat(emulator.run(CircuitBuilder.of(16, 0).h(0).build(), RunRequest.of(1, 1)).counts())
                .containsEntry("", 1L);
    }

    @Test
    void statevectorModeReturnsAtMost26Qubits() {
        Emulator emulator = new Emulator(new EmulatorOptions(1, Precision.DOUBLE, 64 * GIB));
        assertThatThrownBy(() -> emulator.statevector(CircuitBuilder.of(27, 0).h(0).build()))
                .hasMessageContaining("statevector mode allows up to 26 qubits");
    }

    @Test
    void exactProbabilitiesThatNeedMoreStatesThanTheBudgetAreALimit() {
        Emulator emulator = new Emulator(new EmulatorOptions(1, Precision.DOUBLE, Precision.DOUBLE.stateBytes(2)));
        Circuit c = CircuitBuilder.of(2, 2).h(0).measure(0, 0).h(0).measure(0, 1).build();
        assertThatThrownBy(() -> emulator.probabilities(c)).hasMessageContaining("need 2 states of 2 qubits");
    }

    @Test
    void singlePrecisionEitherRunsOrSaysItIsNotAvailableYet() {
        // this branch's factory has double precision only; the fast kernels add single precision later
        Emulator emulator = new Emulator(new EmulatorOptions(1, Precision.SINGLE, GIB));
        Circuit bell = CircuitBuilder.of(2, 2).h(0).cx(0, 1).measureAll().build();
        try {
            assertThat(emulator.run(bell, RunRequest.of(100, 1)).counts()).containsOnlyKeys("00", "11");
        } catch (EmulatorException e) {
            assertThat(e.kind()).isEqualTo(EmulatorException.Kind.RESOURCE_LIMIT);
            assertThat(e).hasMessageContaining("single precision not available yet");
        }
    }

    @Test
    void theDefaultsUseEveryCoreAndLeaveHeadroomInTheHeap() {
        EmulatorOptions d = EmulatorOptions.defaults();
        assertThat(d.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(d.precision()).isEqualTo(Precision.DOUBLE);
        assertThat(d.maxStateBytes()).isPositive().isLessThan(Runtime.getRuntime().maxMemory());
    }

    @Test
    void optionsRejectNonsense() {
        assertThatThrownBy(() -> new EmulatorOptions(0, Precision.DOUBLE, 1)).hasMessageContaining("threads");
        assertThatThrownBy(() -> new EmulatorOptions(1, Precision.DOUBLE, 0)).hasMessageContaining("maxStateBytes");
    }
}
