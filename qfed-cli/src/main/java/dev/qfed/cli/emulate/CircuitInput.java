package dev.qfed.cli.emulate;

import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.qasm.OpenQasm;
import dev.qfed.circuit.qasm.ParseLimits;
import dev.qfed.circuit.qasm.QasmException;
import dev.qfed.cli.CliException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The circuit a command works on: an OpenQASM file (or {@code -} for standard input) and its input values. */
public final class CircuitInput {

    @Parameters(index = "0", paramLabel = "FILE", description = "OpenQASM 2.0 or 3 source file, or - for standard input.")
    String file;

    @Option(names = "--param", paramLabel = "NAME=VALUE",
            description = "Value of an OpenQASM 3 input parameter (input angle/float); repeatable.")
    List<String> params = new ArrayList<>();

    /** The file's name as errors and reports show it. */
    public String name() {
        return file.equals("-") ? "<stdin>" : file;
    }

    private static final java.util.regex.Pattern QUBIT_DECLARATION = java.util.regex.Pattern.compile(
            "\\b(?:qreg\\s+\\w+\\s*\\[\\s*(\\d{1,3})\\s*]|qubit\\s*\\[\\s*(\\d{1,3})\\s*])");

    /**
     * The qubits the file declares, by a quick scan of its {@code qreg}/{@code qubit[n]} declarations before the
     * parse: a hint that lets a command start preparing the emulator while the file is parsed. 0 when unknown
     * (standard input, an unreadable file); the parse decides and reports errors.
     */
    public int declaredQubitsHint() {
        if (file.equals("-")) {
            return 0;
        }
        String text;
        try {
            text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        int qubits = 0;
        java.util.regex.Matcher m = QUBIT_DECLARATION.matcher(text);
        while (m.find()) {
            qubits += Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return qubits;
    }

    /** Parses the file and binds every input; all inputs must have a value. */
    public Circuit load(InputStream stdin) throws QasmException {
        Circuit parsed;
        if (file.equals("-")) {
            String source;
            try {
                source = new String(stdin.readNBytes((int) Math.min(Integer.MAX_VALUE - 8,
                        ParseLimits.DEFAULT.maxSourceBytes() + 1)), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw CliException.usage("cannot read standard input: " + e.getMessage());
            }
            parsed = OpenQasm.parse(source, "<stdin>", Path.of("").toAbsolutePath(), ParseLimits.DEFAULT);
        } else {
            Path path = Path.of(file);
            if (!Files.isRegularFile(path)) {
                throw CliException.usage("cannot read " + file + ": " + (Files.exists(path) ? "not a regular file"
                        : "no such file") + " (give an OpenQASM file, or - to read standard input)");
            }
            try {
                parsed = OpenQasm.parseFile(path, ParseLimits.DEFAULT);
            } catch (UncheckedIOException | SecurityException e) {
                throw CliException.usage("cannot read " + file + ": " + e.getMessage());
            }
        }
        Map<String, Double> values = parseParams();
        Circuit bound;
        try {
            bound = parsed.bind(values);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
        if (!bound.unboundParameters().isEmpty()) {
            String missing = String.join(", ", bound.unboundParameters());
            throw CliException.usage("the circuit's input(s) " + missing + " need a value: pass --param "
                    + bound.unboundParameters().iterator().next() + "=VALUE");
        }
        return bound;
    }

    private Map<String, Double> parseParams() {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String p : params) {
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw CliException.usage("--param takes NAME=VALUE, e.g. --param theta=0.3; got '" + p + "'");
            }
            String name = p.substring(0, eq).trim();
            String text = p.substring(eq + 1).trim();
            double value;
            try {
                value = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw CliException.usage("--param " + name + ": '" + text + "' is not a number");
            }
            if (!Double.isFinite(value)) {
                throw CliException.usage("--param " + name + ": the value must be a finite number, got " + text);
            }
            if (values.put(name, value) != null) {
                throw CliException.usage("--param " + name + " is given twice");
            }
        }
        return values;
    }
}
