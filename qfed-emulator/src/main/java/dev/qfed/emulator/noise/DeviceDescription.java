package dev.qfed.emulator.noise;

import dev.qfed.circuit.StandardGate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a quantum device is and how well it currently works: its qubits and their connectivity, its native gates,
 * and a calibration snapshot (coherence times, readout and gate errors, gate durations) taken at
 * {@link #timestamp()}. The emulator derives its noise from it; a real device's agent reports the same document.
 *
 * <p>JSON form (snake_case; every field is required except {@code coupling_map} and {@code gates}; unknown fields
 * are rejected):
 * <pre>{@code
 * {
 *   "name": "lowNoise5", "num_qubits": 5, "timestamp": "2026-11-02T09:00:00Z", "firmware_version": "1.4.2",
 *   "coupling_map": [[0, 1], [1, 2]],                // undirected pairs; absent = all-to-all
 *   "native_gates": ["rz", "sx", "x", "cx"],
 *   "qubits": [{"t1_us": 210.0, "t2_us": 180.0, "readout_p1_given_0": 0.01, "readout_p0_given_1": 0.02}, …],
 *   "gates": [{"gate": "cx", "qubits": [0, 1], "error": 0.006, "duration_ns": 300}, …],
 *   "defaults": {"error_1q": 0.0003, "error_2q": 0.008, "duration_1q_ns": 35, "duration_2q_ns": 300}
 * }
 * }</pre>
 *
 * <p>Every constructor checks all fields and names the offending one by its JSON path, so an instance is always
 * consistent: probabilities lie in [0, 1], T1 and T2 are positive with T2 ≤ 2·T1, durations are ≥ 0, qubit
 * indices are below {@code num_qubits}, a two-qubit gate entry lies on the coupling map.
 *
 * @param couplingMap pairs of qubits a two-qubit gate may act on, in either order; empty = all-to-all
 * @param gates       per-gate calibrations; a gate on qubits without an entry uses {@link #defaults()}
 */
public record DeviceDescription(String name, int numQubits, Instant timestamp, String firmwareVersion,
                                Optional<List<QubitPair>> couplingMap, List<String> nativeGates,
                                List<QubitCalibration> qubits, List<GateCalibration> gates, GateDefaults defaults) {

    /** The most qubits a description may declare. */
    public static final int MAX_QUBITS = 100_000;

    public DeviceDescription {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(firmwareVersion, "firmwareVersion");
        Objects.requireNonNull(couplingMap, "couplingMap");
        Objects.requireNonNull(defaults, "defaults");
        couplingMap = couplingMap.map(List::copyOf);
        nativeGates = List.copyOf(nativeGates);
        qubits = List.copyOf(qubits);
        gates = List.copyOf(gates);
        validate(name, numQubits, firmwareVersion, couplingMap, nativeGates, qubits, gates, defaults);
    }

    /** Two distinct qubits connected on the device. */
    public record QubitPair(int first, int second) {
    }

    /**
     * @param t1Us            energy relaxation time T1 in microseconds
     * @param t2Us            dephasing time T2 (Hahn echo) in microseconds; at most 2·T1
     * @param readoutP1Given0 probability of reading 1 when the qubit is |0⟩
     * @param readoutP0Given1 probability of reading 0 when the qubit is |1⟩
     */
    public record QubitCalibration(double t1Us, double t2Us, double readoutP1Given0, double readoutP0Given1) {
    }

    /**
     * @param gate       the gate's OpenQASM name ({@code cx}, {@code sx}, …)
     * @param qubits     the qubits in argument order
     * @param error      depolarizing error probability of one application
     * @param durationNs how long one application takes, during which the qubits relax
     */
    public record GateCalibration(String gate, List<Integer> qubits, double error, double durationNs) {
        public GateCalibration {
            Objects.requireNonNull(gate, "gate");
            qubits = List.copyOf(qubits);
        }
    }

    /** What a gate without its own {@link GateCalibration} costs, by its number of qubits. */
    public record GateDefaults(double error1q, double error2q, double duration1qNs, double duration2qNs) {
    }

    /** Whether a two-qubit gate may act on {@code a} and {@code b} (in either order). */
    public boolean coupled(int a, int b) {
        if (a == b || a < 0 || b < 0 || a >= numQubits || b >= numQubits) {
            return false;
        }
        return couplingMap.map(edges -> edges.stream().anyMatch(e -> e.first() == a && e.second() == b
                || e.first() == b && e.second() == a)).orElse(true);
    }

    /**
     * Parses and checks a JSON description.
     *
     * @param sourceName where the text came from, for error messages (a file name)
     * @throws DeviceDescriptionException naming the field path and the allowed values when anything is wrong
     */
    public static DeviceDescription parse(String json, String sourceName) {
        return DeviceDescriptionJson.parse(json, sourceName);
    }

    /**
     * Reads a JSON description from a file.
     *
     * @throws IOException                when the file cannot be read
     * @throws DeviceDescriptionException when its content is malformed or out of range
     */
    public static DeviceDescription read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Names of the example devices shipped with the emulator (resources {@code devices/NAME.json}). */
    public static final List<String> EXAMPLES = List.of("low-noise-5", "noisy-20", "heavy-hex-27");

    /**
     * One of the {@link #EXAMPLES example devices}: a 5-qubit low-noise device, a 20-qubit noisy grid, and a
     * 27-qubit device with heavy-hex coupling.
     *
     * @throws IllegalArgumentException when there is no example of that name
     */
    public static DeviceDescription example(String name) {
        if (!EXAMPLES.contains(name)) {
            throw new IllegalArgumentException("no example device named '" + name + "'; the examples are "
                    + String.join(", ", EXAMPLES));
        }
        String resource = "/devices/" + name + ".json";
        try (var in = DeviceDescription.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("example device resource " + resource + " is missing from the jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** The canonical JSON form, which {@link #parse} reads back to an equal description. */
    public String toJson() {
        return DeviceDescriptionJson.write(this);
    }

    // ---------------------------------------------------------------------------------------------- validation

    private static void validate(String name, int numQubits, String firmwareVersion,
                                 Optional<List<QubitPair>> couplingMap, List<String> nativeGates,
                                 List<QubitCalibration> qubits, List<GateCalibration> gates, GateDefaults defaults) {
        require(!name.isBlank(), "name", "must not be blank");
        require(numQubits >= 1 && numQubits <= MAX_QUBITS, "num_qubits",
                numQubits + " is out of range: allowed 1 to " + MAX_QUBITS);
        require(!firmwareVersion.isBlank(), "firmware_version", "must not be blank");
        if (couplingMap.isPresent()) {
            Set<Long> seen = new HashSet<>();
            List<QubitPair> edges = couplingMap.get();
            for (int i = 0; i < edges.size(); i++) {
                String path = "coupling_map[" + i + "]";
                QubitPair e = edges.get(i);
                requireQubit(e.first(), numQubits, path + "[0]");
                requireQubit(e.second(), numQubits, path + "[1]");
                require(e.first() != e.second(), path, "connects qubit " + e.first() + " to itself");
                long key = (long) Math.min(e.first(), e.second()) << 32 | Math.max(e.first(), e.second());
                require(seen.add(key), path, "[" + e.first() + ", " + e.second() + "] is listed twice");
            }
        }
        require(!nativeGates.isEmpty(), "native_gates", "must list at least one gate");
        Set<String> natives = new HashSet<>();
        for (int i = 0; i < nativeGates.size(); i++) {
            requireGateName(nativeGates.get(i), "native_gates[" + i + "]");
            require(natives.add(nativeGates.get(i)), "native_gates[" + i + "]",
                    "'" + nativeGates.get(i) + "' is listed twice");
        }
        require(qubits.size() == numQubits, "qubits",
                "has " + qubits.size() + " entries; it needs one per qubit (num_qubits = " + numQubits + ")");
        for (int i = 0; i < qubits.size(); i++) {
            String path = "qubits[" + i + "]";
            QubitCalibration q = qubits.get(i);
            requirePositive(q.t1Us(), path + ".t1_us");
            requirePositive(q.t2Us(), path + ".t2_us");
            require(q.t2Us() <= 2 * q.t1Us(), path + ".t2_us", q.t2Us() + " is out of range: T2 can be at most 2·T1 = "
                    + 2 * q.t1Us() + " (t1_us = " + q.t1Us() + ")");
            requireProbability(q.readoutP1Given0(), path + ".readout_p1_given_0");
            requireProbability(q.readoutP0Given1(), path + ".readout_p0_given_1");
        }
        Set<String> seenGates = new HashSet<>();
        for (int i = 0; i < gates.size(); i++) {
            String path = "gates[" + i + "]";
            GateCalibration g = gates.get(i);
            requireGateName(g.gate(), path + ".gate");
            require(!g.qubits().isEmpty(), path + ".qubits", "must list at least one qubit");
            Set<Integer> distinct = new HashSet<>();
            for (int j = 0; j < g.qubits().size(); j++) {
                requireQubit(g.qubits().get(j), numQubits, path + ".qubits[" + j + "]");
                require(distinct.add(g.qubits().get(j)), path + ".qubits",
                        "qubit " + g.qubits().get(j) + " appears twice");
            }
            Optional<StandardGate> known = StandardGate.byName(g.gate());
            if (known.isPresent() && known.get().numQubits() != g.qubits().size()) {
                throw invalid(path + ".qubits", g.gate() + " acts on " + known.get().numQubits() + " qubit(s), got "
                        + g.qubits().size());
            }
            if (g.qubits().size() == 2 && couplingMap.isPresent()) {
                int a = g.qubits().get(0);
                int b = g.qubits().get(1);
                require(couplingMap.get().stream().anyMatch(e -> e.first() == a && e.second() == b
                        || e.first() == b && e.second() == a), path + ".qubits",
                        "[" + a + ", " + b + "] is not a pair of coupling_map");
            }
            requireProbability(g.error(), path + ".error");
            requireDuration(g.durationNs(), path + ".duration_ns");
            require(seenGates.add(g.gate() + g.qubits()), path, g.gate() + " on " + g.qubits()
                    + " is calibrated twice");
        }
        requireProbability(defaults.error1q(), "defaults.error_1q");
        requireProbability(defaults.error2q(), "defaults.error_2q");
        requireDuration(defaults.duration1qNs(), "defaults.duration_1q_ns");
        requireDuration(defaults.duration2qNs(), "defaults.duration_2q_ns");
    }

    private static void requireGateName(String name, String path) {
        require(name.matches("[A-Za-z_][A-Za-z0-9_]*"), path,
                "'" + name + "' is not a gate name (letters, digits and _, not starting with a digit)");
    }

    private static void requireQubit(int q, int numQubits, String path) {
        require(q >= 0 && q < numQubits, path, q + " is out of range: qubit indices are 0 to " + (numQubits - 1));
    }

    private static void requireProbability(double p, String path) {
        require(p >= 0 && p <= 1, path, p + " is out of range: a probability lies in [0, 1]");
    }

    private static void requirePositive(double x, String path) {
        require(x > 0 && Double.isFinite(x), path, x + " is out of range: must be a positive number");
    }

    private static void requireDuration(double x, String path) {
        require(x >= 0 && Double.isFinite(x), path, x + " is out of range: must be >= 0");
    }

    private static void require(boolean ok, String path, String problem) {
        if (!ok) {
            throw invalid(path, problem);
        }
    }

    private static IllegalArgumentException invalid(String path, String problem) {
        return new IllegalArgumentException(path + ": " + problem);
    }
}
