package dev.qfed.emulator.state;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Splits an index range over a fixed number of threads: the caller plus {@code threads − 1} daemon workers, shared
 * by every state of that thread count. Pieces are large and contiguous and taken from a shared counter, so a core
 * that another process slows down takes fewer pieces; the pieces never overlap, so kernels need no locks, and as
 * every index is processed by the same code whichever thread takes it, results do not depend on the split.
 */
final class Workers {

    /** A piece of work over {@code [from, to)}. */
    @FunctionalInterface
    interface RangeTask {
        void run(long from, long to);
    }

    /** Pieces per thread: enough to even out a slow core, few enough that each stays large. */
    private static final int PIECES_PER_THREAD = 4;

    private static final ConcurrentHashMap<Integer, Workers> SHARED = new ConcurrentHashMap<>();

    private final int threads;
    private final ExecutorService pool;

    private Workers(int threads) {
        this.threads = threads;
        if (threads == 1) {
            this.pool = null;
        } else {
            AtomicInteger ids = new AtomicInteger();
            this.pool = Executors.newFixedThreadPool(threads - 1, r -> {
                Thread t = new Thread(r, "qfed-emulator-" + threads + "-" + ids.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }

    /** The shared workers for {@code threads} threads (at least 1). */
    static Workers shared(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        return SHARED.computeIfAbsent(threads, Workers::new);
    }

    int threads() {
        return threads;
    }

    /**
     * Runs {@code task} over {@code [0, total)} in pieces of at least {@code minPiece}, on all threads, and returns
     * when every piece is done. An exception from any piece is rethrown here.
     */
    void forRange(long total, long minPiece, RangeTask task) {
        if (total <= 0) {
            return;
        }
        long piece = Math.max(Math.max(1, minPiece), (total + threads * PIECES_PER_THREAD - 1)
                / (threads * PIECES_PER_THREAD));
        if (threads == 1 || piece >= total) {
            task.run(0, total);
            return;
        }
        Job job = new Job(total, piece, task);
        long pieces = (total + piece - 1) / piece;
        int helpers = (int) Math.min(threads - 1, pieces - 1);
        for (int i = 0; i < helpers; i++) {
            pool.execute(job::work);
        }
        job.work();
        job.awaitDone();
    }

    private static final class Job {
        final long total;
        final long piece;
        final RangeTask task;
        final AtomicLong next = new AtomicLong();
        final AtomicLong done = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(long total, long piece, RangeTask task) {
            this.total = total;
            this.piece = piece;
            this.task = task;
        }

        void work() {
            while (true) {
                long from = next.getAndAdd(piece);
                if (from >= total) {
                    return;
                }
                long to = Math.min(total, from + piece);
                try {
                    if (failure.get() == null) {
                        task.run(from, to);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    if (done.addAndGet(to - from) == total) {
                        synchronized (this) {
                            notifyAll();
                        }
                    }
                }
            }
        }

        void awaitDone() {
            // the last pieces usually finish within microseconds of the caller's: spin briefly before blocking
            for (int spin = 0; spin < 20_000 && done.get() < total; spin++) {
                Thread.onSpinWait();
            }
            if (done.get() < total) {
                boolean interrupted = false;
                synchronized (this) {
                    while (done.get() < total) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            interrupted = true; // the pieces still write the state: wait for them regardless
                        }
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            Throwable t = failure.get();
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error err) {
                throw err;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }
    }
}
