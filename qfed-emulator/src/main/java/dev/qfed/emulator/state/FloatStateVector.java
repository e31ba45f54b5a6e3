package dev.qfed.emulator.state;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fast state vector for this precision: blocked, chunked primitive arrays ({@link Layout}), gates compiled to
 * {@link GatePlan}s and run by {@link FloatKernels} on all of its {@link Workers}' threads.
 *
 * <p>Reductions (norm, probabilities, sampling) sum each fixed-size group of {@code 2^12} amplitudes in a fixed
 * order, then the groups in index order, so they do not depend on the number of threads either.
 *
 * <h2>Cache blocking</h2>
 * Gates are queued and run at the next read of the state (or when the queue is long). A gate whose qubits all lie
 * below {@code cacheBits} mixes amplitudes within aligned <em>cache blocks</em> of {@code 2^cacheBits} amplitudes
 * ({@link CacheBlocks}: 512 KiB to 4 MiB, a share of the last-level cache): such <em>local</em> gates run
 * together, cache block by cache block, so a whole sequence of them costs one pass over memory. Local gates later
 * in the queue join the current sequence when they touch none of the qubits of the gates they overtake (so the two
 * commute); the overtaken gates run after it, in order. The order depends only on the gates, the layout and the
 * machine's block size, never on the thread count.
 *
 * <h2>Tiles</h2>
 * A sequence may also hold gates on a few qubits at or above {@code cacheBits}: it then runs <em>tile</em> by
 * tile. A tile fixes every qubit outside {@code [0, s) ∪ H} (H: the sequence's qubits at or above {@code s},
 * {@code s + |H| ≤ cacheBits}); its {@code 2^|H|} segments of {@code 2^s} consecutive amplitudes are copied into a
 * per-thread scratch state of {@code s + |H|} qubits, every gate of the sequence runs there (replanned for the
 * scratch layout, qubit {@code H[j]} becoming {@code s + j}), and the segments are copied back. Memory sees one
 * read and one write per amplitude for the whole sequence, as for local gates; segments stay at least
 * {@code 2^MIN_SEGMENT_BITS} amplitudes long so the copies stream.
 */
final class FloatStateVector implements StateVector {

    /** Amplitudes per reduction group (log2). */
    private static final int REDUCTION_BITS = 12;
    /** Smallest piece of work worth handing to another thread, in amplitudes. */
    private static final int MIN_PIECE_AMPLITUDES = 1 << 14;

    private final Layout layout;
    private final FloatKernels kernels;
    private final Workers workers;
    private final float[][] chunks;
    private final int reductionBits;
    private final float[] ones;
    private final float[][] laneBit;
    private final int cacheBits;
    private final int minSegmentBits;
    private final List<Pending> pending = new ArrayList<>();
    private final Plans plans = new Plans();
    private long sweeps;

    /** Gates queued at most before they run. */
    private static final int MAX_PENDING = 256;

    /** Shortest run of consecutive amplitudes a tile copies (log2): 1024 amplitudes, long enough to stream. */
    private static final int MIN_SEGMENT_BITS = 10;

    /** {@code -Dqfed.emulator.tiles=false} keeps sequences to local gates (to measure what tiles bring). */
    private static final boolean TILES = !"false".equals(System.getProperty("qfed.emulator.tiles"));

    /**
     * A queued gate. On states larger than a cache block it is compiled for the state's layout only when it runs as
     * a pass or in a cache-blocked sequence: a gate that runs in a tile is compiled for the tile's layout instead,
     * so compiling it for both would be wasted work on the thread that feeds the workers.
     */
    private static final class Pending {
        final Gate gate;
        final long mask;
        private Planned planned;

        Pending(Gate gate) {
            this.gate = gate;
            this.mask = gate.mask();
        }

        Pending(Gate gate, Planned planned) {
            this(gate);
            this.planned = planned;
        }

        /** The plan for the state's layout, compiled on first use (on the calling thread, not a worker). */
        Planned planned(Plans plans, Layout layout) {
            if (planned == null) {
                planned = plans.get(layout, gate);
            }
            return planned;
        }
    }

    /** A gate compiled for a layout, with its coefficients in this precision. */
    private record Planned(GatePlan plan, FloatKernels.Coefficients coefficients) {
    }

    /**
     * The plans compiled so far, by layout and gate. Circuits repeat gates (a grid circuit has a handful of distinct
     * fused matrices per qubit pair, and tiles see the same gates on the same tile qubits again and again), so each
     * distinct gate is compiled once per state; that also keeps the plan builder too rarely called for the JIT to
     * spend its optimising compiler on it. Used by the thread that applies gates only.
     */
    private static final class Plans {
        /** Distinct plans kept at most; beyond, the cache starts again (a circuit that repeats nothing). */
        private static final int MAX_PLANS = 4096;

        private final java.util.HashMap<GateKey, Planned> plans = new java.util.HashMap<>();

        Planned get(Layout layout, Gate gate) {
            GateKey key = new GateKey(layout, gate);
            Planned planned = plans.get(key);
            if (planned == null) {
                if (plans.size() >= MAX_PLANS) {
                    plans.clear();
                }
                GatePlan plan = gate.plan(layout);
                planned = new Planned(plan, FloatKernels.Coefficients.of(plan));
                // the caller may reuse a small state's gate arrays once applied: the key keeps copies
                plans.put(new GateKey(layout, gate.copy()), planned);
            }
            return planned;
        }
    }

    /** A gate on a layout, compared by content. */
    private record GateKey(Layout layout, Gate gate) {
        @Override
        public boolean equals(Object o) {
            return o instanceof GateKey k && layout.equals(k.layout) && gate.diagonal == k.gate.diagonal
                    && gate.controlValues == k.gate.controlValues && Arrays.equals(gate.targets, k.gate.targets)
                    && Arrays.equals(gate.controls, k.gate.controls) && Arrays.equals(gate.values, k.gate.values);
        }

        @Override
        public int hashCode() {
            return ((layout.hashCode() * 31 + Arrays.hashCode(gate.targets)) * 31 + Arrays.hashCode(gate.controls))
                    * 31 + Arrays.hashCode(gate.values);
        }
    }

    /** A gate as {@link #apply} or {@link #applyDiagonal} received it. */
    private record Gate(int[] controls, int controlValues, int[] targets, double[] values, boolean diagonal) {

        long mask() {
            long m = 0;
            for (int q : controls) {
                m |= 1L << q;
            }
            for (int q : targets) {
                m |= 1L << q;
            }
            return m;
        }

        GatePlan plan(Layout layout) {
            return diagonal ? GatePlan.diagonal(layout, controls, controlValues, targets, values)
                    : GatePlan.dense(layout, controls, controlValues, targets, values);
        }

        Gate copy() {
            return new Gate(controls.clone(), controlValues, targets.clone(), values.clone(), diagonal);
        }

        /** The gate with qubit q renamed {@code qubitMap[q]}. */
        Gate renamed(int[] qubitMap) {
            int[] c = new int[controls.length];
            for (int i = 0; i < c.length; i++) {
                c[i] = qubitMap[controls[i]];
            }
            int[] t = new int[targets.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = qubitMap[targets[i]];
            }
            return new Gate(c, controlValues, t, values, diagonal);
        }
    }

    /** Each thread's scratch state for tiles, grown on demand. */
    private static final ThreadLocal<float[][]> TILE_SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);

    /** A state of {@code numQubits} qubits in |0…0⟩ on {@code threads} threads with the selected kernels. */
    FloatStateVector(int numQubits, int threads) {
        this(numQubits, threads, KernelSelector.floatKernels(), Layout.MAX_CHUNK_BITS);
        if (numQubits >= FloatKernelWarmup.MIN_QUBITS && KernelSelector.simd()) {
            FloatKernelWarmup.ensure(kernels);
        }
    }

    /** As above with explicit kernels and chunk size (tests use small chunks to exercise chunk crossing). */
    FloatStateVector(int numQubits, int threads, FloatKernels kernels, int maxChunkBits) {
        this.layout = Layout.of(numQubits, kernels.lanes(), maxChunkBits);
        this.kernels = kernels;
        this.workers = Workers.shared(threads);
        this.chunks = allocate(layout);
        this.reductionBits = Math.min(REDUCTION_BITS, layout.chunkBits());
        this.cacheBits = Math.max(layout.logLanes(), Math.min(layout.chunkBits(),
                Integer.numberOfTrailingZeros(CacheBlocks.bytes() / (2 * Float.BYTES))));
        // tests shrink chunks (and so cacheBits) to a few blocks: let their tiles still take a high qubit or two
        this.minSegmentBits = Math.max(layout.logLanes(), Math.min(MIN_SEGMENT_BITS, cacheBits - 2));
        int lanes = layout.lanes();
        this.ones = new float[lanes];
        Arrays.fill(ones, 1);
        this.laneBit = new float[layout.logLanes()][lanes];
        for (int q = 0; q < layout.logLanes(); q++) {
            for (int l = 0; l < lanes; l++) {
                laneBit[q][l] = (l >>> q) & 1;
            }
        }
        chunks[0][0] = 1;
    }

    private FloatStateVector(FloatStateVector other) {
        this.layout = other.layout;
        this.kernels = other.kernels;
        this.workers = other.workers;
        this.chunks = allocate(layout);
        this.reductionBits = other.reductionBits;
        this.cacheBits = other.cacheBits;
        this.minSegmentBits = other.minSegmentBits;
        this.ones = other.ones;
        this.laneBit = other.laneBit;
        copyFrom(other);
    }

    private static float[][] allocate(Layout layout) {
        long bytes = (long) layout.numChunks() * layout.chunkElements() * Float.BYTES;
        long max = Runtime.getRuntime().maxMemory();
        String what = "a " + layout.numQubits() + "-qubit state in " + Precision.SINGLE.name().toLowerCase()
                + " precision needs " + gib(bytes) + " GiB";
        if (bytes > max) {
            throw new IllegalArgumentException(what + ", more than this JVM's maximum heap of " + gib(max)
                    + " GiB; " + ADVICE);
        }
        try {
            float[][] out = new float[layout.numChunks()][];
            for (int c = 0; c < out.length; c++) {
                out[c] = new float[layout.chunkElements()];
            }
            return out;
        } catch (OutOfMemoryError e) {
            throw new IllegalArgumentException(what + " and that much heap is not free (maximum heap " + gib(max)
                    + " GiB); " + ADVICE, e);
        }
    }

    private static final String ADVICE = "use fewer qubits or a larger heap (-Xmx, through QFED_JAVA_OPTS for the"
            + " qfed launcher); each qubit doubles the memory, and complex64 amplitudes take half the memory of"
            + " complex128 ones";

    private static String gib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / (double) (1L << 30));
    }

    Layout layout() {
        return layout;
    }

    /** Threads the kernels run on. */
    int threads() {
        return workers.threads();
    }

    @Override
    public int numQubits() {
        return layout.numQubits();
    }

    @Override
    public Precision precision() {
        return Precision.SINGLE;
    }

    @Override
    public void setZero() {
        pending.clear();
        forElements((c, from, to) -> Arrays.fill(chunks[c], from, to, 0));
        chunks[0][0] = 1;
    }

    @Override
    public void apply(int[] controls, int controlValues, int[] targets, double[] matrix) {
        GatePlan.checkDense(layout, controls, controlValues, targets, matrix);
        // a gate that leaves a high target unmixed runs as two controlled halves (UnmixedTargets)
        if (!UnmixedTargets.split(layout.logLanes(), controls, controlValues, targets, matrix, this::apply,
                this::applyDiagonal)) {
            queue(gate(controls, controlValues, targets, matrix, false));
        }
    }

    @Override
    public void applyDiagonal(int[] controls, int controlValues, int[] targets, double[] diagonal) {
        GatePlan.checkDiagonal(layout, controls, controlValues, targets, diagonal);
        queue(gate(controls, controlValues, targets, diagonal, true));
    }

    @Override
    public void applyGlobalPhase(double phase) {
        applyDiagonal(new int[0], 0, new int[0], new double[] {Math.cos(phase), Math.sin(phase)});
    }

    /** The gate as received; copied only when it is compiled later, after the caller may have reused its arrays. */
    private Gate gate(int[] controls, int controlValues, int[] targets, double[] values, boolean diagonal) {
        return layout.paddedQubits() > cacheBits
                ? new Gate(controls.clone(), controlValues, targets.clone(), values.clone(), diagonal)
                : new Gate(controls, controlValues, targets, values, diagonal);
    }

    /**
     * Queues a gate: compiled now on states within one cache block (every gate runs as a pass there), when it runs
     * on larger ones (where it may run in a tile, compiled for the tile's layout).
     */
    private void queue(Gate gate) {
        pending.add(layout.paddedQubits() > cacheBits ? new Pending(gate)
                : new Pending(gate, plans.get(layout, gate)));
        if (pending.size() >= MAX_PENDING) {
            // run the oldest sequences only: the newest gates may still join later ones into a sweep
            runPending(MAX_PENDING / 2);
        }
    }

    /**
     * Runs the queued gates in sequences that each cost one sweep: cache block by cache block when all their qubits
     * are below {@code cacheBits}, tile by tile when a few are above; a gate that fits no tile is a pass of its own.
     */
    @Override
    public void flush() {
        runPending(0);
    }

    /** Runs queued sequences, oldest first, until at most {@code keep} gates are left. */
    private void runPending(int keep) {
        boolean blocking = layout.paddedQubits() > cacheBits;
        while (pending.size() > keep) {
            Pending first = pending.get(0);
            if (!blocking || tileLowBits(first.mask) < 0) {
                pending.remove(0);
                pass(first);
                continue;
            }
            List<Pending> sequence = new ArrayList<>();
            List<Pending> rest = new ArrayList<>();
            long mask = 0;
            long overtaken = 0;
            for (Pending p : pending) {
                long m = p.mask;
                if ((m & overtaken) == 0 && tileLowBits(mask | m) >= 0) {
                    sequence.add(p);
                    mask |= m;
                } else {
                    rest.add(p);
                    overtaken |= m;
                }
            }
            pending.clear();
            pending.addAll(rest);
            if (mask >>> cacheBits == 0) {
                runBlocked(sequence);
            } else if (sequence.size() == 1) {
                pass(sequence.get(0));
            } else {
                runTiled(sequence, mask, tileLowBits(mask));
            }
        }
    }

    /**
     * The largest s such that the qubits in {@code mask} fit a tile of the low s qubits plus those of {@code mask}
     * at or above s, within {@code cacheBits} qubits; -1 if none with segments of at least {@code minSegmentBits}.
     */
    private int tileLowBits(long mask) {
        if (!TILES && mask >>> cacheBits != 0) {
            return -1;
        }
        for (int s = cacheBits; s >= minSegmentBits; s--) {
            if (s + Long.bitCount(mask >>> s) <= cacheBits) {
                return s;
            }
        }
        return -1;
    }

    @Override
    public long sweeps() {
        return sweeps;
    }

    /** One gate over the whole state. */
    private void pass(Pending p) {
        Planned planned = p.planned(plans, layout);
        GatePlan plan = planned.plan();
        FloatKernels.Coefficients coefficients = planned.coefficients();
        sweeps++;
        long minPiece = Math.max(1, MIN_PIECE_AMPLITUDES >> (layout.logLanes() + plan.highTargets()));
        workers.forRange(plan.counterEnd(), minPiece,
                (from, to) -> kernels.apply(plan, coefficients, chunks, from, to));
    }

    /** Local gates, all of them on one cache block before the next: one pass over memory. */
    private void runBlocked(List<Pending> sequence) {
        int outer = layout.paddedQubits() - cacheBits;
        GatePlan[] plans = new GatePlan[sequence.size()];
        FloatKernels.Coefficients[] coefficients = new FloatKernels.Coefficients[plans.length];
        for (int i = 0; i < plans.length; i++) {
            Planned planned = sequence.get(i).planned(this.plans, layout);
            plans[i] = planned.plan();
            coefficients[i] = planned.coefficients();
        }
        sweeps++;
        workers.forRange(1L << outer, 1, (b0, b1) -> {
            for (long b = b0; b < b1; b++) {
                for (int i = 0; i < plans.length; i++) {
                    long perBlock = plans[i].counterEnd() >>> outer;
                    kernels.apply(plans[i], coefficients[i], chunks, b * perBlock, (b + 1) * perBlock);
                }
            }
        });
    }

    /** A sequence on {@code [0, s) ∪ H}, H = the qubits of {@code mask} at or above s: tile by tile, one sweep. */
    private void runTiled(List<Pending> sequence, long mask, int s) {
        int n = layout.paddedQubits();
        long high = mask & -(1L << s);
        int h = Long.bitCount(high);
        int tileQubits = s + h;
        int[] qubitMap = new int[n];
        for (int q = 0, j = 0; q < n; q++) {
            qubitMap[q] = q < s ? q : (high & (1L << q)) != 0 ? s + j++ : -1;
        }
        Layout tile = Layout.of(tileQubits, layout.lanes(), Layout.MAX_CHUNK_BITS);
        GatePlan[] plans = new GatePlan[sequence.size()];
        FloatKernels.Coefficients[] coefficients = new FloatKernels.Coefficients[plans.length];
        for (int i = 0; i < plans.length; i++) {
            Planned planned = this.plans.get(tile, sequence.get(i).gate.renamed(qubitMap));
            plans[i] = planned.plan();
            coefficients[i] = planned.coefficients();
        }
        long[] segmentStart = new long[1 << h];
        for (int j = 0; j < segmentStart.length; j++) {
            segmentStart[j] = deposit(j, high);
        }
        long outer = ((1L << n) - 1) & ~high & -(1L << s);
        int segmentElements = 2 << s;
        sweeps++;
        workers.forRange(1L << (n - tileQubits), 1, (u0, u1) -> {
            float[][] scratch = TILE_SCRATCH.get();
            if (scratch[0].length < tile.chunkElements()) {
                scratch[0] = new float[2 << cacheBits];
            }
            float[] buffer = scratch[0];
            for (long u = u0; u < u1; u++) {
                long base = deposit(u, outer);
                for (int j = 0; j < segmentStart.length; j++) {
                    long a = base | segmentStart[j];
                    System.arraycopy(chunks[layout.chunkOf(a)], layout.elementOf(a), buffer, j * segmentElements,
                            segmentElements);
                }
                for (int i = 0; i < plans.length; i++) {
                    kernels.apply(plans[i], coefficients[i], scratch, 0, plans[i].counterEnd());
                }
                for (int j = 0; j < segmentStart.length; j++) {
                    long a = base | segmentStart[j];
                    System.arraycopy(buffer, j * segmentElements, chunks[layout.chunkOf(a)], layout.elementOf(a),
                            segmentElements);
                }
            }
        });
    }

    /** Spreads the low bits of {@code value} over the set bits of {@code mask}, lowest first. */
    private static long deposit(long value, long mask) {
        long out = 0;
        for (long m = mask; m != 0 && value != 0; m &= m - 1, value >>>= 1) {
            if ((value & 1) != 0) {
                out |= Long.lowestOneBit(m);
            }
        }
        return out;
    }

    @Override
    public double probabilityOfOne(int qubit) {
        flush();
        checkQubit(qubit);
        int logS = layout.logLanes();
        int groupBlocks = 1 << (reductionBits - logS);
        double[] sums = groupSums((group, chunk, element) -> {
            if (qubit >= reductionBits) {
                long firstAmplitude = group << reductionBits;
                return ((firstAmplitude >>> qubit) & 1) != 0
                        ? kernels.sumSquares(chunk, element, groupBlocks, ones) : 0;
            }
            if (qubit >= logS) {
                int run = 1 << (qubit - logS);
                double sum = 0;
                for (int b = run; b < groupBlocks; b += 2 * run) {
                    sum += kernels.sumSquares(chunk, element + b * layout.blockElements(), run, ones);
                }
                return sum;
            }
            return kernels.sumSquares(chunk, element, groupBlocks, laneBit[qubit]);
        });
        return sumInOrder(sums);
    }

    @Override
    public void collapse(int qubit, int outcome, double probability) {
        checkQubit(qubit);
        if (outcome != 0 && outcome != 1) {
            throw new IllegalArgumentException("a measurement outcome is 0 or 1, got " + outcome);
        }
        if (!(probability > 0) || probability > 1 + 1e-6) {
            throw new IllegalArgumentException("cannot collapse qubit " + qubit + " onto outcome " + outcome
                    + " of probability " + probability + "; it must be in (0, 1]");
        }
        double scale = 1 / Math.sqrt(probability);
        double[] diagonal = outcome == 0 ? new double[] {scale, 0, 0, 0} : new double[] {0, 0, scale, 0};
        applyDiagonal(new int[0], 0, new int[] {qubit}, diagonal);
    }

    @Override
    public double normSquared() {
        flush();
        int groupBlocks = 1 << (reductionBits - layout.logLanes());
        return sumInOrder(groupSums((group, chunk, element) -> kernels.sumSquares(chunk, element, groupBlocks, ones)));
    }

    /** Most doubles of partial marginals held at once. */
    private static final int MARGINAL_BUDGET = 1 << 22;

    @Override
    public double[] probabilities(int[] qubits) {
        flush();
        int k = qubits.length;
        if (k > 26) {
            throw new IllegalArgumentException("a marginal over " + k + " qubits has more than 2^26 entries;"
                    + " sample instead");
        }
        long seen = 0;
        for (int q : qubits) {
            checkQubit(q);
            if ((seen & (1L << q)) != 0) {
                throw new IllegalArgumentException("qubit " + q + " appears twice in " + Arrays.toString(qubits));
            }
            seen |= 1L << q;
        }
        int lanes = layout.lanes();
        int logS = layout.logLanes();
        // outcome bits contributed by the lane (low qubits) and by the block index (high qubits)
        int[] laneOutcome = new int[lanes];
        for (int l = 0; l < lanes; l++) {
            for (int j = 0; j < k; j++) {
                if (qubits[j] < logS) {
                    laneOutcome[l] |= ((l >>> qubits[j]) & 1) << j;
                }
            }
        }
        int outcomes = 1 << k;
        long blocks = layout.numBlocks();
        // a fixed split into parts (not one per thread), each summed in index order: thread-count independent
        int parts = (int) Math.max(1, Math.min(Math.min(blocks, 256), MARGINAL_BUDGET >> k));
        double[][] partial = new double[parts][];
        workers.forRange(parts, 1, (p0, p1) -> {
            for (int p = (int) p0; p < p1; p++) {
                double[] h = new double[outcomes];
                long end = blocks * (p + 1) / parts;
                for (long b = blocks * p / parts; b < end; b++) {
                    int high = 0;
                    for (int j = 0; j < k; j++) {
                        if (qubits[j] >= logS) {
                            high |= (int) ((b >>> (qubits[j] - logS)) & 1) << j;
                        }
                    }
                    float[] chunk = chunks[(int) (b >>> layout.chunkBlockShift())];
                    int o = layout.elementOfBlock(b);
                    for (int l = 0; l < lanes; l++) {
                        double xr = chunk[o + l];
                        double xi = chunk[o + lanes + l];
                        h[high | laneOutcome[l]] += xr * xr + xi * xi;
                    }
                }
                partial[p] = h;
            }
        });
        double[] out = partial[0];
        for (int p = 1; p < parts; p++) {
            for (int x = 0; x < outcomes; x++) {
                out[x] += partial[p][x];
            }
        }
        return out;
    }

    @Override
    public void sample(double[] sortedUniforms, long[] out) {
        flush();
        if (out.length != sortedUniforms.length) {
            throw new IllegalArgumentException("sample needs one output per uniform, got " + sortedUniforms.length
                    + " uniforms and " + out.length + " outputs");
        }
        double previous = 0;
        for (int i = 0; i < sortedUniforms.length; i++) {
            double u = sortedUniforms[i];
            if (!(u >= previous) || u >= 1) {
                throw new IllegalArgumentException("uniform " + i + " is " + u
                        + "; uniforms must be ascending numbers in [0, 1)");
            }
            previous = u;
        }
        if (sortedUniforms.length == 0) {
            return;
        }
        int groupBlocks = 1 << (reductionBits - layout.logLanes());
        double[] sums = groupSums((group, chunk, element) -> kernels.sumSquares(chunk, element, groupBlocks, ones));
        double[] cumulative = new double[sums.length + 1];
        for (int g = 0; g < sums.length; g++) {
            cumulative[g + 1] = cumulative[g] + sums[g];
        }
        double total = cumulative[sums.length];
        if (!(total > 0)) {
            throw new IllegalStateException("cannot sample a state of norm " + total);
        }
        // uniforms are scaled by the norm: a state that drifted slightly from norm 1 samples its normalised law
        workers.forRange(sums.length, 16, (g0, g1) -> {
            int shot = firstShotAtLeast(sortedUniforms, total, cumulative[(int) g0]);
            for (int g = (int) g0; g < g1 && shot < out.length; g++) {
                int last = shot;
                while (last < out.length && sortedUniforms[last] * total < cumulative[g + 1]) {
                    last++;
                }
                if (last > shot) {
                    sampleGroup(g, cumulative[g], sortedUniforms, total, shot, last, out);
                }
                shot = last;
            }
            if (g1 == sums.length) {
                // rounding can leave u·total at or past the last cumulative sum
                for (; shot < out.length; shot++) {
                    out[shot] = lastNonzeroAmplitude();
                }
            }
        });
    }

    private static int firstShotAtLeast(double[] sortedUniforms, double total, double bound) {
        int lo = 0;
        int hi = sortedUniforms.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sortedUniforms[mid] * total < bound) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Assigns shots {@code [from, to)}, known to fall in reduction group {@code group}, by a scan in index order. */
    private void sampleGroup(int group, double start, double[] uniforms, double total, int from, int to,
                             long[] out) {
        long first = (long) group << reductionBits;
        float[] chunk = chunks[layout.chunkOf(first)];
        int element = layout.elementOf(first);
        int lanes = layout.lanes();
        int blocks = 1 << (reductionBits - layout.logLanes());
        double c = start;
        long lastNonzero = -1;
        int shot = from;
        for (int b = 0; b < blocks && shot < to; b++) {
            int o = element + b * 2 * lanes;
            for (int l = 0; l < lanes; l++) {
                double xr = chunk[o + l];
                double xi = chunk[o + lanes + l];
                double p = xr * xr + xi * xi;
                if (p > 0) {
                    c += p;
                    long index = first + (long) b * lanes + l;
                    lastNonzero = index;
                    while (shot < to && uniforms[shot] * total < c) {
                        out[shot++] = index;
                    }
                }
            }
        }
        while (shot < to) {
            out[shot++] = lastNonzero >= 0 ? lastNonzero : lastNonzeroAmplitude();
        }
    }

    private long lastNonzeroAmplitude() {
        for (long i = layout.numAmplitudes() - 1; i > 0; i--) {
            float[] chunk = chunks[layout.chunkOf(i)];
            int e = layout.elementOf(i);
            if (chunk[e] != 0 || chunk[e + layout.lanes()] != 0) {
                return i;
            }
        }
        return 0;
    }

    @Override
    public double[] amplitude(long index) {
        flush();
        if (index < 0 || index >= layout.numAmplitudes()) {
            throw new IndexOutOfBoundsException("amplitude " + index + " of a " + layout.numQubits()
                    + "-qubit state (indices 0 to " + (layout.numAmplitudes() - 1) + ")");
        }
        float[] chunk = chunks[layout.chunkOf(index)];
        int e = layout.elementOf(index);
        return new double[] {chunk[e], chunk[e + layout.lanes()]};
    }

    @Override
    public double[] toArray() {
        flush();
        if (layout.numQubits() > 26) {
            throw new IllegalStateException("a " + layout.numQubits() + "-qubit state has more than 2^26 amplitudes:"
                    + " too large for one array; read amplitudes one by one or sample instead");
        }
        int n = (int) layout.numAmplitudes();
        double[] out = new double[2 * n];
        int lanes = layout.lanes();
        for (int i = 0; i < n; i++) {
            float[] chunk = chunks[layout.chunkOf(i)];
            int e = layout.elementOf(i);
            out[2 * i] = chunk[e];
            out[2 * i + 1] = chunk[e + lanes];
        }
        return out;
    }

    @Override
    public StateVector copy() {
        flush();
        return new FloatStateVector(this);
    }

    @Override
    public void copyFrom(StateVector other) {
        if (!(other instanceof FloatStateVector o) || !o.layout.equals(layout)) {
            throw new IllegalArgumentException("copyFrom needs a state of the same kind, qubits and precision: this is "
                    + describe(this) + ", the source is " + describe(other));
        }
        o.flush();
        pending.clear();
        forElements((c, from, to) -> System.arraycopy(o.chunks[c], from, chunks[c], from, to - from));
    }

    private static String describe(StateVector s) {
        return s.getClass().getSimpleName() + " of " + s.numQubits() + " qubits in "
                + s.precision().name().toLowerCase() + " precision";
    }

    private void checkQubit(int qubit) {
        if (qubit < 0 || qubit >= layout.numQubits()) {
            throw new IllegalArgumentException("qubit " + qubit + " is out of range for a " + layout.numQubits()
                    + "-qubit state");
        }
    }

    @FunctionalInterface
    private interface GroupSum {
        double sum(long group, float[] chunk, int element);
    }

    /** Per reduction group, in parallel; each group's value depends only on the group. */
    private double[] groupSums(GroupSum f) {
        int groups = 1 << (layout.paddedQubits() - reductionBits);
        double[] sums = new double[groups];
        workers.forRange(groups, Math.max(1, MIN_PIECE_AMPLITUDES >> reductionBits), (g0, g1) -> {
            for (long g = g0; g < g1; g++) {
                long first = g << reductionBits;
                sums[(int) g] = f.sum(g, chunks[layout.chunkOf(first)], layout.elementOf(first));
            }
        });
        return sums;
    }

    private static double sumInOrder(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum;
    }

    @FunctionalInterface
    private interface ElementRange {
        void run(int chunk, int from, int to);
    }

    /** Runs {@code f} over every chunk's elements in slices, in parallel. */
    private void forElements(ElementRange f) {
        int slice = Math.min(layout.chunkElements(), 1 << 20);
        int slicesPerChunk = layout.chunkElements() / slice;
        workers.forRange((long) layout.numChunks() * slicesPerChunk, 1, (s0, s1) -> {
            for (long s = s0; s < s1; s++) {
                int c = (int) (s / slicesPerChunk);
                int from = (int) (s % slicesPerChunk) * slice;
                f.run(c, from, from + slice);
            }
        });
    }
}
