package dev.qfed.server.testing;

import dev.qfed.api.AgentRegistration;
import dev.qfed.api.BackendRegistration;
import dev.qfed.api.CircuitResult;
import dev.qfed.api.CircuitSpec;
import dev.qfed.api.Job;
import dev.qfed.api.RegisterAgentRequest;
import dev.qfed.api.SubmitJobRequest;
import dev.qfed.circuit.StandardGate;
import dev.qfed.server.agents.AgentStore;
import dev.qfed.server.backends.BackendStore;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Circuits, backends and calls that many tests share. */
public final class Fixtures {
    public static final String BELL = """
            OPENQASM 2.0;
            include "qelib1.inc";
            qreg q[2];
            creg c[2];
            h q[0];
            cx q[0], q[1];
            measure q -> c;
            """;

    public static final String GHZ5 = """
            OPENQASM 3.0;
            include "stdgates.inc";
            qubit[5] q;
            bit[5] c;
            h q[0];
            for int i in [0:3] { cx q[i], q[i + 1]; }
            c = measure q;
            """;

    public static final String ROTATION = """
            OPENQASM 3.0;
            include "stdgates.inc";
            input angle theta;
            qubit[1] q;
            bit[1] c;
            rx(theta) q[0];
            c[0] = measure q[0];
            """;

    /** Every standard gate: what an emulator backend accepts. */
    public static final List<String> ALL_GATES =
            Arrays.stream(StandardGate.values()).map(StandardGate::qasmName).distinct().toList();

    private static final AtomicInteger UNIQUE = new AtomicInteger();

    private Fixtures() {
    }

    /**
     * Writes straight to the stores what a registered site leaves: member {@code aurora} with project
     * {@code default}, agent {@code agentId} and its 5-qubit backend {@code backend} (gates cx and h). For tests of
     * the stores, which have no API in front of them.
     */
    public static void site(Handle h, String agentId, String backend, Instant now) {
        AgentStore agents = new AgentStore();
        agents.ensureMember(h, "aurora", now);
        agents.ensureProject(h, "aurora", "default", now);
        agents.insert(h, new AgentStore.AgentRow(agentId, "aurora", "site", Optional.empty(), now, now));
        new BackendStore().insert(h, new BackendStore.BackendRow(backend, "aurora", Optional.empty(), 5,
                List.of("cx"), List.of("cx", "h"), Optional.empty(), now, Optional.empty()));
    }

    /** A name no other test uses, e.g. for a backend or project. */
    public static String unique(String prefix) {
        return prefix + "-" + UNIQUE.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 1_000_000, 36);
    }

    public static BackendRegistration backend(String name, int qubits) {
        return new BackendRegistration(name, qubits, List.of("rz", "sx", "x", "cx"), ALL_GATES,
                Optional.of("test backend"));
    }

    public static AgentRegistration register(ApiClient agent, String agentName, BackendRegistration... backends) {
        var response = agent.post("/v1/agents/register",
                new RegisterAgentRequest(agentName, List.of(backends), Optional.of("test")));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.as(AgentRegistration.class);
    }

    public static SubmitJobRequest request(String backend, int shots, String... qasm) {
        return new SubmitJobRequest(Arrays.stream(qasm).map(CircuitSpec::of).toList(), shots, Optional.of(backend),
                Optional.empty(), Map.of());
    }

    public static Job submit(ApiClient client, String backend, int shots) {
        var response = client.post("/v1/jobs", request(backend, shots, BELL));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.as(Job.class);
    }

    /** A result for a one-circuit job: all shots measured 00. */
    public static List<CircuitResult> allZeros(int shots) {
        return List.of(CircuitResult.of(Map.of("00", (long) shots)));
    }
}
