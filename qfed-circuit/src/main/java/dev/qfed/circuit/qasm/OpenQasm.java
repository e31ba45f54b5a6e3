package dev.qfed.circuit.qasm;

import dev.qfed.circuit.Circuit;

import java.nio.file.Path;

/**
 * Entry point of the OpenQASM front end: parse OpenQASM 2.0 or 3 text into a {@link Circuit}, and print a
 * circuit back. The version is read from the {@code OPENQASM} header (a missing header means 2.0 for
 * compatibility with files that omit it).
 */
public final class OpenQasm {
    private OpenQasm() {
    }

    /**
     * Parses source text. Includes other than the built-in {@code qelib1.inc} and {@code stdgates.inc} are
     * resolved relative to {@code baseDirectory}; {@code null} forbids them.
     *
     * @param sourceName the name errors report, usually the file name
     */
    public static Circuit parse(String source, String sourceName, Path baseDirectory, ParseLimits limits)
            throws QasmException {
        throw new UnsupportedOperationException("front end not written yet");
    }

    /** Parses a file; its includes are resolved relative to its folder. */
    public static Circuit parseFile(Path file, ParseLimits limits) throws QasmException {
        throw new UnsupportedOperationException("front end not written yet");
    }

    /**
     * Prints a circuit as OpenQASM text that parses back to an equal circuit.
     *
     * @throws IllegalArgumentException when the circuit uses something the dialect cannot express (for example
     *                                  {@code gphase} or a single-bit condition in OpenQASM 2)
     */
    public static String print(Circuit circuit, QasmVersion version) {
        return QasmPrinter.print(circuit, version);
    }
}
