package dev.qfed.cli.emulate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qfed.circuit.Circuit;
import dev.qfed.cli.ExitCode;
import dev.qfed.cli.OutputFormat;
import dev.qfed.emulator.Emulator;
import dev.qfed.emulator.Probabilities;
import dev.qfed.emulator.Statevector;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code qfed simulate FILE --statevector|--probabilities}: exact results, no sampling. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Compute a circuit's exact final state or exact outcome probabilities on the local emulator.",
        footer = {"", "--statevector: amplitude index = sum of bit(q_i)*2^i over qubits in declaration order (Qiskit's order);",
                "  final measurements are ignored, mid-circuit measurements are an error.",
                "--probabilities: over classical bit strings, bit 0 rightmost; mid-circuit measurement and",
                "  classical control are followed exactly (every branch)."})
public final class SimulateCommand implements Callable<Integer>, OutputFormat.Selectable {

    /** Amplitudes below this magnitude are left out of the text table (never out of JSON). */
    private static final double SHOWN_AMPLITUDE = 1e-12;
    private static final int MAX_TEXT_ROWS = 64;

    @Mixin
    CircuitInput input;

    @Mixin
    EmulatorFlags emulator;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(names = "--statevector", required = true, description = "Print the final state vector.")
        boolean statevector;

        @Option(names = "--probabilities", required = true, description = "Print the probability of each classical outcome.")
        boolean probabilities;
    }

    @Option(names = "--output", paramLabel = "text|json", defaultValue = "text", description = "text (default) or json.")
    OutputFormat output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public OutputFormat output() {
        return output;
    }

    @Override
    public Integer call() throws Exception {
        Emulator engine = new Emulator(emulator.options());
        engine.prepare(input.declaredQubitsHint()); // kernel warm-up overlaps the parse
        Circuit circuit = input.load(System.in);
        PrintWriter out = spec.commandLine().getOut();
        if (mode.statevector) {
            printStatevector(out, circuit, engine.statevector(circuit));
        } else {
            printProbabilities(out, circuit, engine.probabilities(circuit));
        }
        out.flush();
        return ExitCode.OK.code();
    }

    private void printStatevector(PrintWriter out, Circuit circuit, Statevector state) throws Exception {
        double[] a = state.amplitudes();
        if (output == OutputFormat.JSON) {
            // streamed: a 24-qubit state is 16 M numbers, too many for an intermediate tree
            try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
                json.writeStartObject();
                json.writeNumberField("qubits", state.numQubits());
                json.writeArrayFieldStart("statevector");
                for (int i = 0; i < a.length; i += 2) {
                    json.writeStartArray();
                    json.writeNumber(a[i]);
                    json.writeNumber(a[i + 1]);
                    json.writeEndArray();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            out.println();
            return;
        }
        out.printf("%s: %d qubits; basis states written q%d…q0%n", input.name(), circuit.numQubits(),
                Math.max(0, circuit.numQubits() - 1));
        out.printf("%-" + Math.max(5, state.numQubits()) + "s  %24s  %11s%n", "basis", "amplitude", "probability");
        int shown = 0;
        int hidden = 0;
        for (int i = 0; i < a.length / 2; i++) {
            double re = a[2 * i];
            double im = a[2 * i + 1];
            if (Math.hypot(re, im) < SHOWN_AMPLITUDE) {
                continue;
            }
            if (shown == MAX_TEXT_ROWS) {
                hidden++;
                continue;
            }
            shown++;
            String basis = state.numQubits() == 0 ? "-" : pad(Integer.toBinaryString(i), state.numQubits());
            out.printf(Locale.ROOT, "%-" + Math.max(5, state.numQubits()) + "s  %11.8f %+11.8fi  %11.8f%n",
                    basis, shown(re), shown(im), re * re + im * im);
        }
        if (hidden > 0) {
            out.printf("... %d more non-zero amplitudes (use --output json for all)%n", hidden);
        }
    }

    private void printProbabilities(PrintWriter out, Circuit circuit, Probabilities probabilities) throws Exception {
        if (output == OutputFormat.JSON) {
            out.println(new ObjectMapper().writeValueAsString(Map.of("probabilities", probabilities.byBitstring())));
            return;
        }
        out.printf("%s: %d qubits, %d classical bits%n", input.name(), circuit.numQubits(), circuit.numClbits());
        List<Map.Entry<String, Double>> rows = new ArrayList<>(probabilities.byBitstring().entrySet());
        TextReport.histogram(out, "outcome", rows, 1.0, false);
    }

    /** Rounding noise such as -1e-17 would print as "-0.00000000"; show it as zero. */
    private static double shown(double x) {
        return Math.abs(x) < 5e-9 ? 0.0 : x;
    }

    private static String pad(String bits, int width) {
        return "0".repeat(Math.max(0, width - bits.length())) + bits;
    }
}
