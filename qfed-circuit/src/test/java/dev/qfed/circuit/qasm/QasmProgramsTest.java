package dev.qfed.circuit.qasm;

import dev.qfed.circuit.Barrier;
import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.Condition;
import dev.qfed.circuit.Conditional;
import dev.qfed.circuit.Expr;
import dev.qfed.circuit.InputParameter;
import dev.qfed.circuit.Measure;
import dev.qfed.circuit.Operation;
import dev.qfed.circuit.Register;
import dev.qfed.circuit.StandardGate;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.qfed.circuit.qasm.QasmTesting.c;
import static dev.qfed.circuit.qasm.QasmTesting.g;
import static dev.qfed.circuit.qasm.QasmTesting.p;
import static org.assertj.core.api.Assertions.assertThat;

/** Realistic programs, read from files as users would hand them in. */
class QasmProgramsTest {

    private static Circuit file(String name) throws Exception {
        return OpenQasm.parseFile(resource(name), ParseLimits.DEFAULT);
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(QasmProgramsTest.class.getResource("/qasm/" + name).toURI());
    }

    @Test
    void bellPair() throws Exception {
        Circuit c = file("bell.qasm");
        assertThat(c.qregs()).containsExactly(Register.of("q", 2));
        assertThat(c.cregs()).containsExactly(Register.of("c", 2));
        assertThat(c.operations()).containsExactly(g(StandardGate.H, 0), g(StandardGate.CX, 0, 1),
                new Measure(0, 0), new Measure(1, 1));
    }

    @Test
    void ghzWithAConstantSizeAndAGateFromAnIncludedFile() throws Exception {
        Circuit c = file("ghz.qasm");
        assertThat(c.numQubits()).isEqualTo(5);
        List<Operation> expected = new ArrayList<>(List.of(g(StandardGate.H, 0)));
        for (int i = 0; i < 4; i++) {
            expected.add(g(StandardGate.CX, i, i + 1));
        }
        for (int i = 0; i < 5; i++) {
            expected.add(new Measure(i, i));
        }
        assertThat(c.operations()).containsExactlyElementsOf(expected);
    }

    @Test
    void teleportationWithClassicallyControlledCorrections() throws Exception {
        Circuit c = file("teleport.qasm");
        assertThat(c.cregs()).containsExactly(Register.of("c0", 1), Register.of("c1", 1), Register.of("c2", 1));
        assertThat(c.operations()).containsExactly(
                g(StandardGate.U3, p(0.3, 0.2, 0.1), 0),
                g(StandardGate.H, 1), g(StandardGate.CX, 1, 2),
                new Barrier(List.of(0, 1, 2)),
                g(StandardGate.CX, 0, 1), g(StandardGate.H, 0),
                new Measure(0, 0), new Measure(1, 1),
                new Conditional(new Condition(List.of(0), 1), List.of(g(StandardGate.Z, 2)), List.of()),
                new Conditional(new Condition(List.of(1), 1), List.of(g(StandardGate.X, 2)), List.of()),
                new Measure(2, 2));
    }

    @Test
    void qftWrittenWithCu1InOpenQasm2() throws Exception {
        assertThat(file("qft3_cu1.qasm").operations()).containsExactly(
                g(StandardGate.H, 0), g(StandardGate.CU1, p(Math.PI / 2), 1, 0), g(StandardGate.CU1, p(Math.PI / 4), 2, 0),
                g(StandardGate.H, 1), g(StandardGate.CU1, p(Math.PI / 2), 2, 1),
                g(StandardGate.H, 2), g(StandardGate.SWAP, 0, 2),
                new Measure(0, 0), new Measure(1, 1), new Measure(2, 2));
    }

    @Test
    void qftWrittenWithCpAndLoopsInOpenQasm3() throws Exception {
        int n = 4;
        List<Operation> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(g(StandardGate.H, i));
            for (int j = i + 1; j < n; j++) {
                expected.add(g(StandardGate.CP, p(Math.PI / Math.pow(2, j - i)), j, i));
            }
        }
        for (int i = 0; i < n / 2; i++) {
            expected.add(g(StandardGate.SWAP, i, n - 1 - i));
        }
        for (int i = 0; i < n; i++) {
            expected.add(new Measure(i, i));
        }
        assertThat(file("qft4_cp.qasm").operations()).containsExactlyElementsOf(expected);
    }

    @Test
    void qiskitStyleExportWithInputsBindsBeforeARun() throws Exception {
        Circuit c = file("qiskit_export.qasm");
        assertThat(c.inputs()).containsExactly(new InputParameter("theta", InputParameter.Type.FLOAT),
                new InputParameter("phi", InputParameter.Type.FLOAT));
        assertThat(c.cregs()).containsExactly(Register.of("meas", 2));
        Expr half = new Expr.Binary(Expr.BinaryOp.DIVIDE, new Expr.Parameter("theta"), c(2));
        assertThat(c.operations()).containsExactly(
                g(StandardGate.H, 0),
                g(StandardGate.H, 1), g(StandardGate.CX, 0, 1),
                g(StandardGate.RZ, List.of(half), List.of(), 1),
                g(StandardGate.CX, 0, 1), g(StandardGate.H, 1),
                g(StandardGate.RY, List.of(new Expr.Negate(new Expr.Parameter("phi"))), List.of(), 1),
                new Barrier(List.of(0, 1)),
                new Measure(0, 0), new Measure(1, 1));
        Circuit bound = c.bind(Map.of("theta", 1.0, "phi", 0.25));
        assertThat(bound.inputs()).isEmpty();
        assertThat(bound.operations().get(3)).isEqualTo(g(StandardGate.RZ, p(0.5), 1));
        assertThat(bound.operations().get(6)).isEqualTo(g(StandardGate.RY, p(-0.25), 1));
    }

    @Test
    void theSameProgramParsedTwiceGivesEqualCircuits() throws Exception {
        assertThat(file("qft4_cp.qasm")).isEqualTo(file("qft4_cp.qasm"));
    }
}
