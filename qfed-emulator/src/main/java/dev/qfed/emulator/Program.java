package dev.qfed.emulator;

import dev.qfed.circuit.Barrier;
import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.ComplexMatrix;
import dev.qfed.circuit.Conditional;
import dev.qfed.circuit.GateOperation;
import dev.qfed.circuit.Measure;
import dev.qfed.circuit.OpaqueGate;
import dev.qfed.circuit.Operation;
import dev.qfed.circuit.Reset;
import dev.qfed.circuit.UnboundParameterException;
import dev.qfed.emulator.fusion.FusedCircuit;
import dev.qfed.emulator.fusion.GateFuser;
import dev.qfed.emulator.fusion.UnitaryGate;
import dev.qfed.emulator.noise.GateNoise;
import dev.qfed.emulator.noise.NoiseModel;
import dev.qfed.emulator.noise.ReadoutError;
import dev.qfed.emulator.state.StateVector;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A circuit lowered to what the state vector executes: a flat list of instructions (conditionals become jumps)
 * plus the measurements deferred to the end.
 *
 * <p>A top-level measurement is <em>deferred</em> when nothing after it acts on its qubit, reads its classical bit
 * or writes that bit again: it then commutes with everything that follows, so all deferred measurements are taken
 * at the end from one sample of the final state (and, for an ideal circuit, all shots from one simulation). A reset
 * of a qubit nothing has touched yet is dropped (the start state is |0…0⟩).
 *
 * <p>Runs of noiseless gates execute through {@link GateFuser}: measurements, resets and conditionals end a
 * run, so they are fusion barriers. Each run is fused once, when first executed, and reused by every trajectory.
 *
 * <p>Operations are numbered from 1 in circuit order in messages ("operation #3").
 */
final class Program {

    sealed interface Instruction permits Gate, GlobalPhase, MeasureInstr, ResetInstr, BranchUnless, Jump {
    }

    enum GateKind { DENSE, DIAGONAL, IDENTITY }

    /** A gate: {@code matrix} is the dense target matrix or, for DIAGONAL, its diagonal. */
    record Gate(int op, GateKind kind, int[] controls, int controlValues, int[] targets, double[] matrix,
                GateNoise noise) implements Instruction {
        void applyTo(StateVector state) {
            switch (kind) {
                case DENSE -> state.apply(controls, controlValues, targets, matrix);
                case DIAGONAL -> state.applyDiagonal(controls, controlValues, targets, matrix);
                case IDENTITY -> { }
            }
        }
    }

    record GlobalPhase(int op, double phase) implements Instruction {
    }

    record MeasureInstr(int op, int qubit, int clbit, ReadoutError readout) implements Instruction {
    }

    record ResetInstr(int op, int qubit) implements Instruction {
    }

    /** Continues with the next instruction when the condition holds, else jumps to {@code elseTarget}. */
    record BranchUnless(int op, int[] clbits, long value, int elseTarget) implements Instruction {
        boolean holds(long[] bits) {
            long v = 0;
            for (int j = 0; j < clbits.length; j++) {
                v |= ((bits[clbits[j] >>> 6] >>> clbits[j]) & 1L) << j;
            }
            return v == value;
        }
    }

    record Jump(int target) implements Instruction {
    }

    private final int numQubits;
    private final int numClbits;
    private final List<Instruction> instructions;
    private final List<MeasureInstr> deferred;
    private final int prefixEnd;
    private final boolean hasReadoutError;
    private final GateFuser fuser;
    private final ConcurrentHashMap<Long, Stretch> fused = new ConcurrentHashMap<>();

    /** A fused run of gates and the global phase collected from it. */
    private record Stretch(FusedCircuit circuit, double phase) {
    }

    private Program(int numQubits, int numClbits, List<Instruction> instructions, List<MeasureInstr> deferred,
                    int fusion) {
        this.fuser = new GateFuser(fusion);
        this.numQubits = numQubits;
        this.numClbits = numClbits;
        this.instructions = List.copyOf(instructions);
        this.deferred = List.copyOf(deferred);
        int end = 0;
        while (end < instructions.size() && isNoiselessUnitary(instructions.get(end))) {
            end++;
        }
        this.prefixEnd = end;
        this.hasReadoutError = deferred.stream().anyMatch(m -> !m.readout().isNone())
                || instructions.stream().anyMatch(i -> i instanceof MeasureInstr m && !m.readout().isNone());
    }

    int numQubits() {
        return numQubits;
    }

    int numClbits() {
        return numClbits;
    }

    List<Instruction> instructions() {
        return instructions;
    }

    /** Measurements taken at the end, in circuit order (a later one of the same clbit wins). */
    List<MeasureInstr> deferred() {
        return deferred;
    }

    /** Instructions [0, prefixEnd) are noiseless gates: simulate them once and share the result. */
    int prefixEnd() {
        return prefixEnd;
    }

    /** Nothing but noiseless gates: one simulation serves every shot. */
    boolean isNoiselessUnitary() {
        return prefixEnd == instructions.size();
    }

    /** Whether any measurement (deferred or not) misreads. */
    boolean hasReadoutError() {
        return hasReadoutError;
    }

    /** Runs instructions [from, to), which must all be noiseless gates, fused. */
    void runGates(StateVector state, int from, int to) {
        Stretch s = stretch(from, to);
        for (UnitaryGate g : s.circuit().gates()) {
            g.applyTo(state);
        }
        if (s.phase() != 0) {
            state.applyGlobalPhase(s.phase());
        }
        state.flush();
    }

    /** Passes over the state that {@link #runGates} takes for [from, to). */
    int passes(int from, int to) {
        Stretch s = stretch(from, to);
        return s.circuit().passes() + (s.phase() != 0 ? 1 : 0);
    }

    private Stretch stretch(int from, int to) {
        return fused.computeIfAbsent(((long) from << 32) | to, key -> {
            List<UnitaryGate> gates = new ArrayList<>(to - from);
            double phase = 0;
            for (int pc = from; pc < to; pc++) {
                switch (instructions.get(pc)) {
                    case Gate g when !g.noise().isNone() ->
                            throw new IllegalStateException("instruction " + pc + " is a noisy gate");
                    case Gate g -> {
                        if (g.kind() != GateKind.IDENTITY) {
                            gates.add(new UnitaryGate(g.controls(), g.controlValues(), g.targets(), g.matrix(),
                                    g.kind() == GateKind.DIAGONAL));
                        }
                    }
                    case GlobalPhase p -> phase += p.phase();
                    default -> throw new IllegalStateException("instruction " + pc + " is not a gate");
                }
            }
            return new Stretch(fuser.fuse(gates), phase);
        });
    }

    private static boolean isNoiselessUnitary(Instruction i) {
        return i instanceof GlobalPhase || i instanceof Gate g && g.noise().isNone();
    }

    // ------------------------------------------------------------------------------------------------ compiling

    /**
     * Lowers {@code circuit}; with a noise model, gates carry their noise and measurements their readout error.
     * Runs of noiseless gates are fused up to {@code fusion} qubits (0: off).
     *
     * @throws EmulatorException INVALID_CIRCUIT for opaque gates, unbound inputs, or more qubits than the device
     */
    static Program compile(Circuit circuit, Optional<NoiseModel> noise, int fusion) {
        Set<String> unbound = circuit.unboundParameters();
        if (!unbound.isEmpty()) {
            throw unboundError(unbound);
        }
        noise.ifPresent(model -> {
            if (circuit.numQubits() > model.device().numQubits()) {
                throw EmulatorException.invalid("the circuit has " + circuit.numQubits() + " qubits but device '"
                        + model.device().name() + "' has " + model.device().numQubits()
                        + ": use a larger device or a circuit with fewer qubits");
            }
        });
        List<Operation> ops = circuit.operations();
        boolean[] dropped = startResets(ops, circuit.numQubits());
        boolean[] deferrable = deferrableMeasures(ops, circuit.numQubits(), circuit.numClbits());
        Compiler c = new Compiler(noise);
        List<MeasureInstr> deferred = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            if (dropped[i]) {
                continue;
            }
            if (deferrable[i]) {
                Measure m = (Measure) ops.get(i);
                deferred.add(new MeasureInstr(i + 1, m.qubit(), m.clbit(), c.readout(m.qubit())));
            } else {
                c.emit(ops.get(i), i + 1);
            }
        }
        return new Program(circuit.numQubits(), circuit.numClbits(), c.out, deferred, fusion);
    }

    static EmulatorException unboundError(Set<String> names) {
        StringBuilder flags = new StringBuilder();
        for (String n : names) {
            flags.append(flags.isEmpty() ? "" : " ").append("--param ").append(n).append("=VALUE");
        }
        return EmulatorException.invalid("the circuit has unbound input parameter(s) " + String.join(", ", names)
                + ": give each a value (CLI: " + flags + ")");
    }

    /**
     * Fails unless the circuit's final state is well defined without sampling: no operation on a measured qubit
     * after its measurement (another measurement of it is fine), no reset after the start, no conditional.
     */
    static void requireStatevectorCircuit(Circuit circuit) {
        List<Operation> ops = circuit.operations();
        boolean[] dropped = startResets(ops, circuit.numQubits());
        int[] measuredAt = new int[circuit.numQubits()]; // 1-based index of the qubit's measurement, 0 = none
        String advice = ": statevector mode needs a circuit without them; use run or probabilities";
        for (int i = 0; i < ops.size(); i++) {
            int index = i + 1;
            switch (ops.get(i)) {
                case Measure m -> {
                    if (measuredAt[m.qubit()] == 0) {
                        measuredAt[m.qubit()] = index;
                    }
                }
                case GateOperation g -> {
                    for (int q : g.qubits()) {
                        if (measuredAt[q] != 0) {
                            throw EmulatorException.invalid("mid-circuit measurement at operation #" + measuredAt[q]
                                    + " (qubit " + q + " is used again at operation #" + index + ")" + advice);
                        }
                    }
                }
                case Reset r -> {
                    if (!dropped[i]) {
                        throw EmulatorException.invalid("reset at operation #" + index + " of a qubit in use"
                                + advice);
                    }
                }
                case Conditional c -> throw EmulatorException.invalid("conditional at operation #" + index + advice);
                case Barrier b -> { }
            }
        }
    }

    /** Top-level resets of qubits that nothing has touched yet: no-ops on |0⟩. */
    private static boolean[] startResets(List<Operation> ops, int numQubits) {
        boolean[] dropped = new boolean[ops.size()];
        BitSet touched = new BitSet(numQubits);
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i) instanceof Reset r && !touched.get(r.qubit())) {
                dropped[i] = true;
            } else {
                touchedQubits(ops.get(i), touched);
            }
        }
        return dropped;
    }

    /** Top-level measurements that commute with everything after them (see the class comment). */
    private static boolean[] deferrableMeasures(List<Operation> ops, int numQubits, int numClbits) {
        boolean[] deferrable = new boolean[ops.size()];
        BitSet touched = new BitSet(numQubits);
        BitSet read = new BitSet(numClbits);
        BitSet written = new BitSet(numClbits);
        for (int i = ops.size() - 1; i >= 0; i--) {
            Operation op = ops.get(i);
            if (op instanceof Measure m) {
                if (!touched.get(m.qubit()) && !read.get(m.clbit()) && !written.get(m.clbit())) {
                    deferrable[i] = true;
                } else {
                    touched.set(m.qubit());
                    written.set(m.clbit());
                }
            } else {
                touchedQubits(op, touched);
                readAndWrittenClbits(op, read, written);
            }
        }
        return deferrable;
    }

    private static void touchedQubits(Operation op, BitSet touched) {
        switch (op) {
            case GateOperation g -> g.qubits().forEach(touched::set);
            case Measure m -> touched.set(m.qubit());
            case Reset r -> touched.set(r.qubit());
            case Barrier b -> { }
            case Conditional c -> {
                c.then().forEach(o -> touchedQubits(o, touched));
                c.otherwise().forEach(o -> touchedQubits(o, touched));
            }
        }
    }

    private static void readAndWrittenClbits(Operation op, BitSet read, BitSet written) {
        switch (op) {
            case Measure m -> written.set(m.clbit());
            case Conditional c -> {
                c.condition().clbits().forEach(read::set);
                c.then().forEach(o -> readAndWrittenClbits(o, read, written));
                c.otherwise().forEach(o -> readAndWrittenClbits(o, read, written));
            }
            default -> { }
        }
    }

    private static final class Compiler {
        private final Optional<NoiseModel> noise;
        private final List<Instruction> out = new ArrayList<>();

        Compiler(Optional<NoiseModel> noise) {
            this.noise = noise;
        }

        ReadoutError readout(int qubit) {
            return noise.map(n -> n.readout(qubit)).orElse(ReadoutError.NONE);
        }

        void emit(Operation op, int index) {
            switch (op) {
                case GateOperation g -> emitGate(g, index);
                case Measure m -> out.add(new MeasureInstr(index, m.qubit(), m.clbit(), readout(m.qubit())));
                case Reset r -> out.add(new ResetInstr(index, r.qubit()));
                case Barrier b -> { }
                case Conditional c -> {
                    int branchAt = out.size();
                    out.add(null); // patched below, once the else target is known
                    c.then().forEach(o -> emit(o, index));
                    int elseTarget;
                    if (c.otherwise().isEmpty()) {
                        elseTarget = out.size();
                    } else {
                        int jumpAt = out.size();
                        out.add(null);
                        elseTarget = out.size();
                        c.otherwise().forEach(o -> emit(o, index));
                        out.set(jumpAt, new Jump(out.size()));
                    }
                    out.set(branchAt, new BranchUnless(index,
                            c.condition().clbits().stream().mapToInt(Integer::intValue).toArray(),
                            c.condition().value(), elseTarget));
                }
            }
        }

        private void emitGate(GateOperation g, int index) {
            if (g.gate() instanceof OpaqueGate o) {
                throw EmulatorException.invalid("operation #" + index + ": opaque gate '" + o.qasmName()
                        + "' has no definition, so the emulator cannot run it; give it a gate body or remove it");
            }
            ComplexMatrix m;
            try {
                m = g.targetMatrix();
            } catch (UnboundParameterException e) {
                throw unboundError(Set.of(e.parameter()));
            } catch (IllegalArgumentException e) {
                throw EmulatorException.invalid("operation #" + index + " (" + g.gate().qasmName() + "): "
                        + e.getMessage());
            }
            int[] all = g.qubits().stream().mapToInt(Integer::intValue).toArray();
            GateNoise gateNoise = noise.map(n -> n.gate(g.gate().qasmName(), all)).orElse(GateNoise.NONE);
            int[] controls = g.controlQubits().stream().mapToInt(Integer::intValue).toArray();
            int[] targets = g.targetQubits().stream().mapToInt(Integer::intValue).toArray();
            int values = g.controlValues();
            if (targets.length == 0) { // gphase: a global phase, or a phase on its controls' subspace
                double phase = Math.atan2(m.im(0, 0), m.re(0, 0));
                if (controls.length == 0) {
                    out.add(new GlobalPhase(index, phase));
                    return;
                }
                int last = controls.length - 1;
                boolean onOne = ((values >>> last) & 1) == 1;
                double c = Math.cos(phase);
                double s = Math.sin(phase);
                double[] diagonal = onOne ? new double[] {1, 0, c, s} : new double[] {c, s, 1, 0};
                out.add(new Gate(index, GateKind.DIAGONAL, java.util.Arrays.copyOf(controls, last),
                        values & ((1 << last) - 1), new int[] {controls[last]}, diagonal, gateNoise));
                return;
            }
            // cx, ccx, cswap, crx, … are identity where some of their own qubits are |0⟩: treat those as controls,
            // so the kernel touches only the active subspace with a smaller matrix
            while (targets.length > 1) {
                Controlled split = controlledPart(m, targets.length);
                if (split == null) {
                    break;
                }
                int[] moreControls = java.util.Arrays.copyOf(controls, controls.length + 1);
                moreControls[controls.length] = targets[split.bit()];
                values |= split.value() << controls.length;
                controls = moreControls;
                int[] fewerTargets = new int[targets.length - 1];
                for (int j = 0, o = 0; j < targets.length; j++) {
                    if (j != split.bit()) {
                        fewerTargets[o++] = targets[j];
                    }
                }
                targets = fewerTargets;
                m = split.rest();
            }
            GateKind kind = kindOf(m);
            double[] matrix = kind == GateKind.DIAGONAL ? diagonalOf(m) : m.data();
            out.add(new Gate(index, kind, controls, values, targets, matrix, gateNoise));
        }

        private record Controlled(int bit, int value, ComplexMatrix rest) {
        }

        /**
         * A target bit b and value v such that {@code m} is exactly the identity where bit b ≠ v and never mixes
         * the two halves; then {@code m} = (control on b = v) · rest. Null when there is none.
         */
        private static Controlled controlledPart(ComplexMatrix m, int k) {
            int dim = m.dim();
            for (int b = 0; b < k; b++) {
                for (int v = 1; v >= 0; v--) {
                    boolean ok = true;
                    for (int r = 0; r < dim && ok; r++) {
                        for (int c = 0; c < dim && ok; c++) {
                            int rb = (r >>> b) & 1;
                            int cb = (c >>> b) & 1;
                            if (rb != cb || rb != v) {
                                double expected = r == c ? 1 : 0;
                                ok = m.re(r, c) == expected && m.im(r, c) == 0;
                            }
                        }
                    }
                    if (ok) {
                        int half = dim / 2;
                        double[] rest = new double[2 * half * half];
                        for (int r = 0; r < half; r++) {
                            for (int c = 0; c < half; c++) {
                                int fr = insertBit(r, b, v);
                                int fc = insertBit(c, b, v);
                                rest[2 * (r * half + c)] = m.re(fr, fc);
                                rest[2 * (r * half + c) + 1] = m.im(fr, fc);
                            }
                        }
                        return new Controlled(b, v, ComplexMatrix.of(half, rest));
                    }
                }
            }
            return null;
        }

        private static int insertBit(int x, int position, int value) {
            int low = x & ((1 << position) - 1);
            return ((x >>> position) << (position + 1)) | (value << position) | low;
        }

        private static GateKind kindOf(ComplexMatrix m) {
            boolean diagonal = true;
            boolean identity = true;
            for (int r = 0; r < m.dim(); r++) {
                for (int c = 0; c < m.dim(); c++) {
                    double re = m.re(r, c);
                    double im = m.im(r, c);
                    if (r != c && (re != 0 || im != 0)) {
                        diagonal = false;
                    }
                    if (re != (r == c ? 1 : 0) || im != 0) {
                        identity = false;
                    }
                }
            }
            return identity ? GateKind.IDENTITY : diagonal ? GateKind.DIAGONAL : GateKind.DENSE;
        }

        private static double[] diagonalOf(ComplexMatrix m) {
            double[] d = new double[2 * m.dim()];
            for (int i = 0; i < m.dim(); i++) {
                d[2 * i] = m.re(i, i);
                d[2 * i + 1] = m.im(i, i);
            }
            return d;
        }
    }
}
