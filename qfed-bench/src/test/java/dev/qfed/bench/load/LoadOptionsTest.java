package dev.qfed.bench.load;

import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.qasm.OpenQasm;
import dev.qfed.circuit.qasm.ParseLimits;
import dev.qfed.emulator.Emulator;
import dev.qfed.emulator.EmulatorOptions;
import dev.qfed.emulator.RunRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadOptionsTest {

    static LoadOptions withQubits(int qubits) {
        return new LoadOptions(1, 0, 1, 0, qubits, 100, "auto", Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 12})
    void theJobCircuitIsAGhzStateMeasuredOnEveryQubit(int qubits) throws Exception {
        Circuit circuit = OpenQasm.parse(withQubits(qubits).circuit(), "ghz", Path.of("."), ParseLimits.DEFAULT);
        assertThat(circuit.numQubits()).isEqualTo(qubits);
        var counts = new Emulator(EmulatorOptions.defaults().withThreads(1)).run(circuit, RunRequest.of(200, 9)).counts();
        assertThat(counts.keySet()).isSubsetOf("0".repeat(qubits), "1".repeat(qubits));
    }

    @Test
    void boundsAreCheckedWithTheOptionName() {
        assertThatThrownBy(() -> new LoadOptions(0, 0, 1, 0, 5, 100, "auto", Duration.ofSeconds(1)))
                .hasMessageContaining("--jobs");
        assertThatThrownBy(() -> new LoadOptions(1, -1, 1, 0, 5, 100, "auto", Duration.ofSeconds(1)))
                .hasMessageContaining("--warmup");
        assertThatThrownBy(() -> new LoadOptions(1, 0, 0, 0, 5, 100, "auto", Duration.ofSeconds(1)))
                .hasMessageContaining("--concurrency");
        assertThatThrownBy(() -> new LoadOptions(1, 0, 1, -1, 5, 100, "auto", Duration.ofSeconds(1)))
                .hasMessageContaining("--rate");
        assertThatThrownBy(() -> new LoadOptions(1, 0, 1, Double.NaN, 5, 100, "auto", Duration.ofSeconds(1)))
                .hasMessageContaining("--rate");
        assertThatThrownBy(() -> new LoadOptions(1, 0, 1, 0, 5, 0, "auto", Duration.ofSeconds(1)))
                .hasMessageContaining("--shots");
        assertThatThrownBy(() -> new LoadOptions(1, 0, 1, 0, 5, 1, "auto", Duration.ZERO))
                .hasMessageContaining("--timeout");
    }
}
