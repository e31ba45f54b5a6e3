package dev.qfed.circuit.qasm;

import org.junit.jupiter.api.Test;
import java.nio.file.*;

class ScratchTest {
    @Test
    void print() throws Exception {
        for (String s : Files.readString(Path.of("/tmp/cases.txt")).split("\n=====\n")) {
            try { QasmTesting.parse(s); System.out.println("OK: " + s.replace("\n", "⏎")); }
            catch (QasmException e) { System.out.println(e.kind() + " " + e.diagnostic().line() + ":" + e.diagnostic().column() + " | " + e.diagnostic().message() + "\n   " + e.diagnostic().sourceLine()); }
            catch (Throwable t) { System.out.println("CRASH " + t + " for " + s); }
        }
    }
}
