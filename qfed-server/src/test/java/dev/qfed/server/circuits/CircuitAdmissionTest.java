package dev.qfed.server.circuits;

import dev.qfed.api.CircuitSpec;
import dev.qfed.api.ErrorCode;
import dev.qfed.api.Problem;
import dev.qfed.circuit.qasm.ParseLimits;
import dev.qfed.server.ApiException;
import dev.qfed.server.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CircuitAdmissionTest {
    private final CircuitAdmission admission = new CircuitAdmission(ParseLimits.DEFAULT);

    @Test
    void aValidCircuitIsAdmittedWithItsWidthAndGates() {
        AdmittedCircuit c = admission.admit(0, CircuitSpec.of(Fixtures.GHZ5));
        assertThat(c.numQubits()).isEqualTo(5);
        assertThat(c.gates()).containsExactlyInAnyOrder("h", "cx");
    }

    @Test
    void gatesInsideConditionsCount() {
        String qasm = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\ncreg c[1];\nmeasure q -> c;\n"
                + "if (c == 1) x q[0];\n";
        assertThat(admission.admit(0, CircuitSpec.of(qasm)).gates()).containsExactly("x");
    }

    @Test
    void aSyntaxErrorNamesTheCircuitLineAndColumn() {
        Problem p = problem(3, "OPENQASM 3;\nqubit q;\nh q\n");
        assertThat(p.code()).isEqualTo(ErrorCode.QASM_SYNTAX.slug());
        assertThat(p.circuit()).contains(3);
        assertThat(p.line()).hasValueSatisfying(l -> assertThat(l).isBetween(3, 4));
        assertThat(p.column()).isPresent();
        assertThat(p.field()).contains("circuits[3].qasm");
        assertThat(p.detail()).startsWith("circuits[3] line ");
    }

    @Test
    void aSourceOverTheLimitIsALimitProblem() {
        CircuitAdmission tight = new CircuitAdmission(new ParseLimits(100, 0, 1000, 1000, 64, 10));
        Problem p = catchThrowableOfType(ApiException.class,
                () -> tight.admit(0, CircuitSpec.of("// " + "x".repeat(200)))).problem();
        assertThat(p.code()).isEqualTo(ErrorCode.QASM_LIMIT.slug());
    }

    @Test
    void inputsAreBoundFromTheParameters() {
        AdmittedCircuit c = admission.admit(0, new CircuitSpec(Fixtures.ROTATION, Optional.empty(), Map.of("theta", 1.0)));
        assertThat(c.gates()).containsExactly("rx");
    }

    @Test
    void aMissingInputValueIsNamed() {
        Problem p = problem(0, Fixtures.ROTATION);
        assertThat(p.code()).isEqualTo(ErrorCode.INVALID_CIRCUIT.slug());
        assertThat(p.detail()).contains("theta");
    }

    @Test
    void aValueForAnInputTheCircuitDoesNotHaveIsRefused() {
        Problem p = catchThrowableOfType(ApiException.class, () -> admission.admit(1,
                new CircuitSpec(Fixtures.BELL, Optional.empty(), Map.of("phi", 1.0)))).problem();
        assertThat(p.detail()).contains("phi");
        assertThat(p.field()).contains("circuits[1].parameters");
    }

    @Test
    void aNonFiniteParameterIsRefused() {
        Problem p = catchThrowableOfType(ApiException.class, () -> admission.admit(0,
                new CircuitSpec(Fixtures.ROTATION, Optional.empty(), Map.of("theta", Double.NaN)))).problem();
        assertThat(p.detail()).contains("finite");
    }

    private Problem problem(int index, String qasm) {
        return catchThrowableOfType(ApiException.class, () -> admission.admit(index, CircuitSpec.of(qasm))).problem();
    }
}
