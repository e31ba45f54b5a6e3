package dev.qfed.circuit.qasm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.ComplexMatrix;
import dev.qfed.circuit.Expr;
import dev.qfed.circuit.GateModifier;
import dev.qfed.circuit.GateOperation;
import dev.qfed.circuit.Operation;
import dev.qfed.circuit.Register;
import dev.qfed.circuit.StandardGate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Printing then parsing gives back the same circuit. */
class QasmRoundTripTest {

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 100);
    }

    static Stream<Arguments> gatesOutsideStdgatesWithSeeds() {
        return V3GateDefinitionsTest.notInStdgates().stream()
                .flatMap(g -> Stream.of(1L, 2L, 3L, 4L).map(s -> Arguments.of(g, s)));
    }

    private static Circuit parse(String text) throws QasmException {
        return OpenQasm.parse(text, "roundtrip.qasm", null, ParseLimits.DEFAULT);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void openQasm2CircuitsParseBackEqual(long seed) throws QasmException {
        Circuit circuit = RandomCircuits.v2(seed);
        String text = OpenQasm.print(circuit, QasmVersion.V2);
        assertThat(parse(text)).as(text).isEqualTo(circuit);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void openQasm3CircuitsParseBackEqual(long seed) throws QasmException {
        Circuit circuit = RandomCircuits.v3(seed);
        String text = OpenQasm.print(circuit, QasmVersion.V3);
        assertThat(parse(text)).as(text).isEqualTo(circuit);
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("gatesOutsideStdgatesWithSeeds")
    void gatesOutsideStdgatesParseBackToTheSameUnitary(StandardGate gate, long seed) throws QasmException {
        Random random = new Random(seed);
        int n = gate.numQubits() + 1;
        List<Operation> ops = new ArrayList<>();
        ops.add(GateOperation.of(StandardGate.H, List.of(0)));
        ops.add(new GateOperation(gate, angles(gate.numParams(), random), List.of(), shuffled(n, gate.numQubits(),
                random)));
        // a control makes the definition's global phase observable; inv and pow must act on the whole body.
        // Integer powers only: the front end refuses non-integer powers of user-defined gates for now.
        List<GateModifier> modifiers = switch ((int) (seed % 4)) {
            case 0 -> List.of(new GateModifier.Ctrl(1));
            case 1 -> List.of(new GateModifier.NegCtrl(1), new GateModifier.Inverse());
            case 2 -> List.of(new GateModifier.Ctrl(1), new GateModifier.Power(Expr.constant(2.0)));
            default -> List.of(new GateModifier.NegCtrl(1), new GateModifier.Power(Expr.constant(-1.0)));
        };
        ops.add(new GateOperation(gate, angles(gate.numParams(), random), modifiers, shuffled(n, n, random)));
        Circuit circuit = new Circuit(List.of(Register.of("q", n)), List.of(), List.of(), ops);
        String text = OpenQasm.print(circuit, QasmVersion.V3);
        ComplexMatrix expected = CircuitUnitary.of(circuit);
        ComplexMatrix actual = CircuitUnitary.of(parse(text));
        assertThat(actual.approximatelyEquals(expected, 1e-10)).as(text).isTrue();
    }

    private static List<Expr> angles(int count, Random random) {
        List<Expr> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(Expr.constant((random.nextDouble() * 2 - 1) * 2 * Math.PI));
        }
        return out;
    }

    private static List<Integer> shuffled(int n, int take, Random random) {
        List<Integer> all = new ArrayList<>();
        for (int q = 0; q < n; q++) {
            all.add(q);
        }
        Collections.shuffle(all, random);
        return List.copyOf(all.subList(0, take));
    }
}
