package dev.qfed.cli.emulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CircuitInputTest {

    @TempDir
    Path dir;

    private CircuitInput input(String file) {
        CircuitInput input = new CircuitInput();
        input.file = file;
        return input;
    }

    @Test
    void theQubitHintAddsUpTheRegistersOfOpenQasm2And3() throws IOException {
        Path two = Files.writeString(dir.resolve("two.qasm"),
                "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg a[3];\nqreg  b [ 20 ];\ncreg c[23];\nh a[0];\n");
        Path three = Files.writeString(dir.resolve("three.qasm"),
                "OPENQASM 3.0;\nqubit[5] q;\nqubit[2] r;\nbit[7] c;\n");
        assertThat(input(two.toString()).declaredQubitsHint()).isEqualTo(23);
        assertThat(input(three.toString()).declaredQubitsHint()).isEqualTo(7);
    }

    @Test
    void theQubitHintIsZeroWhenTheFileCannotBeReadBeforeTheParse() {
        assertThat(input("-").declaredQubitsHint()).isZero();
        assertThat(input(dir.resolve("missing.qasm").toString()).declaredQubitsHint()).isZero();
    }
}
