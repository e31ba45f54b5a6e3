package dev.qfed.circuit.qasm;

import dev.qfed.circuit.Expr;
import dev.qfed.circuit.GateOperation;
import dev.qfed.circuit.StandardGate;
import dev.qfed.circuit.qasm.QasmException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static dev.qfed.circuit.qasm.QasmTesting.assertError;
import static dev.qfed.circuit.qasm.QasmTesting.g;
import static dev.qfed.circuit.qasm.QasmTesting.ops;
import static dev.qfed.circuit.qasm.QasmTesting.p;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Constant folding: exact integers while possible, reals otherwise, errors at the offending operation. */
class QasmExpressionTest {
    private static final String V2 = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\n";
    private static final String V3 = "OPENQASM 3;\ninclude \"stdgates.inc\";\nqubit q;\n";

    private static double angle(String source) throws QasmException {
        GateOperation op = (GateOperation) ops(source).get(0);
        return ((Expr.Constant) op.params().get(0)).value();
    }

    @Test
    void integerArithmeticThatOverflowsContinuesInReals() throws Exception {
        assertThat(angle(V3 + "rz(9223372036854775807 + 1) q;\n")).isEqualTo(9.223372036854775808e18);
        assertThat(angle(V3 + "rz(2 ** 64) q;\n")).isEqualTo(Math.pow(2, 64));
        assertThat(angle(V3 + "rz(123456789012345678901234567890) q;\n")).isEqualTo(1.2345678901234568e29);
    }

    @Test
    void integerPowersOfZeroOneAndMinusOneStayExactForHugeExponents() throws Exception {
        assertThat(angle(V3 + "rz((-1) ** 1000000000001) q;\n")).isEqualTo(-1);
        assertThat(angle(V3 + "rz(1 ** 9223372036854775807 + 0 ** 5 + 7 ** 0) q;\n")).isEqualTo(2);
    }

    @Test
    void exactIntegersKeepLoopsAndIndicesWorkingWithDivision() throws Exception {
        assertThat(ops("OPENQASM 3;\ninclude \"stdgates.inc\";\nqubit[3] q;\nx q[6 / 3];\n"))
                .containsExactly(g(StandardGate.X, 2));
        assertError(V3.replace("qubit q;", "qubit[3] q;") + "x q[5 / 3];\n", Kind.SEMANTIC, 4, 5,
                "an index must be an integer, got 1.6666666666666667");
    }

    @Test
    void theBuiltInConstantsOfOpenQasm3AreNamesInOpenQasm2() {
        assertError(V2 + "rz(tau) q[0];\n", Kind.SEMANTIC, 4, 4, "undefined name 'tau'");
    }

    @Test
    void aConstantComparisonFoldsToABool() throws Exception {
        assertThat(ops(V3 + "const bool b = 2 * 2 == 4;\nif (b) x q;\nif (!(1 != 1)) y q;\nif (b == false) z q;\n"))
                .containsExactly(g(StandardGate.X, 0), g(StandardGate.Y, 0));
    }

    @Test
    void arithmeticOnABoolIsATypeError() {
        assertError(V3 + "const bool b = true;\nrz(b + 1) q;\n", Kind.SEMANTIC, 5, 6,
                "arithmetic on a bool is not allowed");
    }

    @Test
    void aNumberTooLargeForADoubleIsRefused() {
        assertError(V3 + "rz(1e999) q;\n", Kind.SEMANTIC, 4, 4, "number 1e999 is too large for a double");
    }

    @Test
    void aPowerWithANonFiniteResultIsRefusedAtTheOperator() {
        assertError(V3 + "rz(10.0 ** 400) q;\n", Kind.SEMANTIC, 4, 9, "10 ** 400 is not a finite real number");
        assertError(V3 + "rz((-8.0) ** 0.5) q;\n", Kind.SEMANTIC, 4, 11, "-8 ** 0.5 is not a finite real number");
    }

    @Test
    void divisionByZeroIsFoundEvenBesideAnInput() {
        assertError(V3 + "input float w;\nrz(w / 0) q;\n", Kind.SEMANTIC, 5, 6, "division by zero");
    }

    @Test
    void malformedLiteralsAreSyntaxErrors() {
        assertError(V3 + "rz(0xZZ) q;\n", Kind.SYNTAX, 4, 4, "malformed integer '0xZZ'");
        assertError(V3 + "rz(1__) q;\n", Kind.SYNTAX, 4, 4, "malformed integer '1__'");
        assertError(V2 + "rz(0x10) q[0];\n", Kind.SYNTAX, 4, 4,
                "malformed integer '0x10': OpenQASM 2 integers are plain decimal digits");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void randomExpressionsFoldToWhatJavaComputes(long seed) throws Exception {
        for (boolean v3 : new boolean[] {false, true}) {
            Random random = new Random(seed * 31 + (v3 ? 1 : 0));
            for (int i = 0; i < 20; i++) {
                Generated e = generate(random, 4, v3);
                double folded = angle((v3 ? V3 + "rz(" + e.text + ") q;\n" : V2 + "rz(" + e.text + ") q[0];\n"));
                assertThat(folded).as(e.text).isCloseTo(e.value, within(1e-9 * Math.max(1, Math.abs(e.value))));
            }
        }
    }

    private record Generated(String text, double value) {
    }

    /** A random expression with only finite, well-defined steps, and its value as Java computes it. */
    private static Generated generate(Random r, int depth, boolean v3) {
        if (depth == 0 || r.nextInt(4) == 0) {
            return switch (r.nextInt(4)) {
                case 0 -> new Generated("pi", Math.PI);
                case 1 -> {
                    double v = r.nextInt(1000) / 100.0;
                    yield new Generated(Double.toString(v), v);
                }
                default -> {
                    int v = r.nextInt(9) + 1;
                    yield new Generated(Integer.toString(v), v);
                }
            };
        }
        Generated a = generate(r, depth - 1, v3);
        return switch (r.nextInt(8)) {
            case 0 -> {
                Generated b = generate(r, depth - 1, v3);
                yield new Generated("(" + a.text + " + " + b.text + ")", a.value + b.value);
            }
            case 1 -> {
                Generated b = generate(r, depth - 1, v3);
                yield new Generated("(" + a.text + " - " + b.text + ")", a.value - b.value);
            }
            case 2 -> {
                Generated b = generate(r, depth - 1, v3);
                yield new Generated(a.text + " * " + b.text, a.value * b.value);
            }
            case 3 -> {
                int d = r.nextInt(9) + 1;
                yield new Generated("(" + a.text + ") / " + d, a.value / d);
            }
            case 4 -> {
                int k = r.nextInt(4);
                yield new Generated("(" + a.text + ")" + (v3 ? " ** " : " ^ ") + k, Math.pow(a.value, k));
            }
            case 5 -> new Generated("-(" + a.text + ")", -a.value);
            case 6 -> new Generated("sin(" + a.text + ")", Math.sin(a.value));
            default -> new Generated("cos(" + a.text + ")", Math.cos(a.value));
        };
    }
}
