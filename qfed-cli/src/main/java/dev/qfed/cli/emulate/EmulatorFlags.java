package dev.qfed.cli.emulate;

import dev.qfed.cli.CliException;
import dev.qfed.emulator.EmulatorOptions;
import dev.qfed.emulator.state.Precision;
import picocli.CommandLine.Option;

/** Options shared by the commands that run the emulator. */
public final class EmulatorFlags {

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the emulator (default: all cores). Results do not depend on it.")
    Integer threads;

    @Option(names = "--precision", paramLabel = "single|double", defaultValue = "double",
            description = "Amplitude precision: double (complex128, default) or single (complex64, half the memory).")
    String precision;

    EmulatorOptions options() {
        EmulatorOptions defaults = EmulatorOptions.defaults();
        int t = threads == null ? defaults.threads() : threads;
        if (t < 1 || t > 1024) {
            throw CliException.usage("--threads must be between 1 and 1024, got " + t);
        }
        Precision p = switch (precision.toLowerCase(java.util.Locale.ROOT)) {
            case "single" -> Precision.SINGLE;
            case "double" -> Precision.DOUBLE;
            default -> throw CliException.usage("--precision takes single or double, got '" + precision + "'");
        };
        return new EmulatorOptions(t, p, defaults.maxStateBytes());
    }
}
