package dev.qfed.circuit.qasm;

import dev.qfed.circuit.qasm.QasmException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static dev.qfed.circuit.qasm.QasmTesting.assertError;
import static dev.qfed.circuit.qasm.QasmTesting.error;
import static dev.qfed.circuit.qasm.QasmTesting.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Hostile input ends in a LIMIT error, never an OutOfMemoryError, a StackOverflowError or a hang. */
class QasmLimitsTest {
    private static final String V2 = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n";
    private static final String V3 = "OPENQASM 3;\ninclude \"stdgates.inc\";\n";
    private static final ParseLimits D = ParseLimits.DEFAULT;

    private static ParseLimits limits(long maxSourceBytes, long maxOperations, long maxLoopIterations,
                                      int maxNestingDepth, int maxQubits) {
        return new ParseLimits(maxSourceBytes, D.maxIncludeDepth(), maxOperations, maxLoopIterations, maxNestingDepth,
                maxQubits);
    }

    @Test
    void aSourceLargerThanTheLimitIsRefusedBeforeParsing() {
        String source = V3 + "qubit q;\n" + "// padding\n".repeat(20);
        QasmException e = error(source, limits(100, D.maxOperations(), D.maxLoopIterations(), 256, 10));
        assertError(e, Kind.LIMIT, 1, 1, "the source has " + source.length()
                + " bytes, more than the limit of 100 (ParseLimits.maxSourceBytes)");
    }

    @Test
    void sourceBytesAreCountedInUtf8() {
        String source = "OPENQASM 3;\nconst float θ = 1;\n"; // θ takes two bytes
        assertThat(error(source, limits(source.length(), 10, 10, 10, 10)).kind()).isEqualTo(Kind.LIMIT);
    }

    @Test
    void exponentialGateNestingFailsBeforeExpanding() {
        StringBuilder src = new StringBuilder(V2 + "qreg q[1];\ngate g0 a { x a; }\n");
        for (int k = 1; k <= 40; k++) {
            src.append("gate g").append(k).append(" a { g").append(k - 1).append(" a; g").append(k - 1)
                    .append(" a; }\n");
        }
        src.append("g40 q[0];\n");
        assertError(src.toString(), Kind.LIMIT, 45, 1, "the program expands to more than 5000000 operations "
                + "(ParseLimits.maxOperations); this statement alone adds 1099511627776");
    }

    @Test
    void operationsAreCountedAcrossStatementsLoopsBroadcastsAndConditionals() {
        ParseLimits ten = limits(D.maxSourceBytes(), 10, D.maxLoopIterations(), 256, 100);
        assertThat(ops(V3 + "qubit[4] q;\nbit[4] c;\nh q;\nc = measure q;\nif (c[0]) x q[0];\n", ten)).hasSize(9);
        assertError(error(V3 + "qubit[4] q;\nbit[4] c;\nh q;\nc = measure q;\nx q[0];\nh q[0:1];\n", ten),
                Kind.LIMIT, 8, 1, "the program expands to more than 10 operations (ParseLimits.maxOperations); this "
                        + "statement alone adds 2");
        assertThat(error(V3 + "qubit q;\nfor int i in [0:10] x q;\n", ten).diagnostic().line()).isEqualTo(4);
        String twoOps = V3 + "gate k a { x a; }\ngate g a { pow(11) @ x a; pow(-1) @ k a; }\nqubit q;\n";
        assertThat(ops(twoOps + "pow(5) @ g q;\n", ten)).hasSize(10);
        assertError(error(twoOps + "pow(5) @ g q;\npow(6) @ g q;\n", ten), Kind.LIMIT, 7, 10, "the program "
                + "expands to more than 10 operations (ParseLimits.maxOperations); this statement alone adds 12");
    }

    @Test
    void aHugePowerOfAUserGateIsRefusedBeforeExpanding() {
        assertError(V3 + "gate g a { x a; }\nqubit q;\npow(1e18) @ g q;\n", Kind.LIMIT, 5, 13,
                "the program expands to more than 5000000 operations (ParseLimits.maxOperations); this statement "
                        + "alone adds 4611686018427387903");
    }

    @Test
    void loopIterationsAreCountedOverAllLoopsTogether() {
        assertError(V3 + "qubit q;\nfor int i in [0:999999] { }\nfor int i in [1:1] { }\n", Kind.LIMIT, 5, 1,
                "the loops run more than 1000000 iterations in all (ParseLimits.maxLoopIterations); this loop alone "
                        + "runs 1");
        assertError(V3 + "qubit q;\nfor int i in [0:9223372036854775807] { }\n", Kind.LIMIT, 4, 1,
                "the loops run more than 1000000 iterations in all (ParseLimits.maxLoopIterations); this loop alone "
                        + "runs more than 9223372036854775807");
        ParseLimits hundred = limits(D.maxSourceBytes(), D.maxOperations(), 100, 256, 10);
        assertThat(error(V3 + "qubit q;\nfor int i in [1:10] { for int j in [1:10] { } }\n", hundred).kind())
                .isEqualTo(Kind.LIMIT);
    }

    @Test
    void classicalWorkInLoopsIsBoundedToo() {
        ParseLimits small = limits(10_000, 10, D.maxLoopIterations(), 256, 10);
        QasmException e = error(V3 + "for int i in [0:999999] { const int a = i * 2; }\n", small);
        assertThat(e.kind()).isEqualTo(Kind.LIMIT);
        assertThat(e.diagnostic().message()).startsWith("elaborating the program takes more than 10320 steps");
    }

    static Stream<Arguments> deepNesting() {
        int n = 100_000;
        return Stream.of(
                arguments("parentheses", V3 + "qubit q;\nrz(" + "(".repeat(n) + "1" + ")".repeat(n) + ") q;\n"),
                arguments("unary minus", V3 + "qubit q;\nrz(" + "-".repeat(n) + "1) q;\n"),
                arguments("left-deep sums", V3 + "qubit q;\nrz(1" + "+1".repeat(n) + ") q;\n"),
                arguments("right-associative powers", V3 + "qubit q;\nrz(1" + "**1".repeat(n) + ") q;\n"),
                arguments("OpenQASM 2 powers", V2 + "qreg q[1];\nrz(1" + "^1".repeat(n) + ") q[0];\n"),
                arguments("function calls", V3 + "qubit q;\nrz(" + "sin(".repeat(n) + "1" + ")".repeat(n) + ") q;\n"),
                arguments("blocks", V3 + "qubit q;\nbit c;\n" + "if (c) {".repeat(n) + "}".repeat(n) + "\n"),
                arguments("else-if chains", V3 + "qubit q;\nbit c;\nif (c) x q;" + " else if (c) x q;".repeat(n) + "\n"),
                arguments("loops", V3 + "qubit q;\n" + "for i in [0:0] ".repeat(n) + "x q;\n"),
                arguments("modifiers", V3 + "qubit q;\n" + "inv @ ".repeat(n) + "x q;\n"),
                arguments("conditions", V3 + "qubit q;\nbit c;\nif (" + "!".repeat(n) + "c) x q;\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deepNesting")
    void deepNestingFailsAtTheDepthLimitOnADefaultSizedStack(String what, String source) throws Exception {
        // 1 MiB: the JVM's default thread stack on 64-bit Linux, macOS and Windows (surefire runs with more)
        Throwable thrown = parseOnThreadWithStack(source, ParseLimits.DEFAULT, 1024 * 1024);
        assertThat(thrown).isInstanceOf(QasmException.class);
        assertThat(((QasmException) thrown).kind()).as(thrown.getMessage()).isEqualTo(Kind.LIMIT);
        assertThat(((QasmException) thrown).diagnostic().message()).containsPattern(
                "^((nesting|expression nested) deeper than 256 levels|more than 256 gate modifiers on one call) "
                        + "\\(ParseLimits.maxNestingDepth\\)");
    }

    @Test
    void aStackOverflowUnderGenerousLimitsBecomesALimitError() throws Exception {
        ParseLimits generous = limits(D.maxSourceBytes(), D.maxOperations(), D.maxLoopIterations(), 1_000_000, 10);
        int n = 100_000;
        Throwable thrown = parseOnThreadWithStack(V3 + "qubit q;\nrz(" + "(".repeat(n) + "1" + ")".repeat(n) + ") q;\n",
                generous, 256 * 1024);
        assertThat(thrown).isInstanceOf(QasmException.class);
        assertThat(((QasmException) thrown).kind()).isEqualTo(Kind.LIMIT);
        assertThat(((QasmException) thrown).diagnostic().message()).isEqualTo("the program nests too deeply for "
                + "this thread's stack; lower ParseLimits.maxNestingDepth (now 1000000) or give the parsing thread a "
                + "larger stack");
        assertThat(((QasmException) thrown).diagnostic().line()).isEqualTo(4);
    }

    private static Throwable parseOnThreadWithStack(String source, ParseLimits limits, long stackBytes)
            throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                parse(source, limits);
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "sized-stack", stackBytes);
        t.start();
        t.join();
        return thrown.get();
    }

    @Test
    void theNestingErrorPointsAtTheFirstLevelBeyondTheLimit() {
        ParseLimits three = limits(D.maxSourceBytes(), D.maxOperations(), D.maxLoopIterations(), 3, 10);
        assertThat(ops(V3 + "qubit q;\nrz((1)) q;\n", three)).hasSize(1);
        assertError(error(V3 + "qubit q;\nrz((((1)))) q;\n", three), Kind.LIMIT, 4, 5,
                "nesting deeper than 3 levels (ParseLimits.maxNestingDepth); flatten the expression or block "
                        + "structure");
    }

    @Test
    void gateDefinitionsNestOnlySoDeep() {
        StringBuilder src = new StringBuilder(V3 + "gate g0 a { x a; }\n");
        for (int k = 1; k <= 256; k++) {
            src.append("gate g").append(k).append(" a { g").append(k - 1).append(" a; }\n");
        }
        assertError(src.toString(), Kind.LIMIT, 259, 6,
                "gate definitions nest more than 256 levels deep (ParseLimits.maxNestingDepth)");
    }

    @Test
    void symbolicParametersThatGrowExponentiallyAreRefused() {
        StringBuilder src = new StringBuilder(V3 + "input float w;\ngate g0(a) q { rz(a) q; }\n");
        for (int k = 1; k <= 40; k++) {
            src.append("gate g").append(k).append("(a) q { g").append(k - 1).append("(a + a) q; }\n");
        }
        src.append("qubit q;\ng40(w) q;\n");
        QasmException e = error(src.toString());
        assertThat(e.kind()).isEqualTo(Kind.LIMIT);
        assertThat(e.diagnostic().message()).startsWith("this parameter expression grows beyond 100000 terms");
    }

    @Test
    void hugeRegistersAreRefusedWithoutOverflow() {
        assertError("OPENQASM 2.0;\nqreg q[99999999999];\n", Kind.LIMIT, 2, 8, "declaring 99999999999 more qubits "
                + "(after 0) exceeds the limit of 10000 qubits (ParseLimits.maxQubits)");
        assertError("OPENQASM 2.0;\nqreg q[99999999999999999999999999];\n", Kind.LIMIT, 2, 8,
                "declaring 1.0E26 more qubits (after 0) exceeds the limit of 10000 qubits (ParseLimits.maxQubits)");
        assertError("OPENQASM 3;\nqubit[2 ** 62 * 8] q;\n", Kind.LIMIT, 2, 7,
                "declaring 3.6893488147419103E19 more qubits (after 0) exceeds the limit of 10000 qubits "
                        + "(ParseLimits.maxQubits)");
    }

    @Test
    void qubitsAndClassicalBitsAreCountedSeparately() throws Exception {
        ParseLimits four = limits(D.maxSourceBytes(), D.maxOperations(), D.maxLoopIterations(), 256, 4);
        assertThat(parse("OPENQASM 3;\nqubit[3] a;\nqubit b;\nbit[4] c;\n", four).numQubits()).isEqualTo(4);
        assertError(error("OPENQASM 3;\nqubit[3] a;\nqubit b;\nqubit c;\n", four), Kind.LIMIT, 4, 7,
                "declaring 1 more qubits (after 4) exceeds the limit of 4 qubits (ParseLimits.maxQubits)");
        assertError(error("OPENQASM 3;\nbit[3] a;\nbit[2] b;\n", four), Kind.LIMIT, 3, 5,
                "declaring 2 more classical bits (after 3) exceeds the limit of 4 classical bits "
                        + "(ParseLimits.maxQubits)");
    }

    private static java.util.List<dev.qfed.circuit.Operation> ops(String source, ParseLimits limits) {
        try {
            return parse(source, limits).operations();
        } catch (QasmException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
