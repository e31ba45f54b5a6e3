package dev.qfed.emulator.state;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Gets the SIMD kernels compiled before they meet a large state. Vector API code runs hundreds of times slower
 * until the optimising JIT has compiled it, and the JIT compiles a kernel only after many calls or loop
 * iterations: left alone, the first passes over a 24-qubit state would each take seconds. So before the first
 * large state, each common kernel path runs many times on a tiny state (cheap even while slow) until its time per
 * block shows optimised code, or a time budget runs out. Once per JVM and precision. The paths: dense gates of one
 * and two targets in every high/low split (what fusion at the default width produces), a controlled diagonal,
 * controlled X on high and low targets (permutations), and the reduction behind norms and sampling.
 *
 * <p>A caller that knows a large state is coming (the CLI, once it has seen the circuit's qubit declarations) can
 * start the warm-up on a thread of its own ({@link StateVectors#prepare}), so that it overlaps parsing and
 * fusion; the first large state then waits only for what is left of it.
 */
final class FloatKernelWarmup {

    /** States from this size on are worth the warm-up. */
    static final int MIN_QUBITS = 18;

    /** Longest the warm-up waits for the JIT. */
    private static final long BUDGET_NANOS = 3_000_000_000L;

    /** Below this time per block a path runs optimised code (tens of nanoseconds; unoptimised: microseconds). */
    private static final double COMPILED_NANOS_PER_BLOCK = 60;

    /** The one warm-up of this JVM: whoever calls {@code run()} first executes it, later callers wait for it. */
    private static volatile FutureTask<Integer> task;

    private FloatKernelWarmup() {
    }

    /** Warms {@code kernels} up once: runs the warm-up here, or waits for the one already under way or done. */
    static void ensure(FloatKernels kernels) {
        FutureTask<Integer> t = task(kernels);
        t.run(); // a no-op when another thread runs it or ran it
        try {
            t.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the SIMD kernel warm-up failed", e.getCause());
        }
    }

    private static synchronized FutureTask<Integer> task(FloatKernels kernels) {
        if (task == null) {
            task = new FutureTask<>(() -> run(kernels, BUDGET_NANOS));
        }
        return task;
    }

    private interface Task {
        void run();
    }

    /** Runs every path until it is fast or the budget is spent; returns the paths still slow. */
    static int run(FloatKernels kernels, long budgetNanos) {
        int logS = Integer.numberOfTrailingZeros(kernels.lanes());
        Layout layout = Layout.of(logS + 3, kernels.lanes(), Layout.MAX_CHUNK_BITS);
        float[][] chunks = new float[layout.numChunks()][layout.chunkElements()];
        for (float[] c : chunks) {
            java.util.Arrays.fill(c, 1e-3f);
        }
        int lo = 0;
        int hi = logS;
        List<GatePlan> plans = new ArrayList<>();
        plans.add(dense(layout, new int[] {}, new int[] {hi}));
        plans.add(dense(layout, new int[] {}, new int[] {lo}));
        plans.add(dense(layout, new int[] {}, new int[] {hi, hi + 1}));
        plans.add(dense(layout, new int[] {}, new int[] {lo, hi}));
        plans.add(dense(layout, new int[] {}, new int[] {lo, lo + 1}));
        plans.add(GatePlan.diagonal(layout, new int[] {hi + 2}, 1, new int[] {lo, hi},
                new double[] {1, 0, 0, 1, -1, 0, 0, -1}));
        // a CZ on high qubits: rows that are the identity, which the kernel skips (a branch the profile must see)
        plans.add(GatePlan.diagonal(layout, new int[] {}, 0, new int[] {hi, hi + 1},
                new double[] {1, 0, 1, 0, 1, 0, -1, 0}));
        double[] x = {0, 0, 1, 0, 1, 0, 0, 0};
        plans.add(GatePlan.dense(layout, new int[] {hi + 1}, 1, new int[] {hi}, x));
        plans.add(GatePlan.dense(layout, new int[] {hi}, 1, new int[] {lo}, x));
        List<Task> tasks = new ArrayList<>();
        for (GatePlan plan : plans) {
            FloatKernels.Coefficients c = FloatKernels.Coefficients.of(plan);
            tasks.add(() -> kernels.apply(plan, c, chunks, 0, plan.counterEnd()));
        }
        float[] ones = new float[kernels.lanes()];
        java.util.Arrays.fill(ones, 1);
        int blocks = (int) layout.numBlocks();
        tasks.add(() -> kernels.sumSquares(chunks[0], 0, blocks, ones));

        long deadline = System.nanoTime() + budgetNanos;
        int[] fastRounds = new int[tasks.size()];
        int pending = tasks.size();
        long rounds = 0;
        while (pending > 0 && System.nanoTime() < deadline) {
            if (++rounds > REQUESTED_ROUNDS) {
                // every slow path has run often enough to be queued for the optimising JIT: leave the cores to the
                // compiler threads (on two cores this loop would take one of them) and only look now and then
                sleepQuietly();
            }
            for (int i = 0; i < tasks.size(); i++) {
                if (fastRounds[i] >= 3) {
                    continue;
                }
                Task task = tasks.get(i);
                long start = System.nanoTime();
                for (int rep = 0; rep < 100; rep++) {
                    task.run();
                }
                double perBlock = (System.nanoTime() - start) / (100.0 * blocks);
                fastRounds[i] = perBlock < COMPILED_NANOS_PER_BLOCK ? fastRounds[i] + 1 : 0;
                if (fastRounds[i] >= 3) {
                    pending--;
                }
            }
        }
        return pending;
    }

    /**
     * Rounds of 100 calls per path after which the JIT has been asked for optimised code of every path (the
     * default tiered thresholds ask after 5,000 calls, fewer when the calls loop): later rounds only check.
     */
    private static final int REQUESTED_ROUNDS = 80;

    private static void sleepQuietly() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static GatePlan dense(Layout layout, int[] controls, int[] targets) {
        int dim = 1 << targets.length;
        double[] m = new double[2 * dim * dim];
        double a = 1 / Math.sqrt(dim); // a Fourier-like unitary: every entry nonzero, so the plan is dense
        for (int r = 0; r < dim; r++) {
            for (int c = 0; c < dim; c++) {
                double phase = 2 * Math.PI * r * c / dim;
                m[2 * (r * dim + c)] = a * Math.cos(phase);
                m[2 * (r * dim + c) + 1] = a * Math.sin(phase);
            }
        }
        return GatePlan.dense(layout, controls, 0, targets, m);
    }
}
