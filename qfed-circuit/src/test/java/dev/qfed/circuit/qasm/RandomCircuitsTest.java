package dev.qfed.circuit.qasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.qfed.circuit.Circuit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The generators behind the round-trip tests: deterministic, and printable in their own dialect. */
class RandomCircuitsTest {

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.qfed.circuit.qasm.QasmRoundTripTest#seeds")
    void generatedCircuitsAreDeterministicAndPrintable(long seed) {
        Circuit v2 = RandomCircuits.v2(seed);
        Circuit v3 = RandomCircuits.v3(seed);
        assertThat(RandomCircuits.v2(seed)).isEqualTo(v2);
        assertThat(RandomCircuits.v3(seed)).isEqualTo(v3);
        assertThatCode(() -> OpenQasm.print(v2, QasmVersion.V2)).doesNotThrowAnyException();
        assertThatCode(() -> OpenQasm.print(v3, QasmVersion.V3)).doesNotThrowAnyException();
    }
}
