package dev.qfed.circuit.qasm;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Mangled programs end in a circuit or a QasmException: never another exception, never a hang. */
class QasmRobustnessTest {
    private static final List<String> PROGRAMS = List.of(
            """
            OPENQASM 2.0;
            include "qelib1.inc";
            gate rot(theta, phi) a, b { rz(theta) a; cx a, b; ry(phi / 2) b; barrier a, b; }
            opaque magic(x) a;
            qreg q[3]; creg c[3];
            rot(pi, 1^2) q[2], q[0];
            magic(0.5) q[1];
            h q; cx q[0], q[1];
            measure q -> c;
            if (c == 5) x q[1];
            reset q[0];
            """,
            """
            OPENQASM 3.0;
            include "stdgates.inc";
            input angle theta;
            const int n = 3;
            qubit[n] q; bit[n] c; qubit s; bit b;
            gate g(a) x, y { ctrl @ rz(a / 2) x, y; gphase(a); inv @ s x; }
            inv @ ctrl @ g(theta + pi) s, q[0], q[1];
            pow(2) @ g(0.1) q[1], q[2];
            for uint i in [0:n - 1] { h q[i]; }
            for int j in {2, 0} { x q[j]; }
            c = measure q;
            b = measure s;
            if (!c[0]) { x q[1]; } else if (c == 3) { z q[-1]; } else { barrier; }
            negctrl(2) @ x q[0:1], s;
            """);
    private static final List<String> FRAGMENTS = List.of("(", ")", "[", "]", "{", "}", ";", ",", "@", "->", "==",
            "**", "^", "-", "/", "0", "1.5e3", "99999999999999999999", "pi", "q", "c", "x", "gate ", "if (c) ",
            "for i in [0:2] ", "ctrl @ ", "pow(-1) @ ", "inv @ ", "measure ", "\"", "/*", "//", "\n", " ", "$1",
            "100ns", "π", "qubit[2] r;", "include \"x.inc\";", "OPENQASM 2.0;");

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18})
    void mangledProgramsFailOnlyWithQasmExceptions(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 150; i++) {
            String source = mangle(PROGRAMS.get(random.nextInt(PROGRAMS.size())), random);
            try {
                QasmTesting.parse(source);
            } catch (QasmException e) {
                assertThat(e.diagnostic().line()).isPositive();
                assertThat(e.diagnostic().column()).isPositive();
                assertThat(e.diagnostic().message()).isNotBlank();
            } catch (RuntimeException e) {
                throw new AssertionError("unexpected " + e + " for:\n" + source, e);
            }
        }
    }

    private static String mangle(String program, Random random) {
        StringBuilder s = new StringBuilder(program);
        int edits = 1 + random.nextInt(4);
        for (int k = 0; k < edits && !s.isEmpty(); k++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(4)) {
                case 0 -> s.delete(at, Math.min(s.length(), at + 1 + random.nextInt(8)));
                case 1 -> s.insert(at, FRAGMENTS.get(random.nextInt(FRAGMENTS.size())));
                case 2 -> {
                    int end = Math.min(s.length(), at + 1 + random.nextInt(30));
                    s.insert(at, s.substring(at, end));
                }
                default -> s.setLength(at);
            }
        }
        return s.toString();
    }
}
