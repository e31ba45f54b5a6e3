package dev.qfed.emulator.state;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/**
 * Runs numbered tasks on a fixed number of threads. Kernels split their index range into tasks; which thread runs
 * a task never changes a result, because every reduction writes one partial per fixed-size block and the caller
 * adds the partials in block order.
 *
 * <p>Pools are shared per thread count (their workers are daemon threads that retire when idle), so creating many
 * state vectors does not create many pools.
 */
final class Parallel {
    private static final ConcurrentHashMap<Integer, ForkJoinPool> POOLS = new ConcurrentHashMap<>();
    private static final Parallel SEQUENTIAL = new Parallel(1, null);

    private final int threads;
    private final ForkJoinPool pool;

    private Parallel(int threads, ForkJoinPool pool) {
        this.threads = threads;
        this.pool = pool;
    }

    static Parallel of(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (threads == 1) {
            return SEQUENTIAL;
        }
        return new Parallel(threads, POOLS.computeIfAbsent(threads, ForkJoinPool::new));
    }

    int threads() {
        return threads;
    }

    /** Runs {@code body} for every task in [0, tasks) and returns when all are done. */
    void run(int tasks, IntConsumer body) {
        if (pool == null || tasks <= 1) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        pool.invoke(new Range(body, 0, tasks));
    }

    private static final class Range extends RecursiveAction {
        private final IntConsumer body;
        private final int lo;
        private final int hi;

        Range(IntConsumer body, int lo, int hi) {
            this.body = body;
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        protected void compute() {
            if (hi - lo == 1) {
                body.accept(lo);
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Range(body, lo, mid), new Range(body, mid, hi));
        }
    }
}
