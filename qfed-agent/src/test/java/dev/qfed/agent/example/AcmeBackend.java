package dev.qfed.agent.example;

import dev.qfed.agent.spi.Backend;
import dev.qfed.agent.spi.BackendBehavior;
import dev.qfed.agent.spi.BackendDescription;
import dev.qfed.agent.spi.CircuitCounts;
import dev.qfed.agent.spi.CircuitSource;
import dev.qfed.agent.spi.ExecutionId;
import dev.qfed.agent.spi.ExecutionRequest;
import dev.qfed.agent.spi.ExecutionResult;
import dev.qfed.agent.spi.RunMetadata;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Runs jobs on the Acme cloud: submit, poll until done, watch the cancellation token meanwhile. */
final class AcmeBackend implements Backend {
    private final AcmeClient client;
    private final Duration poll;
    private final Clock clock;
    private final BackendDescription description;
    private final Map<ExecutionId, String> remoteIds = new ConcurrentHashMap<>();

    AcmeBackend(String name, AcmeClient client, Duration poll, Clock clock) {
        this.client = client;
        this.poll = poll;
        this.clock = clock;
        this.description = new BackendDescription(name, client.qubits(), List.of("rz", "sx", "x", "cx"),
                List.of("h", "x", "cx", "rz", "sx", "rx"), Optional.empty(), Optional.empty(), 4,
                EnumSet.of(BackendBehavior.CANCELLATION, BackendBehavior.CANCEL_BY_ID,
                        BackendBehavior.REPRODUCIBLE_SEEDS), "acme-cloud 2.1");
    }

    @Override
    public BackendDescription describe() {
        return description;
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request) {
        if (request.circuits().stream().anyMatch(c -> !c.parameters().isEmpty())) {
            return ExecutionResult.permanentFailure("backend '" + description.name()
                    + "' does not take parameter values; bind them before submitting");
        }
        if (request.cancellation().isCancellationRequested()) {
            return new ExecutionResult.Cancelled(request.cancellation().reason().orElseThrow());
        }
        Instant started = clock.instant();
        String remote;
        try {
            remote = client.submit(request.circuits().stream().map(CircuitSource::qasm).toList(), request.shots(),
                    request.seed());
        } catch (IOException e) {
            return ExecutionResult.transientFailure("Acme cloud unreachable: " + e.getMessage());
        }
        remoteIds.put(request.id(), remote);
        try {
            while (true) {
                if (request.cancellation().isCancellationRequested()) {
                    client.cancel(remote);
                    return new ExecutionResult.Cancelled(request.cancellation().reason().orElseThrow());
                }
                AcmeClient.Status s = client.status(remote);
                switch (s.state()) {
                    case DONE -> {
                        List<CircuitCounts> counts = client.counts(remote).stream().map(CircuitCounts::of).toList();
                        return new ExecutionResult.Completed(counts, new RunMetadata(request.seed(),
                                description.name(), Optional.empty(), Optional.empty(), Optional.of("acme-cloud 2.1"),
                                Duration.between(started, clock.instant()), Map.of("remote_id", remote)));
                    }
                    case FAILED -> {
                        return new ExecutionResult.Failed(s.error(), !s.permanent());
                    }
                    case CANCELLED -> {
                        return new ExecutionResult.Cancelled("cancelled at Acme");
                    }
                    default -> Thread.sleep(poll);
                }
            }
        } catch (IOException e) {
            return ExecutionResult.transientFailure("Acme cloud unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ExecutionResult.Cancelled("interrupted");
        } finally {
            remoteIds.remove(request.id());
        }
    }

    /** Withdraws the remote job at once rather than at the next poll. */
    @Override
    public void cancel(ExecutionId execution) {
        String remote = remoteIds.get(execution);
        if (remote != null) {
            try {
                client.cancel(remote);
            } catch (IOException e) {
                // the next poll sees the token and tries again
            }
        }
    }
}
