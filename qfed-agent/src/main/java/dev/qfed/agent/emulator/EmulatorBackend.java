package dev.qfed.agent.emulator;

import dev.qfed.agent.spi.Backend;
import dev.qfed.agent.spi.BackendBehavior;
import dev.qfed.agent.spi.BackendDescription;
import dev.qfed.agent.spi.CircuitCounts;
import dev.qfed.agent.spi.CircuitSource;
import dev.qfed.agent.spi.ExecutionRequest;
import dev.qfed.agent.spi.ExecutionResult;
import dev.qfed.agent.spi.RunMetadata;
import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.StandardGate;
import dev.qfed.circuit.qasm.OpenQasm;
import dev.qfed.circuit.qasm.ParseLimits;
import dev.qfed.circuit.qasm.QasmException;
import dev.qfed.emulator.Emulator;
import dev.qfed.emulator.EmulatorException;
import dev.qfed.emulator.EmulatorOptions;
import dev.qfed.emulator.RunRequest;
import dev.qfed.emulator.RunResult;
import dev.qfed.emulator.noise.DeviceDescription;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A backend that runs jobs on the state-vector {@link Emulator} with the noise of a device description.
 *
 * <p>Each circuit is parsed (no includes from disk: the text came over the network), its parameters bound, and
 * run for the job's shots in chunks of {@code shot_chunk}, looking at the cancellation token before each circuit
 * and each chunk. When the first chunk shows that one simulation serves every shot (an ideal circuit with
 * terminal measurements) the rest are sampled in one go: sampling is cheap, the simulation is not.
 *
 * <p>Seeds: circuit {@code i} of a job with seed {@code s} runs with {@code s} itself for {@code i = 0} and a
 * value mixed from {@code s} and {@code i} otherwise, so that identical circuits in one job sample independently;
 * a job whose shots fit in one chunk gives the same counts as {@code qfed run --seed s} on its first circuit.
 * Chunk {@code k > 0} of a circuit uses a seed mixed from the circuit's seed and {@code k}.
 */
public final class EmulatorBackend implements Backend {
    /** Shots between two looks at the cancellation token, unless {@code shot_chunk} says otherwise. */
    public static final int DEFAULT_SHOT_CHUNK = 10_000;
    /** How many parsed circuits a backend keeps, and the longest text it keeps one for. */
    private static final int CACHED_CIRCUITS = 64;
    private static final int CACHED_CIRCUIT_CHARS = 16_384;

    /** Every standard gate, by its lower-case OpenQASM name ({@code U} is the same gate as {@code u}). */
    private static final List<String> SUPPORTED_GATES = Arrays.stream(StandardGate.values())
            .map(StandardGate::qasmName).filter(n -> n.equals(n.toLowerCase(java.util.Locale.ROOT))).toList();

    private final String name;
    private final EmulatorBackendFactory.DeviceSource source;
    private final boolean noise;
    private final Emulator emulator;
    private final int shotChunk;
    private final int maxConcurrent;
    private final Clock clock;
    /**
     * Circuits parsed and bound before, by text and parameters, the least recently used dropped first. Jobs of a
     * site repeat the same few circuits; parsing one again would cost more than running it.
     */
    private final Map<CircuitKey, Circuit> circuits = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<CircuitKey, Circuit> eldest) {
                    return size() > CACHED_CIRCUITS;
                }
            });
    private volatile Snapshot snapshot;

    /** The description and what is derived from it, swapped as one by {@link #refreshDescription()}. */
    private record Snapshot(BackendDescription description, DeviceDescription device, String calibrationId) {
    }

    EmulatorBackend(String name, EmulatorBackendFactory.DeviceSource source, DeviceDescription device,
                    boolean noise, EmulatorOptions options, int shotChunk, int maxConcurrent, Clock clock) {
        this.name = name;
        this.source = source;
        this.noise = noise;
        this.emulator = new Emulator(options);
        this.shotChunk = shotChunk;
        this.maxConcurrent = maxConcurrent;
        this.clock = clock;
        this.snapshot = snapshot(device);
    }

    private Snapshot snapshot(DeviceDescription device) {
        BackendDescription d = new BackendDescription(name, device.numQubits(), device.nativeGates(),
                SUPPORTED_GATES, device.couplingMap(), Optional.of(device), maxConcurrent,
                EnumSet.of(BackendBehavior.PARAMETERS, BackendBehavior.REPRODUCIBLE_SEEDS,
                        BackendBehavior.CANCELLATION, BackendBehavior.REFRESH_DESCRIPTION),
                engineVersion());
        return new Snapshot(d, device, calibrationId(device));
    }

    @Override
    public BackendDescription describe() {
        return snapshot.description();
    }

    /** Reads the device description again (the file may hold a new calibration). */
    @Override
    public BackendDescription refreshDescription() {
        DeviceDescription device = source.load();
        if (device.numQubits() != snapshot.device().numQubits()) {
            throw new IllegalStateException("device of backend '" + name + "' changed from "
                    + snapshot.device().numQubits() + " to " + device.numQubits()
                    + " qubits; restart the agent to offer a different device");
        }
        snapshot = snapshot(device);
        return snapshot.description();
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request) {
        Snapshot s = snapshot;
        long started = System.nanoTime();
        List<CircuitCounts> results = new ArrayList<>(request.circuits().size());
        long trajectories = 0;
        for (int i = 0; i < request.circuits().size(); i++) {
            if (request.cancellation().isCancellationRequested()) {
                return cancelled(request);
            }
            String where = "circuits[" + i + "]";
            Circuit circuit;
            try {
                circuit = prepare(request.circuits().get(i), where, s.device());
            } catch (Refusal r) {
                return ExecutionResult.permanentFailure(r.getMessage());
            }
            long circuitSeed = i == 0 ? request.seed() : mix(request.seed(), i);
            TreeMap<String, Long> counts = new TreeMap<>();
            long done = 0;
            int chunk = 0;
            try {
                while (done < request.shots()) {
                    if (request.cancellation().isCancellationRequested()) {
                        return cancelled(request);
                    }
                    long n = Math.min(shotChunk, request.shots() - done);
                    long chunkSeed = chunk == 0 ? circuitSeed : mix(circuitSeed, chunk);
                    RunResult r = emulator.run(circuit, runRequest(n, chunkSeed, s.device()));
                    r.counts().forEach((bits, c) -> counts.merge(bits, c, Long::sum));
                    trajectories += r.stats().trajectories();
                    done += n;
                    chunk++;
                    if (chunk == 1 && r.stats().trajectories() == 1 && done < request.shots()) {
                        // One simulation served every shot: sampling the rest at once costs next to nothing.
                        RunResult rest = emulator.run(circuit,
                                runRequest(request.shots() - done, mix(circuitSeed, chunk), s.device()));
                        rest.counts().forEach((bits, c) -> counts.merge(bits, c, Long::sum));
                        trajectories += rest.stats().trajectories();
                        done = request.shots();
                    }
                }
            } catch (EmulatorException e) {
                return ExecutionResult.permanentFailure(where + ": " + e.getMessage());
            }
            results.add(new CircuitCounts(counts));
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("engine", engineVersion());
        details.put("device", s.device().name());
        details.put("noise", Boolean.toString(noise));
        details.put("precision", emulator.options().precision().name().toLowerCase(java.util.Locale.ROOT));
        details.put("trajectories", Long.toString(trajectories));
        details.put("finished_at", clock.instant().toString());
        RunMetadata metadata = new RunMetadata(request.seed(), name, Optional.of(s.calibrationId()),
                Optional.of(s.device().timestamp()), Optional.of(s.device().firmwareVersion()), elapsed, details);
        return new ExecutionResult.Completed(results, metadata);
    }

    private RunRequest runRequest(long shots, long seed, DeviceDescription device) {
        RunRequest r = RunRequest.of(shots, seed);
        return noise ? r.withNoise(device) : r;
    }

    /**
     * The circuit to run, parsed and bound, or the reason it cannot run here. A circuit that ran before is taken
     * from {@link #circuits}: the same object each time, so the emulator's compiled program for it is reused too.
     */
    private Circuit prepare(CircuitSource source, String where, DeviceDescription device) throws Refusal {
        CircuitKey key = new CircuitKey(source.qasm(), source.parameters());
        Circuit bound = circuits.get(key);
        if (bound == null) {
            bound = parseAndBind(source, where);
            if (source.qasm().length() <= CACHED_CIRCUIT_CHARS) {
                circuits.put(key, bound);
            }
        }
        if (bound.numQubits() > device.numQubits()) {
            throw new Refusal(where + " uses " + bound.numQubits() + " qubits but backend '" + name + "' has "
                    + device.numQubits() + "; submit it to a backend with at least " + bound.numQubits()
                    + " qubits");
        }
        return bound;
    }

    private static Circuit parseAndBind(CircuitSource source, String where) throws Refusal {
        Circuit parsed;
        try {
            parsed = OpenQasm.parse(source.qasm(), where, null, ParseLimits.DEFAULT);
        } catch (QasmException e) {
            throw new Refusal(e.getMessage());
        }
        Circuit bound;
        try {
            bound = parsed.bind(source.parameters());
        } catch (IllegalArgumentException e) {
            throw new Refusal(where + ": " + e.getMessage());
        }
        if (!bound.inputs().isEmpty()) {
            throw new Refusal(where + ": input " + bound.inputs().stream().map(p -> "'" + p.name() + "'")
                    .reduce((a, b) -> a + ", " + b).orElseThrow() + " has no value; give every input a value in "
                    + "the circuit's parameters");
        }
        return bound;
    }

    /** A circuit's text and parameter values: what decides the bound circuit. */
    private record CircuitKey(String qasm, Map<String, Double> parameters) {
    }

    private static ExecutionResult.Cancelled cancelled(ExecutionRequest request) {
        return new ExecutionResult.Cancelled(request.cancellation().reason().orElse("cancelled"));
    }

    /** SplitMix64's finaliser over the sum: well-spread seeds from (seed, index). */
    static long mix(long seed, long index) {
        long z = seed + index * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A content id of the calibration: the same description always gives the same id. */
    static String calibrationId(DeviceDescription device) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(device.toJson().getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String engineVersion() {
        String v = Emulator.class.getPackage().getImplementationVersion();
        return "qfed-emulator " + (v == null ? "dev" : v);
    }

    /** A job this backend will not run; the message is the reason given to the submitter. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message, null, false, false);
        }
    }
}
