package dev.qfed.agent;

import dev.qfed.agent.spi.Backend;
import dev.qfed.agent.spi.BackendBehavior;
import dev.qfed.agent.spi.BackendConfig;
import dev.qfed.agent.spi.BackendContext;
import dev.qfed.agent.spi.BackendDescription;
import dev.qfed.agent.spi.BackendFactory;
import dev.qfed.agent.spi.CircuitCounts;
import dev.qfed.agent.spi.ExecutionRequest;
import dev.qfed.agent.spi.ExecutionResult;
import dev.qfed.agent.spi.RunMetadata;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Backend type {@code controlled} for the agent's tests: each execution holds until the test releases it (or,
 * with {@code honours_cancellation: true}, until its token is tripped), and the backend records what happened —
 * executions started, most at once, cancellation reasons. Released executions count every shot as {@code 00}.
 */
final class ControlledBackends implements BackendFactory {
    final Map<String, ControlledBackend> made = new ConcurrentHashMap<>();

    @Override
    public String type() {
        return "controlled";
    }

    @Override
    public Backend create(String name, Map<String, Object> config, BackendContext context) {
        BackendConfig c = BackendConfig.of(config);
        boolean honours = c.bool("honours_cancellation").orElse(true);
        int max = c.integer("max_concurrent_executions", 1, 64).orElse(8);
        c.requireNoOtherKeys();
        ControlledBackend b = new ControlledBackend(name, honours, max);
        made.put(name, b);
        return b;
    }

    ControlledBackend get(String name) {
        return made.get(name);
    }

    static final class ControlledBackend implements Backend {
        final Queue<ExecutionRequest> started = new ConcurrentLinkedQueue<>();
        final Queue<String> cancellations = new ConcurrentLinkedQueue<>();
        final AtomicInteger current = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        volatile boolean closed;
        private final Semaphore permits = new Semaphore(0);
        private final boolean honours;
        private final BackendDescription description;

        ControlledBackend(String name, boolean honours, int maxConcurrent) {
            this.honours = honours;
            this.description = new BackendDescription(name, 5, List.of("rz", "sx", "x", "cx"),
                    List.of("h", "x", "cx", "rz", "sx", "rx", "measure"), Optional.empty(), Optional.empty(),
                    maxConcurrent, EnumSet.of(BackendBehavior.CANCELLATION), "controlled 1.0");
        }

        /** Lets {@code n} held executions (or the next ones) complete. */
        void release(int n) {
            permits.release(n);
        }

        @Override
        public BackendDescription describe() {
            return description;
        }

        @Override
        public ExecutionResult execute(ExecutionRequest request) {
            int now = current.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            started.add(request);
            try {
                while (!permits.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                    if (honours && request.cancellation().isCancellationRequested()) {
                        String why = request.cancellation().reason().orElseThrow();
                        cancellations.add(why);
                        return new ExecutionResult.Cancelled(why);
                    }
                }
            } catch (InterruptedException e) {
                return new ExecutionResult.Cancelled("interrupted");
            } finally {
                current.decrementAndGet();
            }
            List<CircuitCounts> counts = request.circuits().stream()
                    .map(c -> new CircuitCounts(new TreeMap<>(Map.of("00", (long) request.shots())))).toList();
            return new ExecutionResult.Completed(counts, new RunMetadata(request.seed(), description.name(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Duration.ZERO, Map.of()));
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
