package dev.qfed.bench;

import dev.qfed.bench.emulator.BenchCircuits;
import dev.qfed.bench.emulator.TriadBandwidth;
import dev.qfed.circuit.Circuit;
import dev.qfed.emulator.Emulator;
import dev.qfed.emulator.EmulatorException;
import dev.qfed.emulator.EmulatorOptions;
import dev.qfed.emulator.RunRequest;
import dev.qfed.emulator.RunResult;
import dev.qfed.emulator.fusion.GateFuser;
import dev.qfed.emulator.state.KernelSelector;
import dev.qfed.emulator.state.Precision;
import dev.qfed.emulator.state.StateVectors;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qfed bench emulator}: runs benchmark circuits through the emulator and reports, per circuit, the gates,
 * the fused gates and passes over the state, the time, and the memory bandwidth the gate passes achieved as a
 * fraction of an in-place triad's bandwidth measured in the same process.
 *
 * <p>Each case runs once cold (JIT compilation included: what one {@code qfed run} costs) and {@code --repeat}
 * times warm; the warm figures are the best of those. <em>Passes</em> are gates after fusion; <em>sweeps</em> are
 * the passes over the state's memory they actually took (a run of gates on low qubits executes cache block by cache
 * block, in one sweep). Bandwidth counts every sweep as reading and writing the whole state
 * ({@code 2 × state bytes}) over the time spent applying gates only (no allocation, no sampling); the
 * <em>equivalent</em> bandwidth counts passes instead: what a simulator taking one memory pass per fused gate would
 * need to match this time.
 */
@Command(name = "emulator", mixinStandardHelpOptions = true,
        description = {"Benchmarks the state-vector emulator against the machine's memory bandwidth.",
                "Run big cases alone: other processes on the same cores skew every figure."})
public final class EmulatorBenchCommand implements Callable<Integer> {

    @Option(names = "--qubits", split = ",", paramLabel = "N[,N...]", defaultValue = "16,20,24",
            description = "Circuit sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> qubits;

    @Option(names = "--circuits", split = ",", paramLabel = "qft|random|grid", defaultValue = "qft,random,grid",
            description = "Circuit families (default: ${DEFAULT-VALUE}).")
    List<String> circuits;

    @Option(names = "--precision", paramLabel = "single|double|both", defaultValue = "single",
            description = "Amplitude precision (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--threads", split = ",", paramLabel = "T[,T...]",
            description = "Thread counts (default: all cores).")
    List<Integer> threads;

    @Option(names = "--fusion", paramLabel = "K", defaultValue = "" + GateFuser.DEFAULT_MAX_QUBITS,
            description = "Widest fused gate in qubits, 0 for no fusion (default: ${DEFAULT-VALUE}).")
    int fusion;

    @Option(names = "--output", paramLabel = "text|json", defaultValue = "text",
            description = "Report format (default: ${DEFAULT-VALUE}).")
    String output;

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "3",
            description = "Warm runs per case; the best is reported (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--shots", paramLabel = "S", defaultValue = "0",
            description = "Also time sampling S shots from each final state (default: none).")
    long shots;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random circuits and of sampling.")
    long seed;

    @Option(names = "--save-qasm", paramLabel = "DIR",
            description = "Also write each circuit to DIR/<circuit>-<qubits>.qasm (OpenQASM 2.0), for whole-process"
                    + " runs with qfed run.")
    java.nio.file.Path saveQasm;

    @Option(names = "--triad-mib", defaultValue = "1024", hidden = true,
            description = "Array size of the bandwidth measurement in MiB (default: ${DEFAULT-VALUE}).")
    int triadMib;

    @Spec
    CommandSpec spec;

    /** One measured case. */
    public record Result(String circuit, int qubits, Precision precision, int threads, int gates, int passes,
                         long sweeps, double coldSeconds, double seconds, double gateSeconds, double bytesPerSecond,
                         double equivalentBytesPerSecond, double triadBytesPerSecond, double sampleSeconds,
                         long shots) {

        /** Achieved bandwidth of the gate passes as a fraction of the triad's at the same thread count. */
        public double fractionOfTriad() {
            return bytesPerSecond / triadBytesPerSecond;
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Precision> precisions = switch (precision.toLowerCase(Locale.ROOT)) {
            case "single" -> List.of(Precision.SINGLE);
            case "double" -> List.of(Precision.DOUBLE);
            case "both" -> List.of(Precision.SINGLE, Precision.DOUBLE);
            default -> throw new IllegalArgumentException("--precision takes single, double or both, got '"
                    + precision + "'");
        };
        List<BenchCircuits.Kind> kinds = circuits.stream().map(BenchCircuits.Kind::parse).toList();
        List<Integer> threadCounts = threads == null || threads.isEmpty()
                ? List.of(Runtime.getRuntime().availableProcessors()) : threads;
        if (!output.equals("text") && !output.equals("json")) {
            throw new IllegalArgumentException("--output takes text or json, got '" + output + "'");
        }
        boolean text = output.equals("text");

        // the triad at 1 thread and at every requested count
        Map<Integer, Double> triad = new LinkedHashMap<>();
        TreeSet<Integer> triadThreads = new TreeSet<>(threadCounts);
        triadThreads.add(1);
        for (int t : triadThreads) {
            triad.put(t, TriadBandwidth.measure(t, (long) triadMib << 20, 5));
        }
        if (text) {
            out.printf(Locale.ROOT, "emulator benchmark: %s, %d cores, max heap %.1f GiB, kernels %s, fusion %d, "
                    + "cache blocks %d KiB%n", Instant.now(), Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() / (double) (1L << 30), KernelSelector.describe(), fusion,
                    StateVectors.cacheBlockBytes() >> 10);
            triad.forEach((t, bw) -> out.printf(Locale.ROOT, "triad (in-place read-modify-write, %d MiB): %d thread%s"
                    + " %.1f GB/s%n", triadMib, t, t == 1 ? "" : "s", bw / 1e9));
            out.printf("%-7s %6s %-6s %7s %6s %6s %6s %8s %8s %8s %7s %7s %7s%s%n", "circuit", "qubits", "prec",
                    "threads", "gates", "passes", "sweeps", "cold s", "warm s", "gates s", "GB/s", "triad%", "eq GB/s",
                    shots > 0 ? String.format(Locale.ROOT, " %10s", "sample s") : "");
            out.flush();
        }
        List<Result> results = new ArrayList<>();
        for (BenchCircuits.Kind kind : kinds) {
            for (int n : qubits) {
                Circuit circuit = BenchCircuits.of(kind, n, seed);
                if (saveQasm != null) {
                    save(circuit, saveQasm.resolve(kind.label() + "-" + n + ".qasm"));
                }
                for (Precision p : precisions) {
                    for (int t : threadCounts) {
                        Result r;
                        try {
                            r = run(kind.label(), circuit, n, p, t, triad.get(t));
                        } catch (EmulatorException e) {
                            if (text) {
                                out.printf("%-7s %6d %-6s %7d  skipped: %s%n", kind.label(), n, label(p), t,
                                        e.getMessage());
                                out.flush();
                            }
                            continue;
                        }
                        results.add(r);
                        if (text) {
                            out.printf(Locale.ROOT,
                                    "%-7s %6d %-6s %7d %6d %6d %6d %8.3f %8.3f %8.3f %7.1f %6.0f%% %7.1f%s%n",
                                    r.circuit(), r.qubits(), label(p), r.threads(), r.gates(), r.passes(),
                                    r.sweeps(), r.coldSeconds(), r.seconds(), r.gateSeconds(),
                                    r.bytesPerSecond() / 1e9, 100 * r.fractionOfTriad(),
                                    r.equivalentBytesPerSecond() / 1e9, shots > 0
                                            ? String.format(Locale.ROOT, " %10.3f", r.sampleSeconds()) : "");
                            out.flush();
                        }
                    }
                }
            }
        }
        if (!text) {
            out.println(json(triad, results));
        }
        out.flush();
        return 0;
    }

    private Result run(String name, Circuit circuit, int n, Precision p, int t, double triadBandwidth) {
        EmulatorOptions options = EmulatorOptions.defaults().withThreads(t).withPrecision(p).withFusion(fusion);
        Emulator emulator = new Emulator(options);
        long t0 = System.nanoTime();
        RunResult cold = emulator.run(circuit, RunRequest.of(1, seed));
        double coldSeconds = (System.nanoTime() - t0) / 1e9;
        double best = coldSeconds;
        double bestGates = cold.stats().sharedPrefixNanos() / 1e9;
        for (int i = 0; i < repeat; i++) {
            long s = System.nanoTime();
            RunResult warm = emulator.run(circuit, RunRequest.of(1, seed));
            best = Math.min(best, (System.nanoTime() - s) / 1e9);
            bestGates = Math.min(bestGates, warm.stats().sharedPrefixNanos() / 1e9);
        }
        double sampleSeconds = 0;
        if (shots > 0) {
            long s = System.nanoTime();
            emulator.run(circuit, RunRequest.of(shots, seed));
            sampleSeconds = Math.max(0, (System.nanoTime() - s) / 1e9 - best);
        }
        int passes = cold.stats().sharedPrefixPasses();
        long sweeps = cold.stats().sharedPrefixSweeps() > 0 ? cold.stats().sharedPrefixSweeps() : passes;
        double bytes = 2.0 * sweeps * p.stateBytes(n);
        double equivalent = 2.0 * passes * p.stateBytes(n);
        return new Result(name, n, p, t, cold.stats().sharedPrefixGates(), passes, sweeps, coldSeconds, best,
                bestGates, bytes / bestGates, equivalent / bestGates, triadBandwidth, sampleSeconds, shots);
    }

    private static void save(Circuit circuit, java.nio.file.Path file) {
        try {
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
            java.nio.file.Files.writeString(file, dev.qfed.circuit.qasm.QasmPrinter.print(circuit,
                    dev.qfed.circuit.qasm.QasmVersion.V2));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String label(Precision p) {
        return p.name().toLowerCase(Locale.ROOT);
    }

    private String json(Map<Integer, Double> triad, List<Result> results) {
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"date\": \"").append(Instant.now()).append("\",\n");
        b.append("  \"cores\": ").append(Runtime.getRuntime().availableProcessors()).append(",\n");
        b.append("  \"kernels\": \"").append(KernelSelector.describe()).append("\",\n");
        b.append("  \"fusion\": ").append(fusion).append(",\n");
        b.append("  \"cacheBlockBytes\": ").append(StateVectors.cacheBlockBytes()).append(",\n");
        b.append("  \"triadBytesPerSecond\": {");
        int i = 0;
        for (Map.Entry<Integer, Double> e : triad.entrySet()) {
            b.append(i++ == 0 ? "" : ", ").append('"').append(e.getKey()).append("\": ")
                    .append(String.format(Locale.ROOT, "%.0f", e.getValue()));
        }
        b.append("},\n  \"results\": [");
        for (int r = 0; r < results.size(); r++) {
            Result x = results.get(r);
            b.append(r == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT,
                    "    {\"circuit\": \"%s\", \"qubits\": %d, \"precision\": \"%s\", \"threads\": %d, \"gates\": %d,"
                            + " \"passes\": %d, \"sweeps\": %d, \"coldSeconds\": %.4f, \"seconds\": %.4f,"
                            + " \"gateSeconds\": %.4f, \"bytesPerSecond\": %.0f, \"fractionOfTriad\": %.3f,"
                            + " \"equivalentBytesPerSecond\": %.0f, \"shots\": %d, \"sampleSeconds\": %.4f}",
                    x.circuit(), x.qubits(), label(x.precision()), x.threads(), x.gates(), x.passes(), x.sweeps(),
                    x.coldSeconds(), x.seconds(), x.gateSeconds(), x.bytesPerSecond(), x.fractionOfTriad(),
                    x.equivalentBytesPerSecond(), x.shots(), x.sampleSeconds()));
        }
        b.append(results.isEmpty() ? "]\n}" : "\n  ]\n}");
        return b.toString();
    }

    /** Runs the command on its own, for use before it is registered under {@code qfed bench}. */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new EmulatorBenchCommand()).execute(args));
    }
}
