package dev.qfed.sdk.testing;

import dev.qfed.api.AgentRegistration;
import dev.qfed.api.ApiJson;
import dev.qfed.api.BackendRegistration;
import dev.qfed.api.CircuitResult;
import dev.qfed.api.CircuitSpec;
import dev.qfed.api.ExecutionMetadata;
import dev.qfed.api.FailLeaseRequest;
import dev.qfed.api.Lease;
import dev.qfed.api.LeaseBatch;
import dev.qfed.api.LeaseRequest;
import dev.qfed.api.RegisterAgentRequest;
import dev.qfed.api.SubmitResultRequest;
import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.StandardGate;
import dev.qfed.circuit.qasm.OpenQasm;
import dev.qfed.circuit.qasm.ParseLimits;
import dev.qfed.emulator.Emulator;
import dev.qfed.emulator.EmulatorOptions;
import dev.qfed.emulator.RunRequest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A site agent played over HTTP by the test: registers backends, long-polls for leases and runs each leased job on
 * the real emulator (seeded by the lease's seed, or else the job's attempt), then reports the result. Only the lease protocol is spoken
 * here; the real site agent lives in {@code qfed-agent}.
 */
public final class EmulatingAgent implements AutoCloseable {
    /** Every standard gate: what an emulator accepts. */
    public static final List<String> ALL_GATES =
            Arrays.stream(StandardGate.values()).map(StandardGate::qasmName).distinct().toList();

    private final URI server;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Emulator emulator = new Emulator(EmulatorOptions.defaults().withThreads(1));
    private final AgentRegistration registration;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicLong resultsSent = new AtomicLong();
    private volatile boolean running = true;

    private EmulatingAgent(URI server, String token, AgentRegistration registration) {
        this.server = server;
        this.token = token;
        this.registration = registration;
    }

    /** An emulator backend registration of {@code qubits} qubits that accepts every standard gate. */
    public static BackendRegistration backend(String name, int qubits) {
        return new BackendRegistration(name, qubits, List.of("rz", "sx", "x", "cx"), ALL_GATES,
                Optional.of("emulated by the test"));
    }

    /**
     * Registers the backends and starts {@code workers} lease loops; with 0 workers the backends exist but nothing
     * ever runs on them (jobs stay queued).
     */
    public static EmulatingAgent start(LocalBroker broker, String member, String name, int workers,
                                       BackendRegistration... backends) {
        String token = broker.token(member, name, "AGENT");
        EmulatingAgent probe = new EmulatingAgent(broker.uri(), token, null);
        AgentRegistration reg = probe.post("/v1/agents/register",
                new RegisterAgentRequest(name, List.of(backends), Optional.of("test")), AgentRegistration.class);
        EmulatingAgent agent = new EmulatingAgent(broker.uri(), token, reg);
        for (int i = 0; i < workers; i++) {
            agent.workers.add(Thread.ofVirtual().name("test-agent-" + name + "-" + i).start(agent::loop));
        }
        return agent;
    }

    /** Results the server accepted from this agent. */
    public long resultsSent() {
        return resultsSent.get();
    }

    private void loop() {
        while (running) {
            try {
                LeaseBatch batch = post("/v1/agents/" + registration.agentId() + "/lease?wait=1s", LeaseRequest.ONE_EACH,
                        LeaseBatch.class);
                for (Lease lease : batch.leases()) {
                    run(lease);
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                sleep(100);
            }
        }
    }

    private void run(Lease lease) {
        post("/v1/leases/" + lease.leaseId() + "/start", null, null);
        List<CircuitResult> results = new ArrayList<>();
        long seed = lease.seed().orElse((long) lease.attempt());
        try {
            for (CircuitSpec spec : lease.circuits()) {
                Circuit circuit = OpenQasm.parse(spec.qasm(), "job", Path.of("."), ParseLimits.DEFAULT)
                        .bind(spec.parameters());
                results.add(CircuitResult.of(spec.name(), emulator.run(circuit, RunRequest.of(lease.shots(), seed))
                        .counts()));
            }
        } catch (Exception e) {
            post("/v1/leases/" + lease.leaseId() + "/fail", new FailLeaseRequest("emulator: " + e.getMessage(), false),
                    null);
            return;
        }
        post("/v1/leases/" + lease.leaseId() + "/result", new SubmitResultRequest(results,
                Optional.of(new ExecutionMetadata(Optional.of(seed), Optional.of("test-agent"),
                        Optional.empty(), Optional.empty(), Map.of()))), null);
        resultsSent.incrementAndGet();
    }

    private <T> T post(String path, Object body, Class<T> type) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        if (body == null) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(ApiJson.write(body)));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
            }
            return type == null ? null : ApiJson.lenientMapper().readValue(response.body(), type);
        } catch (IOException e) {
            throw new IllegalStateException(path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the lease loops (a lease in flight is finished first). */
    @Override
    public void close() {
        running = false;
        for (Thread t : workers) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        http.close();
    }
}
