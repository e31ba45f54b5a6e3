package dev.qfed.server;

import dev.qfed.api.AgentRegistration;
import dev.qfed.api.Job;
import dev.qfed.api.JobResult;
import dev.qfed.api.JobStatus;
import dev.qfed.api.Lease;
import dev.qfed.api.LeaseBatch;
import dev.qfed.api.LeaseRequest;
import dev.qfed.api.SubmitResultRequest;
import dev.qfed.server.identity.Role;
import dev.qfed.server.testing.ApiClient;
import dev.qfed.server.testing.Engine;
import dev.qfed.server.testing.Fixtures;
import dev.qfed.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two broker replicas on one PostgreSQL: one of them leads the periodic duties, a job submitted to one is leased
 * by an agent long-polling the other, results reach waiters on the other replica, and agents racing on both never
 * lease one job twice.
 */
class ReplicasIT {
    private static TestServer a;
    private static TestServer b;
    private static ApiClient aliceOnA;
    private static ApiClient agentOnA;
    private static ApiClient agentOnB;

    @BeforeAll
    static void start() {
        a = TestServer.start(Engine.POSTGRESQL);
        b = TestServer.start(Engine.POSTGRESQL, a.dataDir(), a.dbUrl(), c -> c);
        aliceOnA = a.client(a.token("aurora", "alice", Role.RESEARCHER));
        String agentToken = a.token("aurora", "agent", Role.AGENT);
        agentOnA = a.client(agentToken);
        agentOnB = b.client(agentToken);
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
    }

    @Test
    void exactlyOneReplicaLeadsAndAnotherTakesOverWhenItStops() throws Exception {
        TestServer c = TestServer.start(Engine.POSTGRESQL, a.dataDir(), a.dbUrl(), x -> x);
        TestServer d = TestServer.start(Engine.POSTGRESQL, a.dataDir(), a.dbUrl(), x -> x);
        try {
            boolean cLeads = c.server().leads();
            boolean dLeads = d.server().leads();
            // a or b may already lead; at most one of all four does.
            long leaders = List.of(a, b, c, d).stream().filter(s -> s.server().leads()).count();
            assertThat(leaders).isEqualTo(1);
            TestServer leader = List.of(a, b, c, d).stream().filter(s -> s.server().leads()).findFirst().orElseThrow();
            if (leader == c || leader == d) {
                assertThat(cLeads ^ dLeads).isTrue();
                leader.close();
                TestServer other = leader == c ? d : c;
                // PostgreSQL frees the lock when the old leader's session ends, a moment after it closes.
                java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
                while (!other.server().leads() && java.time.Instant.now().isBefore(deadline)) {
                    Thread.sleep(50);
                }
                assertThat(other.server().leads()).isTrue();
            }
        } finally {
            c.close();
            d.close();
        }
    }

    @Test
    void aJobSubmittedToOneReplicaReachesAnAgentWaitingOnTheOther() throws Exception {
        String backend = Fixtures.unique("x");
        AgentRegistration site = Fixtures.register(agentOnB, Fixtures.unique("a"), Fixtures.backend(backend, 5));
        CompletableFuture<LeaseBatch> waiting = CompletableFuture.supplyAsync(() -> agentOnB.post(
                "/v1/agents/" + site.agentId() + "/lease?wait=30s", LeaseRequest.ONE_EACH).as(LeaseBatch.class));
        Job job = Fixtures.submit(aliceOnA, backend, 10);
        assertThat(waiting.get().leases()).extracting(Lease::jobId).containsExactly(job.id());
    }

    @Test
    void aResultReportedToOneReplicaWakesAWaiterOnTheOther() throws Exception {
        String backend = Fixtures.unique("x");
        AgentRegistration site = Fixtures.register(agentOnA, Fixtures.unique("a"), Fixtures.backend(backend, 5));
        Job job = Fixtures.submit(aliceOnA, backend, 10);
        CompletableFuture<ApiClient.Response> waiting = CompletableFuture.supplyAsync(
                () -> aliceOnA.get("/v1/jobs/" + job.id() + "/result?wait=30s"));
        Lease lease = agentOnB.post("/v1/agents/" + site.agentId() + "/lease?wait=5s", LeaseRequest.ONE_EACH)
                .as(LeaseBatch.class).leases().getFirst();
        agentOnB.post("/v1/leases/" + lease.leaseId() + "/result",
                new SubmitResultRequest(Fixtures.allZeros(10), Optional.empty()));
        var r = waiting.get();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.as(JobResult.class).job().status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void agentsRacingOnBothReplicasLeaseEveryJobExactlyOnce() throws Exception {
        String backend = Fixtures.unique("x");
        AgentRegistration site = Fixtures.register(agentOnA, Fixtures.unique("a"), Fixtures.backend(backend, 5));
        Set<String> submitted = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            submitted.add(Fixtures.submit(aliceOnA, backend, 1).id());
        }
        List<String> leased = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                ApiClient agent = t % 2 == 0 ? agentOnA : agentOnB;
                futures.add(pool.submit(() -> {
                    while (true) {
                        List<Lease> got = agent.post("/v1/agents/" + site.agentId() + "/lease",
                                new LeaseRequest(Map.of(backend, 4))).as(LeaseBatch.class).leases();
                        if (got.isEmpty()) {
                            return null;
                        }
                        got.forEach(l -> leased.add(l.jobId()));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertThat(leased).doesNotHaveDuplicates();
        assertThat(new HashSet<>(leased)).isEqualTo(submitted);
    }
}
