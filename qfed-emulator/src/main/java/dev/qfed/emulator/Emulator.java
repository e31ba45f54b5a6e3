package dev.qfed.emulator;

import dev.qfed.circuit.Circuit;
import dev.qfed.emulator.noise.DeviceDescription;
import dev.qfed.emulator.noise.NoiseModel;
import dev.qfed.emulator.state.Precision;
import dev.qfed.emulator.state.SmallStateVector;
import dev.qfed.emulator.state.StateVector;
import dev.qfed.emulator.state.StateVectors;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Runs circuits on a state vector: the final state, the exact distribution of the classical bits, or sampled shots
 * (ideal or with a device's noise).
 *
 * <p>How a run is carried out: an ideal circuit whose measurements are all terminal (nothing acts on a measured
 * qubit afterwards, no reset after the start, no conditional) is simulated once and every shot is sampled from its
 * final state in one pass. Otherwise each shot is a trajectory of its own: the gates before the first measurement,
 * reset, conditional or noisy gate are simulated once and copied into each trajectory. Every shot draws its random
 * numbers from a stream determined by (seed, shot index), so counts and memory do not depend on the number of
 * threads.
 *
 * <p>Each method checks the memory a state needs before allocating it. Instances are thread-safe; their only state is
 * a small cache of compiled programs for circuits run again.
 */
public final class Emulator {
    /** The most branches {@link #probabilities} enumerates for mid-circuit measurements and resets. */
    public static final int BRANCH_LIMIT = 4096;
    /** The most qubits {@link #statevector} returns (one array of 2^27 doubles, 1 GiB). */
    public static final int MAX_STATEVECTOR_QUBITS = 26;
    /** The most distinct bit strings {@link #probabilities} returns. */
    public static final int MAX_OUTCOMES = 1 << 20;

    /** Compiled programs kept for circuits run again (a site agent runs the same few circuits many times). */
    private static final int PROGRAM_CACHE_SIZE = 64;

    private final EmulatorOptions options;
    private final Map<ProgramKey, Program> programs = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ProgramKey, Program> eldest) {
            return size() > PROGRAM_CACHE_SIZE;
        }
    };

    public Emulator(EmulatorOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public EmulatorOptions options() {
        return options;
    }

    /**
     * Starts in the background the once-per-JVM work that circuits of {@code numQubits} qubits will need (compiling
     * the SIMD kernels for this emulator's precision), so that it overlaps parsing the circuit. Optional: a run
     * does it anyway, and waits for it, when it needs it.
     */
    public void prepare(int numQubits) {
        StateVectors.prepare(numQubits, options.precision());
    }

    /**
     * The final state of an ideal circuit. Terminal measurements are ignored.
     *
     * @throws EmulatorException INVALID_CIRCUIT when a measurement is followed by an operation on its qubit, or
     *                           the circuit resets a used qubit or has a conditional; also for opaque gates and
     *                           unbound inputs. RESOURCE_LIMIT when the state does not fit.
     */
    public Statevector statevector(Circuit circuit) {
        Program.requireStatevectorCircuit(circuit);
        Program program = Program.compile(circuit, Optional.empty(), options.fusion());
        int n = program.numQubits();
        if (n > MAX_STATEVECTOR_QUBITS) {
            throw EmulatorException.limit("a statevector of " + n + " qubits (" + formatBytes(Precision.DOUBLE
                    .stateBytes(n)) + ") is too large to return; statevector mode allows up to "
                    + MAX_STATEVECTOR_QUBITS + " qubits: use probabilities or run instead");
        }
        requireStates(n, 1);
        StateVector state = newState(n, options.threads());
        program.runGates(state, 0, program.instructions().size());
        return new Statevector(n, state.toArray());
    }

    /**
     * The exact distribution of the classical bits of an ideal run. Terminal measurements are read off the final
     * state; mid-circuit measurements and resets are enumerated branch by branch (at most {@value #BRANCH_LIMIT}).
     *
     * @throws EmulatorException INVALID_CIRCUIT for opaque gates and unbound inputs; RESOURCE_LIMIT when the state
     *                           does not fit, there are too many branches, or too many outcomes
     */
    public Probabilities probabilities(Circuit circuit) {
        Program program = Program.compile(circuit, Optional.empty(), options.fusion());
        int n = program.numQubits();
        requireStates(n, 1);
        TreeMap<String, Double> distribution = new Branches(program, this).distribution();
        distribution.values().removeIf(p -> p < 1e-15);
        return new Probabilities(program.numClbits(), distribution);
    }

    /**
     * Samples {@code request.shots()} runs of the circuit.
     *
     * @throws EmulatorException INVALID_CIRCUIT for opaque gates, unbound inputs, or a circuit with more qubits
     *                           than the noise device; RESOURCE_LIMIT when the state does not fit or memory is
     *                           asked for more than {@value RunRequest#MAX_MEMORY_SHOTS} shots
     */
    public RunResult run(Circuit circuit, RunRequest request) {
        long start = System.nanoTime();
        Program program = program(circuit, request.noise());
        if (request.memory() && request.shots() > RunRequest.MAX_MEMORY_SHOTS) {
            throw EmulatorException.limit("memory keeps one bit string per shot, which allows at most "
                    + RunRequest.MAX_MEMORY_SHOTS + " shots, got " + request.shots()
                    + ": ask for counts only, or for fewer shots");
        }
        requireStates(program.numQubits(), 1);
        return new Shots(program, request, this, start).run();
    }

    /**
     * The program of {@code circuit} with {@code noise}: compiled once per circuit <em>instance</em> and device
     * instance, so a caller that runs the same {@link Circuit} object again (the site agent keeps the circuits it
     * parsed) skips lowering, noise lookup and fusion. Keyed by identity: comparing circuits by value would cost
     * about what compiling them does. Programs are immutable (fusion results are memoised thread-safely).
     */
    private Program program(Circuit circuit, Optional<DeviceDescription> noise) {
        ProgramKey key = new ProgramKey(circuit, noise.orElse(null));
        synchronized (programs) {
            Program p = programs.get(key);
            if (p != null) {
                return p;
            }
        }
        Program p = Program.compile(circuit, noise.map(NoiseModel::of), options.fusion());
        synchronized (programs) {
            programs.put(key, p);
        }
        return p;
    }

    /** A circuit and a device (null: ideal), compared by identity. */
    private record ProgramKey(Circuit circuit, DeviceDescription device) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ProgramKey k && k.circuit == circuit && k.device == device;
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(circuit) + System.identityHashCode(device);
        }
    }

    // ------------------------------------------------------------------------------------------ resource checks

    /**
     * A new |0…0⟩, after the checks of {@link #requireStates}. What the state-vector factory refuses (a precision
     * this build lacks, more qubits than its layout holds) becomes a RESOURCE_LIMIT; it refuses before allocating.
     * States of up to {@value SmallStateVector#MAX_QUBITS} qubits are {@link SmallStateVector}s: their gates cost
     * what a call costs, and the blocked SIMD states' per-gate planning would cost more than the gate itself.
     */
    StateVector newState(int numQubits, int threads) {
        if (numQubits <= SmallStateVector.MAX_QUBITS) {
            return new SmallStateVector(numQubits, options.precision());
        }
        try {
            return StateVectors.create(numQubits, options.precision(), threads);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            throw EmulatorException.limit("circuit needs " + numQubits + " qubits in "
                    + options.precision().name().toLowerCase(Locale.ROOT) + " precision, which this build cannot"
                    + " hold: " + e.getMessage());
        }
    }

    /** How many states of {@code numQubits} qubits fit in the memory budget at once (at least 1 after a check). */
    long statesThatFit(int numQubits) {
        return options.maxStateBytes() / options.precision().stateBytes(numQubits);
    }

    long stateBytes(int numQubits) {
        return options.precision().stateBytes(numQubits);
    }

    /** Fails with RESOURCE_LIMIT unless {@code copies} states of {@code numQubits} qubits can be made. */
    void requireStates(int numQubits, int copies) {
        Precision precision = options.precision();
        String name = precision.name().toLowerCase(Locale.ROOT);
        double one = precision.bytesPerAmplitude() * Math.pow(2, numQubits); // a double: no overflow
        double need = one * copies;
        if (need > options.maxStateBytes()) {
            String what = copies == 1 ? formatBytes(one) : copies + " × " + formatBytes(one);
            long heapGiB = (long) Math.ceil(need * 1.125 / (1L << 30)); // the states plus an eighth of headroom
            throw EmulatorException.limit("circuit needs " + numQubits + " qubits = " + what + " of state in " + name
                    + " precision; this process may use " + formatBytes(options.maxStateBytes())
                    + "; raise the heap (QFED_JAVA_OPTS=-Xmx" + Math.max(1, heapGiB) + "g)"
                    + (precision == Precision.DOUBLE ? ", use --precision single" : "") + ", or use fewer qubits");
        }
    }

    static String formatBytes(double bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
        int unit = 0;
        double value = bytes;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        String number = String.format(Locale.ROOT, "%.1f", value);
        if (number.endsWith(".0")) {
            number = number.substring(0, number.length() - 2);
        }
        return number + " " + units[unit];
    }
}
