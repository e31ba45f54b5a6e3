package dev.qfed.circuit.qasm;

import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.Register;
import dev.qfed.circuit.StandardGate;
import dev.qfed.circuit.qasm.QasmException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.qfed.circuit.qasm.QasmTesting.assertError;
import static dev.qfed.circuit.qasm.QasmTesting.g;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Includes read real files: relative to the including file, with cycle, depth and size checks. */
class QasmIncludeTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private Circuit parse(String source) throws QasmException {
        return OpenQasm.parse(source, "main.qasm", dir, ParseLimits.DEFAULT);
    }

    private QasmException error(String source) {
        return error(source, ParseLimits.DEFAULT);
    }

    private QasmException error(String source, ParseLimits limits) {
        QasmException e = catchThrowableOfType(QasmException.class,
                () -> OpenQasm.parse(source, "main.qasm", dir, limits));
        assertThat(e).isNotNull();
        return e;
    }

    @Test
    void anIncludedFileDefinesGatesRelativeToTheBaseDirectory() throws Exception {
        write("defs.inc", "gate bell a, b { h a; cx a, b; }\n");
        Circuit c = parse("OPENQASM 3;\ninclude \"stdgates.inc\";\ninclude \"defs.inc\";\nqubit[2] q;\nbell q[0], q[1];\n");
        assertThat(c.operations()).containsExactly(g(StandardGate.H, 0), g(StandardGate.CX, 0, 1));
    }

    @Test
    void nestedIncludesResolveAgainstTheIncludingFilesFolder() throws Exception {
        write("lib/a.inc", "include \"b.inc\";\ngate a2 q { b1 q; b1 q; }\n");
        write("lib/b.inc", "gate b1 q { x q; }\n");
        Path main = write("main.qasm", "OPENQASM 3;\ninclude \"stdgates.inc\";\ninclude \"lib/a.inc\";\nqubit q;\na2 q;\n");
        assertThat(OpenQasm.parseFile(main, ParseLimits.DEFAULT).operations())
                .containsExactly(g(StandardGate.X, 0), g(StandardGate.X, 0));
    }

    @Test
    void anOpenQasm2IncludedFileMayHoldAnyStatement() throws Exception {
        write("setup.inc", "qreg q[2];\ncreg c[2];\nh q[0];\n");
        Circuit c = parse("OPENQASM 2.0;\ninclude \"qelib1.inc\";\ninclude \"setup.inc\";\ncx q[0], q[1];\n");
        assertThat(c.qregs()).containsExactly(Register.of("q", 2));
        assertThat(c.operations()).containsExactly(g(StandardGate.H, 0), g(StandardGate.CX, 0, 1));
    }

    @Test
    void anIncludedFileMayRepeatTheIncludersHeader() throws Exception {
        write("defs.inc", "OPENQASM 3.0;\ngate nop q { }\n");
        assertThat(parse("OPENQASM 3;\ninclude \"defs.inc\";\nqubit q;\nnop q;\n").operations()).isEmpty();
    }

    @Test
    void anIncludedFileWithAnotherVersionIsRefused() throws Exception {
        write("old.inc", "OPENQASM 2.0;\nqreg q[1];\n");
        QasmException e = error("OPENQASM 3;\ninclude \"old.inc\";\n");
        assertThat(e.diagnostic().file()).isEqualTo("old.inc");
        assertError(e, Kind.SEMANTIC, 1, 10, "this included file declares OpenQASM 2.0 but the file including it is "
                + "OpenQASM 3; both must use the same version");
    }

    @Test
    void errorsInsideAnIncludedFileReportThatFile() throws Exception {
        write("lib/a.inc", "include \"b.inc\";\n");
        write("lib/b.inc", "// b\ngate g q {\n  hh q;\n}\n");
        QasmException e = error("OPENQASM 3;\ninclude \"stdgates.inc\";\ninclude \"lib/a.inc\";\n");
        assertThat(e.diagnostic().file()).isEqualTo("lib/b.inc");
        assertThat(e.diagnostic().sourceLine()).isEqualTo("  hh q;");
        assertError(e, Kind.SEMANTIC, 3, 3, "undefined gate 'hh'");
        assertThat(e.diagnostic().format()).startsWith("lib/b.inc:3:3: error: undefined gate 'hh'");
    }

    @Test
    void syntaxErrorsInsideAnIncludedFileReportThatFileToo() throws Exception {
        write("bad.inc", "gate g q { x q }\n");
        QasmException e = error("OPENQASM 3;\ninclude \"stdgates.inc\";\ninclude \"bad.inc\";\n");
        assertThat(e.diagnostic().file()).isEqualTo("bad.inc");
        assertError(e, Kind.SYNTAX, 1, 16, "expected ';' after the statement, found '}'");
    }

    @Test
    void parseFileReportsErrorsWithThePathItWasGiven() throws Exception {
        write("lib/defs.inc", "qubit q;\nfoo q;\n");
        Path main = write("main.qasm", "OPENQASM 3;\ninclude \"lib/defs.inc\";\n");
        QasmException e = catchThrowableOfType(QasmException.class,
                () -> OpenQasm.parseFile(main, ParseLimits.DEFAULT));
        assertThat(e.diagnostic().file()).isEqualTo(dir.resolve("lib/defs.inc").toString());
        assertError(e, Kind.SEMANTIC, 2, 1, "undefined gate 'foo'");
    }

    @Test
    void anIncludeCycleIsRefusedShowingTheChain() throws Exception {
        write("a.inc", "include \"b.inc\";\n");
        write("b.inc", "// b\ninclude \"a.inc\";\n");
        QasmException e = error("OPENQASM 3;\ninclude \"a.inc\";\n");
        assertThat(e.diagnostic().file()).isEqualTo("b.inc");
        assertError(e, Kind.SEMANTIC, 2, 9,
                "include cycle: main.qasm → a.inc → b.inc → a.inc; remove one of these includes");
    }

    @Test
    void aFileIncludingItselfIsACycle() throws Exception {
        Path main = write("main.qasm", "OPENQASM 3;\ninclude \"main.qasm\";\n");
        QasmException e = catchThrowableOfType(QasmException.class, () -> OpenQasm.parseFile(main, ParseLimits.DEFAULT));
        assertError(e, Kind.SEMANTIC, 2, 9, "include cycle: " + main + " → " + main + "; remove one of these includes");
    }

    @Test
    void theRootGivenAsTextIsPartOfTheCycleCheckWhenItExistsInTheBaseDirectory() throws Exception {
        String text = "OPENQASM 3;\ninclude \"helper.inc\";\n";
        write("main.qasm", text);
        write("helper.inc", "include \"main.qasm\";\n");
        assertError(error(text), Kind.SEMANTIC, 1, 9,
                "include cycle: main.qasm → helper.inc → main.qasm; remove one of these includes");
    }

    @Test
    void includingTheSameFileTwiceWithoutACycleRedeclares() throws Exception {
        write("defs.inc", "gate nop q { }\n");
        QasmException e = error("OPENQASM 3;\ninclude \"defs.inc\";\ninclude \"defs.inc\";\n");
        assertThat(e.diagnostic().file()).isEqualTo("defs.inc");
        assertError(e, Kind.SEMANTIC, 1, 6, "'nop' is already declared at defs.inc:1 as a gate; choose another name");
    }

    @Test
    void includesNestOnlyToTheLimit() throws Exception {
        for (int i = 1; i <= 20; i++) {
            write("f" + i + ".inc", "include \"f" + (i + 1) + ".inc\";\n");
        }
        write("f21.inc", "\n");
        QasmException e = error("OPENQASM 3;\ninclude \"f1.inc\";\n");
        assertThat(e.diagnostic().file()).isEqualTo("f16.inc");
        assertError(e, Kind.LIMIT, 1, 9, "includes nest more than 16 levels deep (ParseLimits.maxIncludeDepth)");
    }

    @Test
    void aZeroIncludeDepthStillAllowsTheBuiltInLibraries() throws Exception {
        ParseLimits none = new ParseLimits(1 << 20, 0, 1000, 1000, 64, 100);
        write("defs.inc", "\n");
        assertThat(OpenQasm.parse("OPENQASM 3;\ninclude \"stdgates.inc\";\nqubit q;\nh q;\n", "main.qasm", dir, none)
                .operations()).hasSize(1);
        assertThat(error("OPENQASM 3;\ninclude \"defs.inc\";\n", none).kind()).isEqualTo(Kind.LIMIT);
    }

    @Test
    void aMissingIncludedFileIsNamed() {
        QasmException e = error("OPENQASM 3;\ninclude \"nowhere.inc\";\n");
        assertError(e, Kind.SEMANTIC, 2, 9, "cannot find included file \"nowhere.inc\" (looked for "
                + dir.resolve("nowhere.inc") + "); check the name, which is relative to the including file's folder");
    }

    @Test
    void anIncludedFileLargerThanTheLimitIsRefusedBeforeReading() throws Exception {
        write("big.inc", "// " + "x".repeat(2000) + "\n");
        ParseLimits small = new ParseLimits(1000, 16, 1000, 1000, 64, 100);
        assertError(error("OPENQASM 3;\ninclude \"big.inc\";\n", small), Kind.LIMIT, 2, 9,
                "included file \"big.inc\" has 2004 bytes, more than the limit of 1000 (ParseLimits.maxSourceBytes)");
    }

    @Test
    void anIncludedFileThatIsNotUtf8IsASyntaxError() throws Exception {
        Files.write(dir.resolve("latin1.inc"), new byte[] {'/', '/', ' ', (byte) 0xE9, '\n'});
        assertError(error("OPENQASM 3;\ninclude \"latin1.inc\";\n"), Kind.SYNTAX, 2, 9,
                "included file \"latin1.inc\" is not valid UTF-8 text");
    }

    @Test
    void includesInsideABlockAreRefused() throws Exception {
        write("defs.inc", "\n");
        assertError(error("OPENQASM 3;\nfor int i in [0:1] { include \"defs.inc\"; }\n"), Kind.SEMANTIC, 2, 30,
                "an include must be at global scope, not inside a block");
    }

    @Test
    void parseFileReportsAMissingFile() {
        Path missing = dir.resolve("missing.qasm");
        QasmException e = catchThrowableOfType(QasmException.class,
                () -> OpenQasm.parseFile(missing, ParseLimits.DEFAULT));
        assertThat(e.diagnostic().file()).isEqualTo(missing.toString());
        assertError(e, Kind.SEMANTIC, 1, 1, "cannot read the file: it does not exist");
    }

    @Test
    void parseFileRefusesAFileLargerThanTheLimit() throws Exception {
        Path big = write("big.qasm", "OPENQASM 3;\n" + "// padding\n".repeat(200));
        QasmException e = catchThrowableOfType(QasmException.class,
                () -> OpenQasm.parseFile(big, new ParseLimits(1000, 16, 1000, 1000, 64, 100)));
        assertError(e, Kind.LIMIT, 1, 1, "the source has 2212 bytes, more than the limit of 1000 "
                + "(ParseLimits.maxSourceBytes)");
    }

    @Test
    void parseFileSkipsAByteOrderMark() throws Exception {
        Path main = dir.resolve("bom.qasm");
        Files.writeString(main, "\uFEFFOPENQASM 2.0;\nqreg q[1];\nU(0, 0, 0) q[0];\n");
        assertThat(OpenQasm.parseFile(main, ParseLimits.DEFAULT).operations()).hasSize(1);
    }
}
