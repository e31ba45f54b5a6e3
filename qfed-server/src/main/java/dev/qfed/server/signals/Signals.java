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

    private static final String WORK = "w:";

    public static String work(String backend) {
        return WORK + backend;
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

    /**
     * Wakes local waiters only (used for signals that arrive from other replicas). A job key wakes every waiter
     * of that job. A work key wakes one waiter of that backend: new work is taken by one lease poll, and waking
     * every agent poller for every submitted job would turn each submission into as many empty claims as there
     * are pollers. A poller that fills all its slots passes the signal on ({@link #passOn}), so a burst still
     * reaches as many pollers as it needs.
     */
    public void signalLocal(Collection<String> keys) {
        for (String key : keys) {
            Set<Waiter> set = waiters.get(key);
            if (set == null) {
                continue;
            }
            if (key.startsWith(WORK)) {
                wakeOne(set);
            } else {
                set.forEach(Waiter::wake);
            }
        }
    }

    /** Hands a work signal on to another local waiter (one that is not already woken). */
    public void passOn(String workKey) {
        Set<Waiter> set = waiters.get(workKey);
        if (set != null) {
            wakeOne(set);
        }
    }

    private static void wakeOne(Set<Waiter> set) {
        for (Waiter w : set) {
            if (w.wake()) {
                return;
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

        /** Gives this waiter a signal; false if it had one pending already. */
        boolean wake() {
            synchronized (permits) {
                if (permits.availablePermits() > 0) {
                    return false;
                }
                permits.release();
                return true;
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
