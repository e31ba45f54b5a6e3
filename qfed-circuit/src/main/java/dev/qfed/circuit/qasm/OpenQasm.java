package dev.qfed.circuit.qasm;

import dev.qfed.circuit.Circuit;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Entry point of the OpenQASM front end: parse OpenQASM 2.0 or 3 text into a {@link Circuit}, and print a
 * circuit back.
 *
 * <p>The version is read from the {@code OPENQASM} header: {@code OPENQASM 2.0;} selects OpenQASM 2.0 rules,
 * {@code OPENQASM 3;} or {@code OPENQASM 3.0;} the OpenQASM 3 rules, and a missing header means OpenQASM 3, as the
 * 3.0 specification says. OpenQASM 2.0 is read completely; of OpenQASM 3, the circuit subset: qubit and bit
 * registers, {@code const} and {@code input} declarations, gate definitions and calls with modifiers,
 * {@code gphase}, measure, reset, barrier, {@code if}/{@code else} on classical bits and {@code for} loops over
 * constant ranges. Everything else (subroutines, {@code while}, classical variables, timing, calibrations, …) is
 * refused with {@link QasmException.Kind#UNSUPPORTED}, never ignored.
 *
 * <p>Gate definitions, loops and constants are expanded; what remains is described at {@link Circuit}. Integer
 * arithmetic stays exact while it can: a division of integers that is not exact gives a real (so
 * {@code rz(1/2)} turns by 0.5), where a strict reading of OpenQASM 3 would truncate.
 *
 * <p>Every error is a {@link QasmException} whose {@link Diagnostic} names the file, line and column; all
 * {@link ParseLimits} are enforced before the work they bound is done.
 */
public final class OpenQasm {
    private OpenQasm() {
    }

    /**
     * Parses source text. Includes other than the built-in {@code qelib1.inc} and {@code stdgates.inc} are
     * resolved relative to {@code baseDirectory}; {@code null} forbids them.
     *
     * @param sourceName    the name errors report, usually the file name
     * @param baseDirectory the folder includes are resolved against, or null to forbid includes (for text that
     *                      arrived over the network, say)
     * @throws QasmException when the text is not a valid program in the supported subset or exceeds a limit
     */
    public static Circuit parse(String source, String sourceName, Path baseDirectory, ParseLimits limits)
            throws QasmException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(limits, "limits");
        SourceText text = new SourceText(sourceName, source);
        long bytes = utf8Length(source);
        if (bytes > limits.maxSourceBytes()) {
            throw tooLarge(text, bytes, limits);
        }
        return Elaborator.elaborate(text, Includes.forSource(sourceName, baseDirectory, limits), limits);
    }

    /**
     * Parses a file; its includes are resolved relative to its folder, and errors name it as {@code file} was
     * given.
     *
     * @throws QasmException as {@link #parse}; also, of kind {@link QasmException.Kind#SEMANTIC} at line 1, when
     *                       the file cannot be read
     */
    public static Circuit parseFile(Path file, ParseLimits limits) throws QasmException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(limits, "limits");
        String name = file.toString();
        try {
            Path real = file.toRealPath();
            long size = Files.size(real);
            if (size > limits.maxSourceBytes()) {
                throw tooLarge(new SourceText(name, ""), size, limits);
            }
            byte[] bytes = Files.readAllBytes(real);
            if (bytes.length > limits.maxSourceBytes()) {
                throw tooLarge(new SourceText(name, ""), bytes.length, limits);
            }
            String text;
            try {
                text = Includes.decode(bytes);
            } catch (CharacterCodingException e) {
                throw new Pos(new SourceText(name, ""), 1, 1).syntax("the file is not valid UTF-8 text");
            }
            return Elaborator.elaborate(new SourceText(name, text), Includes.forFile(file, real, limits), limits);
        } catch (IOException e) {
            throw new Pos(new SourceText(name, ""), 1, 1).semantic("cannot read the file: "
                    + (e instanceof java.nio.file.NoSuchFileException ? "it does not exist" : e.toString()));
        }
    }

    private static QasmException tooLarge(SourceText text, long bytes, ParseLimits limits) {
        return new Pos(text, 1, 1).limit("the source has " + bytes + " bytes, more than the limit of "
                + limits.maxSourceBytes() + " (ParseLimits.maxSourceBytes)");
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
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
