package dev.qfed.circuit.qasm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qfed.circuit.ComplexMatrix;
import dev.qfed.circuit.Expr;
import dev.qfed.circuit.GateLibrary;
import dev.qfed.circuit.GateModifier;
import dev.qfed.circuit.GateOperation;
import dev.qfed.circuit.StandardGate;
import dev.qfed.circuit.qasm.V3GateDefinitions.Definition;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class V3GateDefinitionsTest {
    /** The standard gates OpenQASM 3 can only name through a printed definition. */
    static Set<StandardGate> notInStdgates() {
        Set<StandardGate> s = EnumSet.allOf(StandardGate.class);
        s.removeAll(GateLibrary.stdgates());
        s.removeAll(EnumSet.of(StandardGate.U, StandardGate.GPHASE));
        return s;
    }

    static Stream<Arguments> definedGatesWithSeeds() {
        return notInStdgates().stream().flatMap(g -> Stream.of(1L, 2L, 3L).map(s -> Arguments.of(g, s)));
    }

    @Test
    void exactlyTheGatesOutsideStdgatesHaveDefinitions() {
        assertThat(notInStdgates()).extracting(StandardGate::qasmName).containsExactlyInAnyOrder("u0", "u", "sxdg",
                "cu1", "cu3", "csx", "rxx", "rzz", "rccx", "rc3x", "c3x", "c3sqrtx", "c4x");
        for (StandardGate g : StandardGate.values()) {
            assertThat(V3GateDefinitions.of(g).isPresent()).as(g.qasmName()).isEqualTo(notInStdgates().contains(g));
        }
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("definedGatesWithSeeds")
    void eachDefinitionBodyEqualsTheGateMatrixIncludingGlobalPhase(StandardGate gate, long seed) {
        Definition d = V3GateDefinitions.of(gate).orElseThrow();
        assertThat(d.params()).hasSize(gate.numParams());
        assertThat(d.qubits()).hasSize(gate.numQubits());
        Random random = new Random(seed);
        Map<String, Double> values = new HashMap<>();
        double[] args = new double[gate.numParams()];
        for (int i = 0; i < args.length; i++) {
            args[i] = (random.nextDouble() * 2 - 1) * 2 * Math.PI;
            values.put(d.params().get(i), args[i]);
        }
        List<GateOperation> bound = d.body().stream().map(op -> bind(op, values)).toList();
        for (GateOperation op : bound) {
            Set<StandardGate> allowed = EnumSet.copyOf(GateLibrary.stdgates());
            allowed.addAll(EnumSet.of(StandardGate.U, StandardGate.GPHASE));
            assertThat(allowed).as("body of %s uses only stdgates and built-ins", gate).contains(
                    (StandardGate) op.gate());
        }
        ComplexMatrix body = CircuitUnitary.of(bound, gate.numQubits());
        assertThat(body.approximatelyEquals(gate.matrix(args), 1e-12))
                .as("%s%n%s%nvs%n%s", gate, body, gate.matrix(args)).isTrue();
    }

    private static GateOperation bind(GateOperation op, Map<String, Double> values) {
        return new GateOperation(op.gate(), op.params().stream().map(e -> e.bind(values)).toList(),
                op.modifiers().stream().map(m -> m instanceof GateModifier.Power p
                        ? (GateModifier) new GateModifier.Power(p.exponent().bind(values)) : m).toList(),
                op.qubits());
    }

    @Test
    void constantsInBodiesAreAlreadyFolded() {
        for (StandardGate g : notInStdgates()) {
            for (GateOperation op : V3GateDefinitions.of(g).orElseThrow().body()) {
                for (Expr e : op.params()) {
                    assertThat(e instanceof Expr.Constant || e instanceof Expr.Parameter).as(g.qasmName()).isTrue();
                }
            }
        }
    }
}
