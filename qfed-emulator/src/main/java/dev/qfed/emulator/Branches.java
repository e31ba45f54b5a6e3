package dev.qfed.emulator;

import dev.qfed.emulator.Program.BranchUnless;
import dev.qfed.emulator.Program.Gate;
import dev.qfed.emulator.Program.GlobalPhase;
import dev.qfed.emulator.Program.Instruction;
import dev.qfed.emulator.Program.Jump;
import dev.qfed.emulator.Program.MeasureInstr;
import dev.qfed.emulator.Program.ResetInstr;
import dev.qfed.emulator.state.StateVector;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;

/**
 * The exact distribution of an ideal circuit's classical bits. Each mid-circuit measurement or reset splits the
 * run into its two outcomes, weighted by their probabilities (an outcome whose weight is below 1e-16 is dropped);
 * the branches are walked depth first, so only the states along one path of splits are alive at once. At the end
 * of a branch, the deferred (terminal) measurements are read off its final state as a marginal distribution.
 */
final class Branches {
    /** A branch this unlikely cannot change any probability that is reported (those below 1e-15 are omitted). */
    private static final double NEGLIGIBLE = 1e-16;
    /** Contributions below this are rounding noise of amplitudes that should be zero. */
    private static final double SKIP_BELOW = 1e-20;
    /** Marginals over at most this many qubits are computed as one array (8 MiB). */
    private static final int MARGINAL_ARRAY_QUBITS = 20;
    private static final int[] NO_CONTROLS = new int[0];
    private static final double[] PAULI_X = {0, 0, 1, 0, 1, 0, 0, 0};

    private final Program program;
    private final Emulator emulator;
    private final int[] marginalQubits;
    private final int[] positions;
    private final TreeMap<String, Double> distribution = new TreeMap<>();
    private final Deque<Branch> pending = new ArrayDeque<>();
    private final char[] buffer;
    private int branches = 1;
    private int live = 0;

    private static final class Branch {
        int pc;
        final StateVector state;
        final long[] bits;
        double weight;

        Branch(int pc, StateVector state, long[] bits, double weight) {
            this.pc = pc;
            this.state = state;
            this.bits = bits;
            this.weight = weight;
        }
    }

    Branches(Program program, Emulator emulator) {
        this.program = program;
        this.emulator = emulator;
        this.buffer = new char[program.numClbits()];
        List<MeasureInstr> deferred = program.deferred();
        int[] qubitToPosition = new int[program.numQubits()];
        java.util.Arrays.fill(qubitToPosition, -1);
        int distinct = 0;
        positions = new int[deferred.size()];
        for (int j = 0; j < deferred.size(); j++) {
            int q = deferred.get(j).qubit();
            if (qubitToPosition[q] < 0) {
                qubitToPosition[q] = distinct++;
            }
            positions[j] = qubitToPosition[q];
        }
        marginalQubits = new int[distinct];
        for (int q = 0; q < program.numQubits(); q++) {
            if (qubitToPosition[q] >= 0) {
                marginalQubits[qubitToPosition[q]] = q;
            }
        }
    }

    TreeMap<String, Double> distribution() {
        int n = program.numQubits();
        if (marginalQubits.length > MARGINAL_ARRAY_QUBITS && n > Emulator.MAX_STATEVECTOR_QUBITS) {
            throw EmulatorException.limit("exact probabilities over " + marginalQubits.length
                    + " measured qubits of a " + n + "-qubit state are out of reach (at most "
                    + MARGINAL_ARRAY_QUBITS + " measured qubits, or " + Emulator.MAX_STATEVECTOR_QUBITS
                    + " qubits in all): use run with shots instead");
        }
        StateVector root = emulator.newState(n, emulator.options().threads());
        live = 1;
        program.runGates(root, 0, program.prefixEnd());
        pending.push(new Branch(program.prefixEnd(), root, ClassicalBits.create(program.numClbits()), 1.0));
        while (!pending.isEmpty()) {
            Branch b = pending.pop();
            if (walk(b)) {
                addOutcomes(b);
            }
            live--;
        }
        return distribution;
    }

    /** Runs a branch to its end, pushing the branches it splits off; false when it turned out negligible. */
    private boolean walk(Branch b) {
        List<Instruction> code = program.instructions();
        while (b.pc < code.size()) {
            switch (code.get(b.pc)) {
                case Gate g -> {
                    g.applyTo(b.state);
                    b.pc++;
                }
                case GlobalPhase p -> {
                    b.state.applyGlobalPhase(p.phase());
                    b.pc++;
                }
                case MeasureInstr m -> {
                    if (!split(b, m.qubit(), m.clbit(), false)) {
                        return false;
                    }
                }
                case ResetInstr r -> {
                    if (!split(b, r.qubit(), -1, true)) {
                        return false;
                    }
                }
                case BranchUnless c -> b.pc = c.holds(b.bits) ? b.pc + 1 : c.elseTarget();
                case Jump j -> b.pc = j.target();
            }
        }
        return true;
    }

    /**
     * Measures {@code qubit} in branch {@code b}: continues {@code b} with outcome 0 and pushes outcome 1 as a new
     * branch, or continues with the only outcome that is not negligible. A reset flips outcome 1 back to |0⟩.
     */
    private boolean split(Branch b, int qubit, int clbit, boolean reset) {
        double p1 = b.state.probabilityOfOne(qubit);
        double p0 = 1 - p1;
        boolean one = p1 > 0 && b.weight * p1 >= NEGLIGIBLE;
        boolean zero = p0 > 0 && b.weight * p0 >= NEGLIGIBLE;
        if (!one && !zero) {
            return false;
        }
        if (one && zero) {
            if (++branches > Emulator.BRANCH_LIMIT) {
                throw EmulatorException.limit("the circuit's mid-circuit measurements and resets split it into more"
                        + " than " + Emulator.BRANCH_LIMIT + " branches (the branch limit of exact probabilities):"
                        + " use run with shots instead");
            }
            requireAnotherState();
            StateVector copy = b.state.copy();
            live++;
            copy.collapse(qubit, 1, p1);
            long[] bits = b.bits.clone();
            settle(copy, bits, qubit, clbit, 1, reset);
            pending.push(new Branch(b.pc + 1, copy, bits, b.weight * p1));
        }
        int outcome = zero ? 0 : 1;
        double p = zero ? p0 : p1;
        b.state.collapse(qubit, outcome, p);
        settle(b.state, b.bits, qubit, clbit, outcome, reset);
        b.weight *= p;
        b.pc++;
        return true;
    }

    private static void settle(StateVector state, long[] bits, int qubit, int clbit, int outcome, boolean reset) {
        if (reset && outcome == 1) {
            state.apply(NO_CONTROLS, 0, new int[] {qubit}, PAULI_X);
        }
        if (clbit >= 0) {
            ClassicalBits.set(bits, clbit, outcome);
        }
    }

    private void requireAnotherState() {
        if (live + 1 > emulator.statesThatFit(program.numQubits())) {
            throw EmulatorException.limit("exact probabilities of this circuit need " + (live + 1) + " states of "
                    + program.numQubits() + " qubits (" + Emulator.formatBytes(emulator.stateBytes(
                    program.numQubits())) + " each) at once, more than this process may use ("
                    + Emulator.formatBytes(emulator.options().maxStateBytes())
                    + "): use run with shots, or raise the heap (QFED_JAVA_OPTS=-Xmx…)");
        }
    }

    /** Adds the branch's final distribution: its classical bits plus the deferred measurements' outcomes. */
    private void addOutcomes(Branch b) {
        if (marginalQubits.length == 0) {
            add(ClassicalBits.key(b.bits, program.numClbits(), buffer), b.weight);
            return;
        }
        long[] bits = b.bits.clone();
        List<MeasureInstr> deferred = program.deferred();
        if (marginalQubits.length <= MARGINAL_ARRAY_QUBITS) {
            double[] marginal = b.state.probabilities(marginalQubits);
            for (int x = 0; x < marginal.length; x++) {
                double p = b.weight * marginal[x];
                if (p >= SKIP_BELOW) {
                    for (int j = 0; j < deferred.size(); j++) {
                        ClassicalBits.set(bits, deferred.get(j).clbit(), (x >>> positions[j]) & 1);
                    }
                    add(ClassicalBits.key(bits, program.numClbits(), buffer), p);
                }
            }
            return;
        }
        // many measured qubits (a small state, checked above): walk a copy of the amplitudes
        requireAnotherState();
        double[] amplitudes = b.state.toArray();
        for (int i = 0; i < amplitudes.length / 2; i++) {
            double re = amplitudes[2 * i];
            double im = amplitudes[2 * i + 1];
            double p = b.weight * (re * re + im * im);
            if (p >= SKIP_BELOW) {
                for (MeasureInstr m : deferred) {
                    ClassicalBits.set(bits, m.clbit(), (i >>> m.qubit()) & 1);
                }
                add(ClassicalBits.key(bits, program.numClbits(), buffer), p);
            }
        }
    }

    private void add(String key, double p) {
        distribution.merge(key, p, Double::sum);
        if (distribution.size() > Emulator.MAX_OUTCOMES) {
            throw EmulatorException.limit("the distribution has more than " + Emulator.MAX_OUTCOMES
                    + " bit strings of nonzero probability, too many to list: use run with shots instead");
        }
    }
}
