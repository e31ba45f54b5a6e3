package dev.qfed.server.backends;

import dev.qfed.api.Backend;
import dev.qfed.api.BackendStatus;
import dev.qfed.server.backends.BackendStore.BackendRow;
import dev.qfed.server.backends.BackendStore.QueueStats;
import dev.qfed.server.scheduler.BackendCandidate;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The backends of the consortium as the broker sees them: registrations from the database and queue statistics,
 * cached for the hot path (admission must not query every backend's queue per job) and refreshed by
 * {@link #refresh()} — on every registration and every second by the broker's ticker. Between refreshes, jobs
 * this replica places are counted in so a burst does not all land on the backend that looked emptiest.
 */
public final class BackendCatalog {
    private static final double DEFAULT_RUN_SECONDS = 1.0;
    private static final double EWMA_WEIGHT = 0.1;

    private final Jdbi jdbi;
    private final BackendStore store;
    private final Clock clock;
    private final Duration agentTimeout;

    private volatile Snapshot snapshot = new Snapshot(List.of(), Map.of());
    private final Map<String, AtomicLong> placedSinceRefresh = new ConcurrentHashMap<>();
    private final Map<String, Double> meanRunSeconds = new ConcurrentHashMap<>();
    /** When this replica last wrote each agent's last_seen_at, to write it at most every few seconds. */
    private final Map<String, Instant> agentSeenWritten = new ConcurrentHashMap<>();

    private record Snapshot(List<BackendRow> rows, Map<String, QueueStats> stats) {
    }

    public BackendCatalog(Jdbi jdbi, BackendStore store, Clock clock, Duration agentTimeout) {
        this.jdbi = jdbi;
        this.store = store;
        this.clock = clock;
        this.agentTimeout = agentTimeout;
    }

    private volatile Instant refreshedAt = Instant.EPOCH;

    /** Reloads registrations and queue statistics. */
    public void refresh() {
        Instant started = clock.instant();
        Snapshot next = jdbi.withHandle(h -> new Snapshot(store.list(h), store.queueStats(h)));
        snapshot = next;
        placedSinceRefresh.clear();
        refreshedAt = started;
    }

    /**
     * Reloads unless the snapshot is younger than {@code age}; for a request that names a backend this replica
     * has not seen yet (registered through another replica), without letting a stream of such requests turn
     * into a stream of reloads.
     *
     * @return whether it reloaded
     */
    public boolean refreshIfOlderThan(Duration age) {
        if (Duration.between(refreshedAt, clock.instant()).compareTo(age) < 0) {
            return false;
        }
        refresh();
        return true;
    }

    /** Whether the cached snapshot has a backend of this name. */
    public boolean knows(String name) {
        return snapshot.rows().stream().anyMatch(r -> r.name().equals(name));
    }

    /** Every backend as a scheduling candidate. */
    public List<BackendCandidate> candidates() {
        Snapshot s = snapshot;
        Instant now = clock.instant();
        return s.rows().stream().map(r -> {
            QueueStats q = s.stats().getOrDefault(r.name(), QueueStats.EMPTY);
            long placed = Optional.ofNullable(placedSinceRefresh.get(r.name())).map(AtomicLong::get).orElse(0L);
            return new BackendCandidate(r.name(), r.member(), r.numQubits(), new HashSet<>(r.supportedGates()),
                    online(r, now), q.queued() + placed, q.leased(),
                    meanRunSeconds.getOrDefault(r.name(), DEFAULT_RUN_SECONDS));
        }).toList();
    }

    /** Counts a job this replica just queued on {@code backend}. */
    public void placed(String backend) {
        placedSinceRefresh.computeIfAbsent(backend, k -> new AtomicLong()).incrementAndGet();
    }

    /** Feeds the mean run time from a lease to its result. */
    public void ran(String backend, Duration leaseToResult) {
        double seconds = leaseToResult.toNanos() / 1e9;
        meanRunSeconds.merge(backend, seconds, (old, x) -> old + EWMA_WEIGHT * (x - old));
    }

    /**
     * The backends registered by an agent. Read from the database when the cached snapshot does not know the
     * agent yet (it registered on another replica).
     */
    public List<String> backendsOf(String agentId) {
        List<String> cached = snapshot.rows().stream().filter(r -> r.agentId().map(agentId::equals).orElse(false))
                .map(BackendRow::name).toList();
        if (!cached.isEmpty()) {
            return cached;
        }
        return jdbi.withHandle(h -> store.list(h)).stream()
                .filter(r -> r.agentId().map(agentId::equals).orElse(false)).map(BackendRow::name).toList();
    }

    /** Names of the backends in the last snapshot (for bounded metric labels). */
    public List<String> names() {
        return snapshot.rows().stream().map(BackendRow::name).toList();
    }

    /** Queue statistics from the last snapshot. */
    public Map<String, QueueStats> stats() {
        return snapshot.stats();
    }

    /** Whether this replica should write the agent's last_seen_at now (at most every 5 s per agent). */
    public boolean shouldTouchAgent(String agentId, Instant now) {
        Instant last = agentSeenWritten.get(agentId);
        if (last != null && Duration.between(last, now).compareTo(Duration.ofSeconds(5)) < 0) {
            return false;
        }
        agentSeenWritten.put(agentId, now);
        return true;
    }

    /** Current backends, read fresh from the database, shaped for the API. */
    public List<Backend> list() {
        Snapshot fresh = jdbi.withHandle(h -> new Snapshot(store.list(h), store.queueStats(h)));
        Instant now = clock.instant();
        return fresh.rows().stream().map(r -> toApi(r, fresh.stats().getOrDefault(r.name(), QueueStats.EMPTY), now))
                .toList();
    }

    /** One backend, fresh from the database. */
    public Optional<Backend> find(String name) {
        return list().stream().filter(b -> b.name().equals(name)).findFirst();
    }

    private boolean online(BackendRow r, Instant now) {
        return r.agentId().isPresent() && r.lastSeenAt().map(t -> t.plus(agentTimeout).isAfter(now)).orElse(false);
    }

    Backend toApi(BackendRow r, QueueStats q, Instant now) {
        return new Backend(r.name(), r.member(), online(r, now) ? BackendStatus.ONLINE : BackendStatus.OFFLINE,
                r.numQubits(), r.nativeGates(), r.supportedGates(), q.queued(), q.leased(), r.lastSeenAt(),
                r.description());
    }
}
