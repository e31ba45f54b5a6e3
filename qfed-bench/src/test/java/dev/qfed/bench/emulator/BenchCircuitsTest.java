package dev.qfed.bench.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.GateOperation;
import dev.qfed.circuit.Operation;
import dev.qfed.circuit.Register;
import dev.qfed.circuit.StandardGate;
import dev.qfed.emulator.Emulator;
import dev.qfed.emulator.EmulatorOptions;
import dev.qfed.emulator.state.Precision;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BenchCircuitsTest {

    private final Emulator emulator = new Emulator(new EmulatorOptions(1, Precision.DOUBLE, 1L << 28));

    @ParameterizedTest
    @CsvSource({"3,5", "4,11", "5,0", "5,19"})
    void qftMapsABasisStateToItsDiscreteFourierTransform(int n, int x) {
        List<Operation> ops = new ArrayList<>();
        for (int q = 0; q < n; q++) {
            if (((x >>> q) & 1) != 0) {
                ops.add(GateOperation.of(StandardGate.X, List.of(q)));
            }
        }
        ops.addAll(BenchCircuits.qft(n));
        Circuit c = new Circuit(List.of(Register.of("q", n)), List.of(), List.of(), ops);
        double[] a = emulator.statevector(c).amplitudes();
        int dim = 1 << n;
        for (int y = 0; y < dim; y++) {
            double phase = 2 * Math.PI * x * y / dim;
            assertThat(a[2 * y]).as("re %d", y).isCloseTo(Math.cos(phase) / Math.sqrt(dim), within(1e-12));
            assertThat(a[2 * y + 1]).as("im %d", y).isCloseTo(Math.sin(phase) / Math.sqrt(dim), within(1e-12));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 9, 24})
    void randomLayersAlternateRotationsAndABrickOfEntanglers(int n) {
        List<Operation> ops = BenchCircuits.randomLayers(n, BenchCircuits.RANDOM_DEPTH, new java.util.Random(3));
        int pairsEven = n / 2;
        int pairsOdd = (n - 1) / 2;
        int depth = BenchCircuits.RANDOM_DEPTH;
        assertThat(ops).hasSize(depth * n + depth / 2 * (pairsEven + pairsOdd));
        for (Operation op : ops) {
            GateOperation g = (GateOperation) op;
            if (g.qubits().size() == 2) {
                assertThat(g.qubits().get(1) - g.qubits().get(0)).isEqualTo(1);
            }
        }
        assertThat(BenchCircuits.of(BenchCircuits.Kind.RANDOM, n, 7))
                .isEqualTo(BenchCircuits.of(BenchCircuits.Kind.RANDOM, n, 7));
    }

    @Test
    void theGridCircuitAt24QubitsHasAboutQsimsGateCountAndOnlyNeighbourCzs() {
        Circuit c = BenchCircuits.of(BenchCircuits.Kind.GRID, 24, 1);
        assertThat(BenchCircuits.gateCount(c)).isEqualTo(1263);
        int[] shape = BenchCircuits.gridShape(24);
        assertThat(shape).containsExactly(4, 6);
        int[] singles = new int[24];
        String[] last = new String[24];
        for (Operation op : c.operations()) {
            if (!(op instanceof GateOperation g)) {
                continue;
            }
            String name = g.gate().qasmName();
            if (name.equals("cz")) {
                int a = g.qubits().get(0);
                int b = g.qubits().get(1);
                boolean horizontal = b == a + 1 && a / shape[1] == b / shape[1];
                boolean vertical = b == a + shape[1];
                assertThat(horizontal || vertical).as("cz %d %d on the grid", a, b).isTrue();
            } else if (!name.equals("h")) {
                int q = g.qubits().get(0);
                if (singles[q]++ == 0) {
                    assertThat(name).as("first gate after the H layer on qubit %d", q).isEqualTo("t");
                } else {
                    assertThat(name).as("qubit %d repeats %s", q, name).isNotEqualTo(last[q]);
                }
                last[q] = name;
            }
        }
    }

    @Test
    void unknownCircuitNamesAreRejectedWithTheChoices() {
        assertThatThrownBy(() -> BenchCircuits.Kind.parse("ghz")).hasMessageContaining("use qft, random or grid");
        assertThat(BenchCircuits.Kind.parse(" Grid ")).isEqualTo(BenchCircuits.Kind.GRID);
    }
}
