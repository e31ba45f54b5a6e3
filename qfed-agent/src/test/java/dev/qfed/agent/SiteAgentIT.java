package dev.qfed.agent;

import dev.qfed.agent.ControlledBackends.ControlledBackend;
import dev.qfed.agent.emulator.EmulatorBackendFactory;
import dev.qfed.agent.internal.BrokerCallException;
import dev.qfed.agent.internal.BrokerClient;
import dev.qfed.api.Backend;
import dev.qfed.api.BackendStatus;
import dev.qfed.api.CircuitResult;
import dev.qfed.api.CircuitSpec;
import dev.qfed.api.ErrorCode;
import dev.qfed.api.ExecutionMetadata;
import dev.qfed.api.Job;
import dev.qfed.api.JobResult;
import dev.qfed.api.JobStatus;
import dev.qfed.api.SubmitJobRequest;
import dev.qfed.api.SubmitResultRequest;
import dev.qfed.api.LeaseResult;
import dev.qfed.api.LeaseState;
import dev.qfed.api.Problem;
import dev.qfed.api.ReportRequest;
import dev.qfed.api.ReportResponse;
import dev.qfed.api.ReportVerdict;
import dev.qfed.server.identity.DevIssuer;
import dev.qfed.server.identity.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.qfed.agent.TestBroker.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Site agents against the real broker in-process (H2 in a temporary folder, a free port, tokens from its dev
 * issuer): jobs submitted over HTTP run on the agents' backends; a lost agent's lease expires and another agent
 * finishes the job; cancellation reaches a running job; late results are refused; drains; the concurrency bound;
 * reconnecting to a broker that forgot the agent.
 */
class SiteAgentIT {
    private static final String BELL = """
            OPENQASM 2.0;
            include "qelib1.inc";
            qreg q[2];
            creg c[2];
            h q[0];
            cx q[0], q[1];
            measure q -> c;
            """;
    private static final String X_ON_FIRST = """
            OPENQASM 2.0;
            include "qelib1.inc";
            qreg q[2];
            creg c[2];
            x q[0];
            measure q -> c;
            """;
    private static final String ROTATION = """
            OPENQASM 3.0;
            include "stdgates.inc";
            input float theta;
            qubit[1] q;
            bit[1] c;
            rx(theta) q[0];
            c[0] = measure q[0];
            """;

    private static TestBroker broker;
    private static String alice;
    private final List<SiteAgent> agents = new ArrayList<>();
    private final ControlledBackends controlled = new ControlledBackends();

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start();
        alice = broker.token("aurora", "alice", Role.RESEARCHER);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @AfterEach
    void stopAgents() {
        agents.forEach(SiteAgent::halt);
    }

    private SiteAgent start(AgentConfig config) throws InterruptedException {
        SiteAgent agent = SiteAgent.start(config, List.of(new EmulatorBackendFactory(), controlled));
        agents.add(agent);
        assertThat(agent.awaitRegistered(Duration.ofSeconds(10))).as("registered").isTrue();
        return agent;
    }

    private static Map<String, Object> idealEmulator() {
        return Map.of("device", "low-noise-5", "noise", false, "threads", 1);
    }

    // ------------------------------------------------------------------------------------------------ the way of a job

    @Test
    void jobsSubmittedOverHttpRunOnTheAgentsBackendAndComeBackWithTheirCounts() throws Exception {
        SiteAgent agent = start(broker.agent("aurora", "site-complete")
                .backend("it-ideal-5", "emulator", 2, idealEmulator()).build());

        Backend offered = broker.backends(alice).stream().filter(b -> b.name().equals("it-ideal-5")).findFirst()
                .orElseThrow();
        assertThat(offered.member()).isEqualTo("aurora");
        assertThat(offered.status()).isEqualTo(BackendStatus.ONLINE);
        assertThat(offered.numQubits()).isEqualTo(5);
        assertThat(offered.supportedGates()).contains("h", "cx", "rx");

        Job bell = broker.submit(alice, "it-ideal-5", 1000, BELL);
        Job twoCircuits = broker.submit(alice, "it-ideal-5", 300, X_ON_FIRST, BELL);
        Job rotation = broker.submit(alice, "it-ideal-5", 200, ROTATION.replace("input float theta;\n", "")
                .replace("rx(theta)", "rx(pi)"));

        JobResult r1 = broker.finalResult(alice, bell.id());
        assertThat(r1.job().status()).isEqualTo(JobStatus.COMPLETED);
        Map<String, Long> counts = r1.results().orElseThrow().get(0).counts();
        assertThat(counts.keySet()).containsOnly("00", "11");
        assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1000);

        JobResult r2 = broker.finalResult(alice, twoCircuits.id());
        assertThat(r2.results().orElseThrow()).extracting(CircuitResult::shots).containsExactly(300L, 300L);
        assertThat(r2.results().orElseThrow().get(0).counts()).isEqualTo(Map.of("01", 300L));
        assertThat(r2.results().orElseThrow().get(1).counts().keySet()).containsOnly("00", "11");

        JobResult r3 = broker.finalResult(alice, rotation.id());
        assertThat(r3.results().orElseThrow().get(0).counts()).isEqualTo(Map.of("1", 200L));

        ExecutionMetadata m = r1.execution().orElseThrow();
        assertThat(m.seed()).contains(SiteAgent.seedFor(bell.id()));
        assertThat(m.calibrationId().orElseThrow()).startsWith("sha256:");
        assertThat(m.firmwareVersion()).isPresent();
        assertThat(m.details()).containsEntry("agent", "site-complete").containsEntry("backend", "it-ideal-5")
                .containsEntry("attempt", "1").containsKey("calibration_timestamp");

        // The reported seed, passed back as the job's seed, reproduces the run.
        long reported = m.seed().orElseThrow();
        Job again = broker.submit(alice, new SubmitJobRequest(List.of(new CircuitSpec(BELL, Optional.of("bell"),
                Map.of())), 1000,
                Optional.of("it-ideal-5"), Optional.empty(), Map.of()).withSeed(reported));
        JobResult replay = broker.finalResult(alice, again.id());
        assertThat(replay.execution().orElseThrow().seed()).contains(reported);
        assertThat(replay.results().orElseThrow().get(0).counts()).isEqualTo(counts);
        assertThat(replay.results().orElseThrow()).extracting(CircuitResult::name)
                .as("a named circuit's result carries its name").containsExactly(Optional.of("bell"));
        assertThat(r2.results().orElseThrow()).extracting(CircuitResult::name)
                .containsExactly(Optional.empty(), Optional.empty());
        await("the agent lets go of its leases", () -> agent.activeLeases() == 0);
    }

    @Test
    void parametersOfAJobAreBoundOnTheBackend() throws Exception {
        start(broker.agent("aurora", "site-params").backend("it-params-5", "emulator", 1, idealEmulator()).build());
        Job job = broker.submit(alice, "it-params-5", 100, List.of(
                new CircuitSpec(ROTATION, Optional.of("flip"), Map.of("theta", Math.PI)),
                new CircuitSpec(ROTATION, Optional.of("stay"), Map.of("theta", 0.0))));
        JobResult r = broker.finalResult(alice, job.id());
        assertThat(r.results().orElseThrow()).extracting(CircuitResult::counts)
                .containsExactly(Map.of("1", 100L), Map.of("0", 100L));
    }

    // ------------------------------------------------------------------------------------------------ lost agents

    /** Agent A takes a job and is lost mid-execution; answers A's lease id and the job. */
    private record Lost(String agentId, String leaseId, Job job, String agentToken) {
    }

    private Lost loseAgentMidJob(String backend, String agentName) throws Exception {
        String token = broker.token("aurora", agentName, Role.AGENT);
        SiteAgent a = start(AgentConfig.builder(broker.uri(), new AgentToken.Literal(token)).name(agentName)
                .pollWait(Duration.ofSeconds(2)).backoff(Duration.ofMillis(50), Duration.ofMillis(400))
                .backend(backend, "controlled", 1, Map.of()).build());
        Job job = broker.submit(alice, backend, 500, BELL);
        ControlledBackend held = controlled.get(backend);
        await("agent A runs the job", () -> !held.started.isEmpty()
                && broker.job(alice, job.id()).status() == JobStatus.RUNNING);
        String leaseId = a.heldLeases().keySet().iterator().next();
        a.halt(); // as if killed: no more heartbeats, no report
        return new Lost(a.agentId().orElseThrow(), leaseId, job, token);
    }

    @Test
    void aLostAgentsLeaseExpiresAndAnotherAgentCompletesTheJob() throws Exception {
        Lost lost = loseAgentMidJob("it-lost-5", "site-lost-a");
        start(broker.agent("aurora", "site-lost-b").backend("it-lost-5", "emulator", 1, idealEmulator()).build());

        JobResult r = broker.finalResult(alice, lost.job().id());
        assertThat(r.job().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(r.job().attempt()).isEqualTo(2);
        assertThat(r.job().failures()).singleElement()
                .satisfies(f -> assertThat(f.reason()).contains("lease expired"));
        assertThat(r.results().orElseThrow().get(0).counts().keySet()).containsOnly("00", "11");
        assertThat(r.execution().orElseThrow().details()).containsEntry("agent", "site-lost-b")
                .containsEntry("attempt", "2");
        assertThat(r.execution().orElseThrow().seed()).as("every attempt uses the job's seed")
                .contains(SiteAgent.seedFor(lost.job().id()));
    }

    @Test
    void aResultFromAnExpiredLeaseIsRefusedAndTheAcceptedOneStays() throws Exception {
        Lost lost = loseAgentMidJob("it-late-5", "site-late-a");
        start(broker.agent("aurora", "site-late-b").backend("it-late-5", "emulator", 1, idealEmulator()).build());
        JobResult accepted = broker.finalResult(alice, lost.job().id());
        assertThat(accepted.job().status()).isEqualTo(JobStatus.COMPLETED);

        try (BrokerClient lateAgent = new BrokerClient(broker.uri(), new AgentToken.Literal(lost.agentToken()), "test")) {
            SubmitResultRequest late = new SubmitResultRequest(List.of(CircuitResult.of(Map.of("01", 500L))),
                    Optional.empty());
            ReportResponse answer = lateAgent.report(lost.agentId(), new ReportRequest(List.of(),
                    List.of(new LeaseResult(lost.leaseId(), late)), List.of(), List.of()));
            assertThat(answer.results()).singleElement().satisfies(o -> {
                assertThat(o.verdict()).isEqualTo(ReportVerdict.REFUSED);
                assertThat(o.problem().flatMap(Problem::errorCode)).contains(ErrorCode.LEASE_NOT_CURRENT);
            });
            assertThat(answer.leases()).singleElement().satisfies(l -> assertThat(l.state()).isEqualTo(LeaseState.GONE));
        }
        JobResult after = broker.finalResult(alice, lost.job().id());
        assertThat(after.results()).isEqualTo(accepted.results());
        assertThat(after.execution()).isEqualTo(accepted.execution());
    }

    @Test
    void aResultWhoseAnswerWasLostIsSentAgainAndAcceptedOnce() throws Exception {
        try (FaultyProxy proxy = new FaultyProxy(broker.uri())) {
            SiteAgent agent = start(AgentConfig.builder(proxy.uri(),
                            new AgentToken.Literal(broker.token("aurora", "site-retry", Role.AGENT)))
                    .name("site-retry").pollWait(Duration.ofSeconds(2)).backoff(Duration.ofMillis(50), Duration.ofMillis(400))
                    .backend("it-retry-5", "controlled", 1, Map.of()).build());
            ControlledBackend backend = controlled.get("it-retry-5");
            Job job = broker.submit(alice, "it-retry-5", 100, BELL);
            await("the job runs", () -> !backend.started.isEmpty());

            proxy.dropNextResultAnswer();
            backend.release(1);

            JobResult r = broker.finalResult(alice, job.id());
            assertThat(r.job().status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(r.job().attempt()).isEqualTo(1);
            assertThat(r.job().failures()).isEmpty();
            await("the agent sends the result again and is done", () -> agent.activeLeases() == 0);
            assertThat(proxy.resultRequests()).isEqualTo(2);
            assertThat(backend.started).hasSize(1);
        }
    }

    // ------------------------------------------------------------------------------------------------ cancellation

    @Test
    void cancellingARunningJobReachesTheAgentOnItsNextHeartbeat() throws Exception {
        SiteAgent agent = start(broker.agent("aurora", "site-cancel").backend("it-cancel-5", "controlled", 1, Map.of())
                .build());
        ControlledBackend backend = controlled.get("it-cancel-5");
        Job job = broker.submit(alice, "it-cancel-5", 100, BELL);
        await("the job runs", () -> !backend.started.isEmpty()
                && broker.job(alice, job.id()).status() == JobStatus.RUNNING);

        assertThat(broker.cancel(alice, job.id()).status()).isEqualTo(JobStatus.CANCEL_REQUESTED);
        JobResult r = broker.finalResult(alice, job.id());
        assertThat(r.job().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(backend.cancellations).containsExactly("cancelled by the submitter");
        assertThat(r.results()).isEmpty();
        await("the agent lets go of the lease", () -> agent.activeLeases() == 0);
        assertThat(agent.isRunning()).isTrue();
    }

    // ------------------------------------------------------------------------------------------------ drain

    @Test
    void closeLetsRunningJobsFinishAndStrandsNothing() throws Exception {
        SiteAgent agent = start(broker.agent("aurora", "site-drain").drainTimeout(Duration.ofSeconds(20))
                .backend("it-drain-5", "controlled", 2, Map.of()).build());
        ControlledBackend backend = controlled.get("it-drain-5");
        Job running = broker.submit(alice, "it-drain-5", 100, BELL);
        await("the job runs", () -> !backend.started.isEmpty());

        Thread closer = Thread.ofVirtual().start(agent::close);
        await("the agent drains", () -> !agent.isRunning());
        // The long poll in flight when the drain began may still bring this job; if it does, it is given back unrun.
        Job duringDrain = broker.submit(alice, "it-drain-5", 100, BELL);
        assertThat(agent.awaitTermination(Duration.ZERO)).as("still draining").isFalse();
        backend.release(2);
        closer.join();

        assertThat(agent.awaitTermination(Duration.ZERO)).isTrue();
        assertThat(broker.finalResult(alice, running.id()).job().status()).isEqualTo(JobStatus.COMPLETED);
        Job givenBack = broker.job(alice, duringDrain.id());
        assertThat(givenBack.status()).as("never left leased to a stopped agent").isEqualTo(JobStatus.QUEUED);
        assertThat(givenBack.attempt()).as("giving it back cost no attempt").isZero();
        assertThat(givenBack.failures()).isEmpty();
        assertThat(backend.started).hasSize(1);
        assertThat(backend.closed).isTrue();
    }

    @Test
    void closeOfAnIdleAgentWaitsForItsPollAndLeasesNothingAfterwards() throws Exception {
        SiteAgent agent = start(broker.agent("aurora", "site-idle").backend("it-idle-5", "controlled", 1, Map.of())
                .build());
        ControlledBackend backend = controlled.get("it-idle-5");
        agent.close();
        Job after = broker.submit(alice, "it-idle-5", 100, BELL);
        assertThat(broker.job(alice, after.id()).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(backend.started).isEmpty();
        assertThat(backend.closed).isTrue();
    }

    @Test
    void aJobThatOutlastsTheDrainIsCancelledAndHandedBack() throws Exception {
        SiteAgent agent = start(broker.agent("aurora", "site-drain-late").drainTimeout(Duration.ofMillis(200))
                .backend("it-drain-late-5", "controlled", 1, Map.of()).build());
        ControlledBackend backend = controlled.get("it-drain-late-5");
        Job job = broker.submit(alice, "it-drain-late-5", 100, BELL);
        await("the job runs", () -> !backend.started.isEmpty()
                && broker.job(alice, job.id()).status() == JobStatus.RUNNING);

        agent.close();

        assertThat(backend.cancellations).containsExactly("the agent is shutting down");
        Job after = broker.job(alice, job.id());
        assertThat(after.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(after.failures()).singleElement().satisfies(f -> assertThat(f.reason())
                .contains("agent 'site-drain-late' shut down before the job finished"));

        start(broker.agent("aurora", "site-drain-late-2").backend("it-drain-late-5", "emulator", 1, idealEmulator())
                .build());
        assertThat(broker.finalResult(alice, job.id()).job().status()).isEqualTo(JobStatus.COMPLETED);
    }

    // ------------------------------------------------------------------------------------------------ bounds

    @Test
    void noMoreJobsRunAtOnceOnABackendThanItsMaxConcurrent() throws Exception {
        start(broker.agent("aurora", "site-bound").backend("it-bound-5", "controlled", 2, Map.of()).build());
        ControlledBackend backend = controlled.get("it-bound-5");
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(broker.submit(alice, "it-bound-5", 10, BELL));
        }
        await("two jobs run", () -> backend.current.get() == 2);
        assertThat(jobs.stream().map(j -> broker.job(alice, j.id()).status()).filter(s -> s == JobStatus.QUEUED))
                .as("jobs still queued at the broker while two run").hasSize(3);

        backend.release(5);
        for (Job j : jobs) {
            assertThat(broker.finalResult(alice, j.id()).job().status()).isEqualTo(JobStatus.COMPLETED);
        }
        assertThat(backend.peak.get()).isEqualTo(2);
        assertThat(backend.started).hasSize(5);
    }

    @Test
    void aSlotThatFreesIsLeasedAgainWhileAnotherBackendsPollWaits() throws Exception {
        // A long poll: if a freed slot waited for the other backend's poll to return, the second job would not start
        // before the await below gives up.
        start(broker.agent("aurora", "site-hol").pollWait(Duration.ofSeconds(60))
                .backend("it-hol-a-5", "controlled", 1, Map.of())
                .backend("it-hol-b-5", "controlled", 1, Map.of()).build());
        ControlledBackend a = controlled.get("it-hol-a-5");
        Job first = broker.submit(alice, "it-hol-a-5", 10, BELL);
        await("the first job runs", () -> a.started.size() == 1);
        Job second = broker.submit(alice, "it-hol-a-5", 10, BELL);
        a.release(1);
        await("the second job runs on the freed slot", () -> a.started.size() == 2);
        a.release(1);
        assertThat(broker.finalResult(alice, first.id()).job().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(broker.finalResult(alice, second.id()).job().status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void theSiteLimitIsCappedByTheBackendsOwnLimit() throws Exception {
        start(broker.agent("aurora", "site-cap").backend("it-cap-5", "controlled", 4,
                Map.of("max_concurrent_executions", 1)).build());
        ControlledBackend backend = controlled.get("it-cap-5");
        Job first = broker.submit(alice, "it-cap-5", 10, BELL);
        Job second = broker.submit(alice, "it-cap-5", 10, BELL);
        await("one job runs", () -> backend.current.get() == 1);
        assertThat(List.of(broker.job(alice, first.id()).status(), broker.job(alice, second.id()).status()))
                .containsOnlyOnce(JobStatus.QUEUED);
        backend.release(2);
        assertThat(broker.finalResult(alice, second.id()).job().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(backend.peak.get()).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------------ registration

    @Test
    void aTokenWithoutTheAgentRoleStopsTheAgentWithTheBrokersReason() throws Exception {
        AgentConfig config = AgentConfig.builder(broker.uri(),
                        new AgentToken.Literal(broker.token("aurora", "mallory", Role.RESEARCHER)))
                .name("site-forbidden").backoff(Duration.ofMillis(50), Duration.ofMillis(400))
                .backend("it-forbidden-5", "emulator", 1, idealEmulator()).build();
        SiteAgent agent = SiteAgent.start(config, List.of(new EmulatorBackendFactory()));
        agents.add(agent);
        assertThat(agent.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(agent.failureStatus()).isEqualTo(403);
        assertThat(agent.failure().orElseThrow()).startsWith("the broker refused to register agent "
                + "'site-forbidden': POST /v1/agents/register: HTTP 403 forbidden: ").contains("AGENT role");
    }

    @Test
    void aTokenTheBrokerDoesNotAcceptStopsTheAgentInsteadOfRetryingForever(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("token"), "not-a-token\n");
        AgentConfig config = AgentConfig.builder(broker.uri(), new AgentToken.File(file))
                .name("site-unauthorized").backoff(Duration.ofMillis(50), Duration.ofMillis(400))
                .backend("it-unauthorized-5", "emulator", 1, idealEmulator()).build();
        SiteAgent agent = SiteAgent.start(config, List.of(new EmulatorBackendFactory()));
        agents.add(agent);
        assertThat(agent.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(agent.failureStatus()).isEqualTo(401);
        assertThat(agent.failure().orElseThrow()).contains("HTTP 401");
    }

    @Test
    void anAgentReconnectsToARestartedBrokerAndRegistersAgainWhenItWasForgotten(@TempDir Path tmp) throws Exception {
        Path first = Files.createDirectories(tmp.resolve("first"));
        Path second = Files.createDirectories(tmp.resolve("second"));
        TestBroker one = TestBroker.start(first, 0);
        int port = one.port();
        String researcher = one.token("borealis", "bob", Role.RESEARCHER);
        SiteAgent agent;
        try {
            agent = start(one.agent("borealis", "site-restart").backend("it-restart-5", "emulator", 1, idealEmulator())
                    .build());
            Job before = one.submit(researcher, "it-restart-5", 100, BELL);
            assertThat(one.finalResult(researcher, before.id()).job().status()).isEqualTo(JobStatus.COMPLETED);
        } finally {
            one.close();
        }
        // A broker on the same port with an empty database (so it has never heard of the agent) but the same
        // dev issuer key (so the agent's token stays valid).
        Files.copy(first.resolve(DevIssuer.KEY_FILE), second.resolve(DevIssuer.KEY_FILE));
        try (TestBroker two = TestBroker.start(second, port)) {
            await("the agent registers with the new broker", () -> two.backends(researcher).stream()
                    .anyMatch(b -> b.name().equals("it-restart-5") && b.status() == BackendStatus.ONLINE));
            Job after = two.submit(researcher, "it-restart-5", 100, BELL);
            assertThat(two.finalResult(researcher, after.id()).job().status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(agent.isRunning()).isTrue();
        }
    }
}
