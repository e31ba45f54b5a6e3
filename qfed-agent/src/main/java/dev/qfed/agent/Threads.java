package dev.qfed.agent;

import java.time.Duration;

/** The agent's ways of sleeping, waking and joining its threads, none of which throws. */
final class Threads {
    private Threads() {
    }

    /** Sleeps; false when interrupted (the flag is cleared: the loops check their state instead). */
    static boolean sleep(Duration d) {
        try {
            Thread.sleep(d);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    static void interrupt(Thread t) {
        if (t != null) {
            t.interrupt();
        }
    }

    static void joinQuietly(Thread t, Duration timeout) {
        if (t == null || t == Thread.currentThread() || timeout.isNegative() || timeout.isZero()) {
            return;
        }
        try {
            t.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
