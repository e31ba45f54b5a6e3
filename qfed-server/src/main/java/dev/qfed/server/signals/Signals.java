package dev.qfed.server.signals;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wake-ups for long polls. A waiter registers the keys it cares about ({@link #work(String)} for a backend's
 * queue, {@link #job(String)} for a job's outcome) <em>before</em> it looks at the database, then sleeps until
 * one of them is signalled or its time runs out, so a signal between the look and the sleep is never lost.
 *
 * <p>Signals are in-process; a {@link Publisher} carries them to other broker replicas (PostgreSQL
 * LISTEN/NOTIFY) and back in through {@link #signalLocal}. Waiters also look again every so often, which bounds
 * the delay when a cross-replica signal is lost.
 */
public final class Signals {

    /** Sends a signal to the other replicas; see {@code PgNotifications}. */
    public interface Publisher {
        Publisher NONE = keys -> { };

        void publish(Collection<String> keys);
    }

    private final Map<String, Set<Waiter>> waiters = new ConcurrentHashMap<>();
    private volatile Publisher publisher = Publisher.NONE;

    public static String work(String backend) {
        return "w:" + backend;
    }

    public static String job(String jobId) {
        return "j:" + jobId;
    }

    public void publisher(Publisher publisher) {
        this.publisher = publisher;
    }

    /** Wakes local waiters on these keys and tells the other replicas. */
    public void signal(Collection<String> keys) {
        signalLocal(keys);
        if (!keys.isEmpty()) {
            publisher.publish(keys);
        }
    }

    public void signal(String key) {
        signal(List.of(key));
    }

    /** Wakes local waiters only (used for signals that arrive from other replicas). */
    public void signalLocal(Collection<String> keys) {
        for (String key : keys) {
            Set<Waiter> set = waiters.get(key);
            if (set != null) {
                set.forEach(Waiter::wake);
            }
        }
    }

    /** Registers interest in {@code keys}; close the waiter when done. */
    public Waiter register(Collection<String> keys) {
        Waiter w = new Waiter(List.copyOf(keys));
        for (String key : w.keys) {
            waiters.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(w);
        }
        return w;
    }

    /** How many waiters are registered now (for tests and metrics). */
    public int waiting() {
        return waiters.values().stream().mapToInt(Set::size).sum();
    }

    /** One long poll's registration. */
    public final class Waiter implements AutoCloseable {
        private final List<String> keys;
        private final Semaphore permits = new Semaphore(0);

        private Waiter(List<String> keys) {
            this.keys = keys;
        }

        void wake() {
            if (permits.availablePermits() == 0) {
                permits.release();
            }
        }

        /** Sleeps until signalled (true) or {@code timeout} passes (false); consumes the signal. */
        public boolean await(Duration timeout) throws InterruptedException {
            boolean signalled = permits.tryAcquire(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            permits.drainPermits();
            return signalled;
        }

        @Override
        public void close() {
            for (String key : keys) {
                waiters.computeIfPresent(key, (k, set) -> {
                    set.remove(this);
                    return set.isEmpty() ? null : set;
                });
            }
        }
    }
}
