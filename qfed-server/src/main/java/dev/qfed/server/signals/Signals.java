package dev.qfed.server.signals;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Wake-ups for long polls. A waiter registers the keys it cares about ({@link #work(String)} for a backend's
 * queue, {@link #job(String)} for a job's outcome) <em>before</em> it looks at the database, then sleeps until
 * one of them is signalled or its time runs out, so a signal between the look and the sleep is never lost.
 *
 * <p>Signals are in-process; a {@link Publisher} carries them to other broker replicas (PostgreSQL
 * LISTEN/NOTIFY) and back in through {@link #signalLocal}. Waiters also look again every so often, which bounds
 * the delay when a cross-replica signal is lost.
 *
 * <p>A long poll whose client hangs up ends early: the HTTP layer runs the poll inside {@link #forClient}, and a
 * waiter registered there watches the client's connection from its first sleep on; when the connection closes,
 * the sleep ends with {@link ClientGoneException}. The services that wait need not know.
 */
public final class Signals {

    /** Sends a signal to the other replicas; see {@code PgNotifications}. */
    public interface Publisher {
        Publisher NONE = keys -> { };

        void publish(Collection<String> keys);
    }

    /**
     * The connection of the client a long poll answers, as the HTTP layer sees it. {@link #NONE} watches nothing
     * (in-process callers, connections the HTTP layer cannot watch).
     */
    @FunctionalInterface
    public interface Client {
        Client NONE = onHangup -> () -> { };

        /**
         * Starts watching the connection: {@code onHangup} runs at most once, on another thread, if the client goes
         * away before the returned watch is closed.
         */
        Watch watch(Runnable onHangup);
    }

    /** One {@link Client#watch}; closing it stops the watch (idempotent). */
    public interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    private final Map<String, Set<Waiter>> waiters = new ConcurrentHashMap<>();
    private final ThreadLocal<Client> client = new ThreadLocal<>();
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder hangups = new LongAdder();
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

    /**
     * Runs a long poll on behalf of {@code client}: a waiter this thread registers meanwhile ends its sleep with
     * {@link ClientGoneException} when the client hangs up.
     */
    public <T> T forClient(Client client, Callable<T> poll) throws Exception {
        Client outer = this.client.get();
        this.client.set(client);
        try {
            return poll.call();
        } finally {
            if (outer == null) {
                this.client.remove();
            } else {
                this.client.set(outer);
            }
        }
    }

    /** Registers interest in {@code keys}; close the waiter when done. */
    public Waiter register(Collection<String> keys) {
        Client c = client.get();
        Waiter w = new Waiter(List.copyOf(keys), c == null ? Client.NONE : c);
        for (String key : w.keys) {
            waiters.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(w);
        }
        open.incrementAndGet();
        return w;
    }

    /** How many key registrations there are now, summed over waiters (for tests). */
    public int waiting() {
        return waiters.values().stream().mapToInt(Set::size).sum();
    }

    /** How many waiters (long polls) are open now. */
    public int waiters() {
        return open.get();
    }

    /** How many waits have ended because their client hung up, since start. */
    public long hangups() {
        return hangups.sum();
    }

    /** One long poll's registration. */
    public final class Waiter implements AutoCloseable {
        private final List<String> keys;
        private final Client client;
        private final Semaphore permits = new Semaphore(0);
        private volatile boolean gone;
        private boolean closed;
        /** Started by the first {@link #await} (only the owning thread touches it), so polls that never sleep pay nothing. */
        private Watch watch;

        private Waiter(List<String> keys, Client client) {
            this.keys = keys;
            this.client = client;
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

        /**
         * Sleeps until signalled (true) or {@code timeout} passes (false); consumes the signal.
         *
         * @throws ClientGoneException the poll's client hung up (see {@link #forClient})
         */
        public boolean await(Duration timeout) throws InterruptedException {
            if (watch == null && client != Client.NONE) {
                watch = client.watch(this::hangUp);
            }
            if (gone) {
                throw new ClientGoneException();
            }
            boolean signalled = permits.tryAcquire(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            permits.drainPermits();
            if (gone) {
                throw new ClientGoneException();
            }
            return signalled;
        }

        private void hangUp() {
            gone = true;
            hangups.increment();
            wake();
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (watch != null) {
                watch.close();
            }
            for (String key : keys) {
                waiters.computeIfPresent(key, (k, set) -> {
                    set.remove(this);
                    return set.isEmpty() ? null : set;
                });
            }
            open.decrementAndGet();
        }
    }
}
