package dev.qfed.bench.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The machine's memory bandwidth as a state-vector kernel sees it: an in-place read-modify-write triad
 * {@code a[i] = a[i]·s + t} over a float array much larger than the caches, on 1 or more threads, each thread on its
 * own contiguous part. Bytes moved per sweep = 2 × array bytes (every element read and written), the same
 * accounting as a gate pass over the state.
 */
public final class TriadBandwidth {

    /** Array size: far beyond the last-level cache. */
    public static final long DEFAULT_BYTES = 1L << 30;

    private TriadBandwidth() {
    }

    /** The best of {@code sweeps} timed sweeps, in bytes per second. */
    public static double measure(int threads, long bytes, int sweeps) {
        int length = (int) Math.min(Integer.MAX_VALUE - 8, bytes / Float.BYTES);
        float[] a = new float[length];
        java.util.Arrays.fill(a, 1f);
        sweep(a, threads); // warm-up: compiles the loop and faults in the pages
        double best = Double.MAX_VALUE;
        for (int s = 0; s < sweeps; s++) {
            long t0 = System.nanoTime();
            sweep(a, threads);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return 2.0 * length * Float.BYTES / best;
    }

    private static void sweep(float[] a, int threads) {
        if (threads == 1) {
            triad(a, 0, a.length);
            return;
        }
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) a.length * t / threads);
            int to = (int) ((long) a.length * (t + 1) / threads);
            started.add(Thread.ofPlatform().daemon().start(() -> {
                triad(a, from, to);
                done.countDown();
            }));
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring bandwidth", e);
        }
    }

    /** The JIT vectorises this loop. */
    private static void triad(float[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            a[i] = a[i] * 0.999f + 1e-6f;
        }
    }
}
