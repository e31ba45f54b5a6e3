package dev.qfed.cli.emulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qfed.circuit.Circuit;
import dev.qfed.cli.CliException;
import dev.qfed.cli.ExitCode;
import dev.qfed.cli.OutputFormat;
import dev.qfed.emulator.Emulator;
import dev.qfed.emulator.EmulatorOptions;
import dev.qfed.emulator.RunRequest;
import dev.qfed.emulator.RunResult;
import dev.qfed.emulator.noise.DeviceDescription;
import dev.qfed.emulator.noise.DeviceDescriptionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code qfed run FILE --shots N --seed S [--noise device.json] [--memory]}: sample shots on the local emulator. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run an OpenQASM circuit on the local emulator and print the counts of measured bit strings.",
        footer = {"", "Bit strings list all classical bits in declaration order, bit 0 rightmost (Qiskit's order).",
                "The same --seed gives the same counts at any --threads."})
public final class RunCommand implements Callable<Integer>, OutputFormat.Selectable {

    @Mixin
    CircuitInput input;

    @Mixin
    EmulatorFlags emulator;

    @Option(names = "--shots", paramLabel = "N", defaultValue = "1024", description = "Number of shots (default 1024).")
    long shots;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed; the same seed gives the same counts. Default: a random one, printed.")
    Long seed;

    @Option(names = "--noise", paramLabel = "DEVICE",
            description = "Noise from a device description: a JSON file, or a bundled device (low-noise-5, noisy-20, heavy-hex-27). Its calibration (T1, T2, gate and readout errors) sets the noise.")
    String noise;

    @Option(names = "--memory", description = "Also list every shot's bit string, in shot order.")
    boolean memory;

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
        if (shots < 1 || shots > 100_000_000) {
            throw CliException.usage("--shots must be between 1 and 100000000, got " + shots);
        }
        long s = seed != null ? seed : new SecureRandom().nextLong() & Long.MAX_VALUE;
        Optional<DeviceDescription> device = noise == null ? Optional.empty() : Optional.of(readDevice(noise));
        EmulatorOptions options = emulator.options();
        Emulator engine = new Emulator(options);
        engine.prepare(input.declaredQubitsHint()); // kernel warm-up overlaps the parse
        Circuit circuit = input.load(System.in);
        RunResult result = engine.run(circuit, new RunRequest(shots, s, device, memory));

        PrintWriter out = spec.commandLine().getOut();
        if (output == OutputFormat.JSON) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("shots", result.shots());
            json.put("seed", result.seed());
            json.put("counts", result.counts());
            result.memory().ifPresent(m -> json.put("memory", m));
            json.put("qubits", circuit.numQubits());
            json.put("clbits", circuit.numClbits());
            json.put("circuit", input.name());
            json.put("noise", device.map(DeviceDescription::name).orElse(null));
            json.put("precision", options.precision().name().toLowerCase(java.util.Locale.ROOT));
            json.put("threads", options.threads());
            json.put("trajectories", result.stats().trajectories());
            json.put("elapsed_ms", result.stats().elapsedNanos() / 1e6);
            out.println(new ObjectMapper().writeValueAsString(json));
        } else {
            out.printf("%s: %d qubits, %d classical bits; %d shots, seed %d, noise %s, %s precision, %d threads, %.1f ms%n",
                    input.name(), circuit.numQubits(), circuit.numClbits(), result.shots(), result.seed(),
                    device.map(DeviceDescription::name).orElse("none"),
                    options.precision().name().toLowerCase(java.util.Locale.ROOT), options.threads(),
                    result.stats().elapsedNanos() / 1e6);
            TextReport.histogram(out, "outcome", result.counts().entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), (double) e.getValue())).toList(), result.shots(), true);
            result.memory().ifPresent(m -> out.println("memory: " + String.join(" ", m)));
        }
        out.flush();
        return ExitCode.OK.code();
    }

    private static DeviceDescription readDevice(String device) {
        Path file = Path.of(device);
        if (!Files.exists(file) && DeviceDescription.EXAMPLES.contains(device)) {
            return DeviceDescription.example(device);
        }
        if (!Files.isRegularFile(file)) {
            throw CliException.usage("--noise " + device + ": no such file, and not a bundled device ("
                    + String.join(", ", DeviceDescription.EXAMPLES) + ")");
        }
        try {
            return DeviceDescription.read(file);
        } catch (IOException e) {
            throw CliException.usage("cannot read noise model " + file + ": " + e.getMessage());
        } catch (DeviceDescriptionException e) {
            throw new CliException(ExitCode.INVALID_INPUT, "invalid-noise-model", e.getMessage());
        }
    }
}
