package dev.qfed.emulator;

import dev.qfed.emulator.Program.BranchUnless;
import dev.qfed.emulator.Program.Gate;
import dev.qfed.emulator.Program.GlobalPhase;
import dev.qfed.emulator.Program.Instruction;
import dev.qfed.emulator.Program.Jump;
import dev.qfed.emulator.Program.MeasureInstr;
import dev.qfed.emulator.Program.ResetInstr;
import dev.qfed.emulator.state.StateVector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/** One sampling run: either every shot from one final state, or one trajectory per shot. */
final class Shots {
    /** Shots sampled per pass over the state (bounds the uniforms and outcomes held at once). */
    private static final int SAMPLE_CHUNK = 1 << 22;
    /** From this size a state is too big for the cache of one core: parallelise inside it rather than over shots. */
    private static final int INNER_PARALLEL_QUBITS = 18;
    private static final int[] NO_CONTROLS = new int[0];
    private static final double[] PAULI_X = {0, 0, 1, 0, 1, 0, 0, 0};

    private final Program program;
    private final RunRequest request;
    private final Emulator emulator;
    private final long startNanos;
    private final int threads;
    /** Time spent applying the shared gates once (0 when each trajectory applies them itself). */
    private long sharedNanos;
    /** Passes over the state's memory those gates took (0 when not counted). */
    private long sharedSweeps;

    Shots(Program program, RunRequest request, Emulator emulator, long startNanos) {
        this.program = program;
        this.request = request;
        this.emulator = emulator;
        this.startNanos = startNanos;
        this.threads = emulator.options().threads();
    }

    RunResult run() {
        return program.isNoiselessUnitary() ? sampleFromOneState() : trajectories();
    }

    // ------------------------------------------------------------------------------------- one state, all shots

    private RunResult sampleFromOneState() {
        int n = program.numQubits();
        StateVector state = emulator.newState(n, threads);
        long gatesStart = System.nanoTime();
        program.runGates(state, 0, program.instructions().size());
        sharedNanos = System.nanoTime() - gatesStart;
        sharedSweeps = state.sweeps();
        long shots = request.shots();
        boolean perShot = request.memory() || program.hasReadoutError();
        String[] memory = request.memory() ? new String[(int) shots] : null;
        if (program.deferred().isEmpty()) { // nothing measured: every shot reads all zeros
            String zeros = "0".repeat(program.numClbits());
            if (memory != null) {
                Arrays.fill(memory, zeros);
            }
            return result(new TreeMap<>(java.util.Map.of(zeros, shots)), memory, 1);
        }
        ClassicalBits.Tally tally = new ClassicalBits.Tally();
        ShotRandom rng = new ShotRandom();
        long[] bits = ClassicalBits.create(program.numClbits());
        char[] buffer = new char[program.numClbits()];
        int chunk = (int) Math.min(SAMPLE_CHUNK, shots);
        double[] uniforms = new double[chunk];
        double[] sorted = new double[chunk];
        long[] outcomes = new long[chunk];
        for (long first = 0; first < shots; first += chunk) {
            int m = (int) Math.min(chunk, shots - first);
            for (int i = 0; i < m; i++) {
                uniforms[i] = rng.reset(request.seed(), first + i).nextDouble();
            }
            double[] u = m == chunk ? sorted : new double[m];
            long[] out = m == chunk ? outcomes : new long[m];
            System.arraycopy(uniforms, 0, u, 0, m);
            Arrays.sort(u);
            state.sample(u, out);
            if (!perShot) { // outcomes ascend with the sorted uniforms: count runs of equal basis states
                for (int i = 0; i < m; ) {
                    int j = i;
                    while (j < m && out[j] == out[i]) {
                        j++;
                    }
                    ClassicalBits.clear(bits);
                    readDeferred(out[i], bits, rng); // no readout error: rng is not used
                    tally.add(ClassicalBits.key(bits, program.numClbits(), buffer), j - i);
                    i = j;
                }
                continue;
            }
            for (int i = 0; i < m; i++) {
                long basis = out[Arrays.binarySearch(u, uniforms[i])]; // equal uniforms give equal outcomes
                rng.reset(request.seed(), first + i).nextDouble(); // the sampling draw; readout errors draw next
                ClassicalBits.clear(bits);
                readDeferred(basis, bits, rng);
                String key = tally.add(ClassicalBits.key(bits, program.numClbits(), buffer), 1);
                if (memory != null) {
                    memory[(int) (first + i)] = key;
                }
            }
        }
        TreeMap<String, Long> counts = new TreeMap<>();
        tally.addTo(counts);
        return result(counts, memory, 1);
    }

    // --------------------------------------------------------------------------------- one trajectory per shot

    private RunResult trajectories() {
        int n = program.numQubits();
        long shots = request.shots();
        long fit = emulator.statesThatFit(n);
        int prefixEnd = program.prefixEnd();
        boolean keepPrefix = prefixEnd > 0 && fit >= 2;
        int workers;
        int inner;
        if (n >= INNER_PARALLEL_QUBITS || threads == 1) {
            workers = 1;
            inner = threads;
        } else {
            workers = (int) Math.min(threads, shots);
            inner = 1;
        }
        workers = (int) Math.max(1, Math.min(workers, fit - (keepPrefix ? 1 : 0)));
        StateVector prefix = null;
        if (keepPrefix) {
            prefix = emulator.newState(n, threads);
            long gatesStart = System.nanoTime();
            program.runGates(prefix, 0, prefixEnd);
            sharedNanos = System.nanoTime() - gatesStart;
            sharedSweeps = prefix.sweeps();
        }
        String[] memory = request.memory() ? new String[(int) shots] : null;
        AtomicLong next = new AtomicLong();
        List<Worker> tasks = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            tasks.add(new Worker(emulator.newState(n, inner), prefix, next, memory));
        }
        runAll(tasks, next);
        TreeMap<String, Long> counts = new TreeMap<>();
        for (Worker w : tasks) {
            w.tally.addTo(counts);
        }
        return result(counts, memory, shots);
    }

    private static void runAll(List<Worker> tasks, AtomicLong next) {
        if (tasks.size() == 1) {
            tasks.get(0).run();
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size(),
                Thread.ofPlatform().daemon().name("qfed-shots-", 0).factory());
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Worker w : tasks) {
                futures.add(pool.submit(w));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    next.set(Long.MAX_VALUE / 2); // the other workers stop after their current shot
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    next.set(Long.MAX_VALUE / 2);
                    throw new IllegalStateException("interrupted while running shots", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private final class Worker implements Runnable {
        final StateVector state;
        final StateVector prefix;
        final AtomicLong next;
        final String[] memory;
        final ClassicalBits.Tally tally = new ClassicalBits.Tally();

        Worker(StateVector state, StateVector prefix, AtomicLong next, String[] memory) {
            this.state = state;
            this.prefix = prefix;
            this.next = next;
            this.memory = memory;
        }

        @Override
        public void run() {
            ShotRandom rng = new ShotRandom();
            long[] bits = ClassicalBits.create(program.numClbits());
            char[] buffer = new char[program.numClbits()];
            double[] uniform = new double[1];
            long[] basis = new long[1];
            for (long shot = next.getAndIncrement(); shot < request.shots(); shot = next.getAndIncrement()) {
                if (prefix != null) {
                    state.copyFrom(prefix);
                } else {
                    state.setZero();
                    program.runGates(state, 0, program.prefixEnd());
                }
                rng.reset(request.seed(), shot);
                ClassicalBits.clear(bits);
                execute(state, program.prefixEnd(), bits, rng);
                if (!program.deferred().isEmpty()) {
                    uniform[0] = rng.nextDouble();
                    state.sample(uniform, basis);
                    readDeferred(basis[0], bits, rng);
                }
                String key = tally.add(ClassicalBits.key(bits, program.numClbits(), buffer), 1);
                if (memory != null) {
                    memory[(int) shot] = key;
                }
            }
        }
    }

    /** Runs the program from {@code pc} to its end on one trajectory. */
    private void execute(StateVector state, int pc, long[] bits, ShotRandom rng) {
        List<Instruction> code = program.instructions();
        while (pc < code.size()) {
            switch (code.get(pc)) {
                case Gate g -> {
                    g.applyTo(state);
                    if (!g.noise().isNone()) {
                        g.noise().apply(state, rng);
                    }
                    pc++;
                }
                case GlobalPhase p -> {
                    state.applyGlobalPhase(p.phase());
                    pc++;
                }
                case MeasureInstr m -> {
                    int outcome = measure(state, m.qubit(), rng);
                    ClassicalBits.set(bits, m.clbit(), m.readout().read(outcome, rng));
                    pc++;
                }
                case ResetInstr r -> {
                    if (measure(state, r.qubit(), rng) == 1) {
                        state.apply(NO_CONTROLS, 0, new int[] {r.qubit()}, PAULI_X);
                    }
                    pc++;
                }
                case BranchUnless b -> pc = b.holds(bits) ? pc + 1 : b.elseTarget();
                case Jump j -> pc = j.target();
            }
        }
    }

    /** Projective measurement of {@code qubit}: draws the outcome, collapses the state, returns the outcome. */
    private static int measure(StateVector state, int qubit, ShotRandom rng) {
        double p1 = state.probabilityOfOne(qubit);
        int outcome = rng.nextDouble() < p1 ? 1 : 0;
        state.collapse(qubit, outcome, outcome == 1 ? p1 : 1 - p1);
        return outcome;
    }

    /** Writes the deferred measurements' bits for final basis state {@code basis}, with readout errors. */
    private void readDeferred(long basis, long[] bits, ShotRandom rng) {
        for (MeasureInstr m : program.deferred()) {
            int outcome = (int) ((basis >>> m.qubit()) & 1);
            ClassicalBits.set(bits, m.clbit(), m.readout().read(outcome, rng));
        }
    }

    private RunResult result(TreeMap<String, Long> counts, String[] memory, long trajectories) {
        Optional<List<String>> mem = memory == null ? Optional.empty() : Optional.of(Arrays.asList(memory));
        int shared = program.isNoiselessUnitary() ? program.instructions().size() : program.prefixEnd();
        RunStats stats = new RunStats(trajectories, shared, program.passes(0, shared), sharedSweeps, sharedNanos,
                threads, System.nanoTime() - startNanos);
        return new RunResult(request.shots(), request.seed(), counts, mem, stats);
    }
}
