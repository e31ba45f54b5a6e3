package dev.qfed.server.leases;

import dev.qfed.api.AgentRegistration;
import dev.qfed.api.CircuitResult;
import dev.qfed.api.ErrorCode;
import dev.qfed.api.ExecutionMetadata;
import dev.qfed.api.FailLeaseRequest;
import dev.qfed.api.HeartbeatRequest;
import dev.qfed.api.HeartbeatResponse;
import dev.qfed.api.Job;
import dev.qfed.api.JobResult;
import dev.qfed.api.JobStatus;
import dev.qfed.api.Lease;
import dev.qfed.api.LeaseBatch;
import dev.qfed.api.LeaseRequest;
import dev.qfed.api.LeaseState;
import dev.qfed.api.LeaseStatus;
import dev.qfed.api.SubmitResultRequest;
import dev.qfed.api.LeaseFailure;
import dev.qfed.api.LeaseResult;
import dev.qfed.api.Problem;
import dev.qfed.api.ReportOutcome;
import dev.qfed.api.ReportRequest;
import dev.qfed.api.ReportResponse;
import dev.qfed.api.ReportVerdict;
import dev.qfed.server.identity.Role;
import dev.qfed.server.jobs.JobLifecycle;
import dev.qfed.server.testing.ApiClient;
import dev.qfed.server.testing.Engine;
import dev.qfed.server.testing.Fixtures;
import dev.qfed.server.testing.TestServer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

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

import static dev.qfed.server.testing.Fixtures.allZeros;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole lease protocol over HTTP, acting as a site agent with real signed tokens: leasing (long poll and
 * slots), start, heartbeats, results, failures, expiry and re-queueing, cancellation while an agent holds the job,
 * and what an agent of another member may not do. Runs on H2 and on PostgreSQL.
 */
@ParameterizedClass
@EnumSource(Engine.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaseProtocolIT {
    @Parameter
    Engine engine;

    private static TestServer server;
    private static ApiClient alice;
    private static ApiClient auroraAgent;
    private static ApiClient borealisAgent;

    @BeforeParameterizedClassInvocation
    static void start(Engine engine) {
        server = TestServer.start(engine);
        alice = server.client(server.token("aurora", "alice", Role.RESEARCHER));
        auroraAgent = server.client(server.token("aurora", "site-agent", Role.AGENT));
        borealisAgent = server.client(server.token("borealis", "site-agent", Role.AGENT));
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    /** An agent of aurora with one fresh 5-qubit backend. */
    private record Site(AgentRegistration agent, String backend) {
        LeaseBatch lease(String wait) {
            var r = auroraAgent.post("/v1/agents/" + agent.agentId() + "/lease?wait=" + wait, LeaseRequest.ONE_EACH);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            return r.as(LeaseBatch.class);
        }

        Lease leaseOne() {
            List<Lease> leases = lease("5s").leases();
            assertThat(leases).hasSize(1);
            return leases.getFirst();
        }

        HeartbeatResponse heartbeat(String... leaseIds) {
            var r = auroraAgent.post("/v1/agents/" + agent.agentId() + "/heartbeat",
                    new HeartbeatRequest(List.of(leaseIds)));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            return r.as(HeartbeatResponse.class);
        }
    }

    private static Site site() {
        String backend = Fixtures.unique("b");
        return new Site(Fixtures.register(auroraAgent, Fixtures.unique("agent"), Fixtures.backend(backend, 5)),
                backend);
    }

    private static Job job(String id) {
        var r = alice.get("/v1/jobs/" + id);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.as(Job.class);
    }

    private static ApiClient.Response result(Lease lease, List<CircuitResult> results) {
        return auroraAgent.post("/v1/leases/" + lease.leaseId() + "/result",
                new SubmitResultRequest(results, Optional.of(new ExecutionMetadata(Optional.of(7L),
                        Optional.of("emu-1"), Optional.empty(), Optional.of(1.5), Map.of()))));
    }

    private static ApiClient.Response fail(Lease lease, boolean retryable) {
        return auroraAgent.post("/v1/leases/" + lease.leaseId() + "/fail",
                new FailLeaseRequest("device fault", retryable));
    }

    private static LeaseStatus start(Lease lease) {
        var r = auroraAgent.postEmpty("/v1/leases/" + lease.leaseId() + "/start");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.as(LeaseStatus.class);
    }

    @Test
    void aJobGoesFromQueuedThroughRunningToCompletedWithItsResult() {
        Site site = site();
        Job submitted = Fixtures.submit(alice, site.backend(), 100);
        assertThat(submitted.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job(submitted.id()).queuePosition()).contains(0L);

        Lease lease = site.leaseOne();
        assertThat(lease.jobId()).isEqualTo(submitted.id());
        assertThat(lease.attempt()).isEqualTo(1);
        assertThat(lease.shots()).isEqualTo(100);
        assertThat(lease.circuits()).singleElement().satisfies(c -> assertThat(c.qasm()).isEqualTo(Fixtures.BELL));
        assertThat(job(submitted.id()).status()).isEqualTo(JobStatus.ASSIGNED);

        assertThat(start(lease).state()).isEqualTo(LeaseState.ACTIVE);
        Job running = job(submitted.id());
        assertThat(running.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(running.timings().startedAt()).isPresent();

        server.clock().advance(java.time.Duration.ofSeconds(5));
        LeaseStatus beat = site.heartbeat(lease.leaseId()).leases().getFirst();
        assertThat(beat.state()).isEqualTo(LeaseState.ACTIVE);
        assertThat(beat.expiresAt().orElseThrow()).isAfter(lease.expiresAt());

        assertThat(result(lease, allZeros(100)).status()).isEqualTo(204);
        var r = alice.get("/v1/jobs/" + submitted.id() + "/result");
        assertThat(r.status()).isEqualTo(200);
        JobResult done = r.as(JobResult.class);
        assertThat(done.job().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.results().orElseThrow()).singleElement()
                .satisfies(c -> assertThat(c.counts()).containsEntry("00", 100L));
        assertThat(done.execution().orElseThrow().seed()).contains(7L);
        assertThat(done.job().timings().finishedAt()).isPresent();
        assertThat(site.heartbeat(lease.leaseId()).leases().getFirst().state()).isEqualTo(LeaseState.GONE);
    }

    @Test
    void theSubmittersSeedReachesTheAgentInTheLeaseAndAJobWithoutOneLeavesTheChoiceToTheAgent() {
        Site site = site();
        var seeded = alice.post("/v1/jobs", Fixtures.request(site.backend(), 10, Fixtures.BELL).withSeed(1234));
        assertThat(seeded.status()).as(seeded.body()).isEqualTo(201);
        Lease lease = site.leaseOne();
        assertThat(lease.jobId()).isEqualTo(seeded.as(Job.class).id());
        assertThat(lease.seed()).contains(1234L);

        Fixtures.submit(alice, site.backend(), 10);
        assertThat(site.leaseOne().seed()).isEmpty();
    }

    @Test
    void aResultKeepsEachCircuitsNameForTheSubmitter() {
        Site site = site();
        var submitted = alice.post("/v1/jobs", new dev.qfed.api.SubmitJobRequest(List.of(
                new dev.qfed.api.CircuitSpec(Fixtures.BELL, Optional.of("bell"), Map.of()),
                dev.qfed.api.CircuitSpec.of(Fixtures.BELL)), 10, Optional.of(site.backend()), Optional.empty(),
                Map.of())).as(Job.class);
        Lease lease = site.leaseOne();
        assertThat(lease.circuits()).extracting(dev.qfed.api.CircuitSpec::name)
                .containsExactly(Optional.of("bell"), Optional.empty());
        var tooLong = auroraAgent.post("/v1/leases/" + lease.leaseId() + "/result", new SubmitResultRequest(List.of(
                CircuitResult.of(Optional.of("b".repeat(257)), Map.of("00", 10L)), CircuitResult.of(Map.of("00", 10L))),
                Optional.empty()));
        assertThat(tooLong.status()).as(tooLong.body()).isEqualTo(422);
        assertThat(tooLong.problem().detail()).contains("at most 256 characters");
        assertThat(job(submitted.id()).status()).isEqualTo(JobStatus.ASSIGNED);

        var ok = auroraAgent.post("/v1/leases/" + lease.leaseId() + "/result", new SubmitResultRequest(List.of(
                CircuitResult.of(Optional.of("bell"), Map.of("00", 10L)), CircuitResult.of(Map.of("11", 10L))),
                Optional.empty()));
        assertThat(ok.status()).as(ok.body()).isEqualTo(204);
        JobResult done = alice.get("/v1/jobs/" + submitted.id() + "/result").as(JobResult.class);
        assertThat(done.results().orElseThrow()).extracting(CircuitResult::name)
                .containsExactly(Optional.of("bell"), Optional.empty());
    }

    @Test
    void sendingTheSameResultAgainFromTheSameLeaseIsHarmless() {
        Site site = site();
        Job submitted = Fixtures.submit(alice, site.backend(), 10);
        Lease lease = site.leaseOne();
        assertThat(result(lease, allZeros(10)).status()).isEqualTo(204);
        assertThat(result(lease, allZeros(10)).status()).isEqualTo(204);
        assertThat(job(submitted.id()).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void concurrentRetriesOfOneResultAreAllAccepted() throws Exception {
        Site site = site();
        Job submitted = Fixtures.submit(alice, site.backend(), 10);
        Lease lease = site.leaseOne();
        List<CompletableFuture<ApiClient.Response>> posts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            posts.add(CompletableFuture.supplyAsync(() -> result(lease, allZeros(10))));
        }
        for (var p : posts) {
            assertThat(p.get().status()).as(p.get().body()).isEqualTo(204);
        }
        assertThat(job(submitted.id()).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void aLongPollForALeaseReturnsTheJobSubmittedWhileItWaits() throws Exception {
        Site site = site();
        CompletableFuture<LeaseBatch> poll = CompletableFuture.supplyAsync(() -> site.lease("30s"));
        Job submitted = Fixtures.submit(alice, site.backend(), 10);
        assertThat(poll.get().leases()).extracting(Lease::jobId).containsExactly(submitted.id());
    }

    @Test
    void aLeasePollThatFindsNothingReturnsAnEmptyBatch() {
        assertThat(site().lease("0s").leases()).isEmpty();
        assertThat(site().lease("200ms").leases()).isEmpty();
    }

    @Test
    void slotsBoundHowManyJobsOneCallLeases() {
        Site site = site();
        for (int i = 0; i < 3; i++) {
            Fixtures.submit(alice, site.backend(), 10);
        }
        var r = auroraAgent.post("/v1/agents/" + site.agent().agentId() + "/lease",
                new LeaseRequest(Map.of(site.backend(), 2)));
        assertThat(r.as(LeaseBatch.class).leases()).hasSize(2);
        assertThat(site.lease("0s").leases()).hasSize(1);
        assertThat(site.lease("0s").leases()).isEmpty();
    }

    @Test
    void anExpiredLeaseQueuesTheJobAgainAndItsLateResultIsRefused() {
        Site site = site();
        Job submitted = Fixtures.submit(alice, site.backend(), 10);
        Lease first = site.leaseOne();
        start(first);
        server.expireLeases();

        Job requeued = job(submitted.id());
        assertThat(requeued.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(requeued.attempt()).isEqualTo(1);
        assertThat(requeued.failures()).singleElement()
                .satisfies(f -> assertThat(f.reason()).contains("lease expired"));
        assertThat(site.heartbeat(first.leaseId()).leases().getFirst().state()).isEqualTo(LeaseState.GONE);

        var late = result(first, allZeros(10));
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.problem().code()).isEqualTo(ErrorCode.LEASE_NOT_CURRENT.slug());
        assertThat(job(submitted.id()).status()).isEqualTo(JobStatus.QUEUED);

        Lease second = site.leaseOne();
        assertThat(second.attempt()).isEqualTo(2);
        List<CircuitResult> counts = List.of(CircuitResult.of(Map.of("11", 10L)));
        assertThat(result(second, counts).status()).isEqualTo(204);
        var again = result(first, allZeros(10));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.problem().detail()).contains("already accepted");
        JobResult done = alice.get("/v1/jobs/" + submitted.id() + "/result").as(JobResult.class);
        assertThat(done.results().orElseThrow().getFirst().counts()).containsEntry("11", 10L);
    }

    @Test
    void aJobWhoseEveryAttemptExpiresFailsWithTheReasons() {
        Site site = site();
        Job submitted = Fixtures.submit(alice, site.backend(), 10);
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertThat(site.leaseOne().attempt()).isEqualTo(attempt);
            server.expireLeases();
        }
        Job failed = job(submitted.id());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.failures()).hasSize(3).last()
                .satisfies(f -> assertThat(f.reason()).contains("no attempts left"));
        assertThat(site.lease("0s").leases()).isEmpty();
    }

    @Test
    void aRetryableFailureQueuesTheJobAgainAndAPermanentOneFailsIt() {
        Site site = site();
        Job submitted = Fixtures.submit(alice, site.backend(), 10);
        Lease first = site.leaseOne();
        assertThat(fail(first, true).status()).isEqualTo(204);
        assertThat(fail(first, true).status()).as("the same report again").isEqualTo(204);
        assertThat(job(submitted.id()).status()).isEqualTo(JobStatus.QUEUED);

        Lease second = site.leaseOne();
        start(second);
        assertThat(fail(second, false).status()).isEqualTo(204);
        Job failed = job(submitted.id());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.failures()).extracting(f -> f.reason())
                .containsExactly("attempt 1: device fault", "attempt 2: device fault (not retryable)");
    }

    @Test
    void anAgentMayStartARunningAttemptThatFailsAndIsRetried() {
        Site site = site();
        Job submitted = Fixtures.submit(alice, site.backend(), 10);
        Lease first = site.leaseOne();
        start(first);
        fail(first, true);
        Lease second = site.leaseOne();
        assertThat(fail(second, false).status()).isEqualTo(204);
        assertThat(job(submitted.id()).status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void aResultMayArriveWithoutAStartCall() {
        Site site = site();
        Job submitted = Fixtures.submit(alice, site.backend(), 10);
        assertThat(result(site.leaseOne(), allZeros(10)).status()).isEqualTo(204);
        assertThat(job(submitted.id()).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void cancellingAQueuedJobEndsItAtOnceAndNoAgentGetsIt() {
        Site site = site();
        Job submitted = Fixtures.submit(alice, site.backend(), 10);
        var r = alice.postEmpty("/v1/jobs/" + submitted.id() + "/cancel");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.as(Job.class).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(site.lease("0s").leases()).isEmpty();
        assertThat(alice.postEmpty("/v1/jobs/" + submitted.id() + "/cancel").as(Job.class).status())
                .as("cancelling again is harmless").isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void cancellingARunningJobIsToldToTheAgentWhichThenStops() {
        Site site = site();
        Job submitted = Fixtures.submit(alice, site.backend(), 10);
        Lease lease = site.leaseOne();
        start(lease);
        assertThat(alice.postEmpty("/v1/jobs/" + submitted.id() + "/cancel").as(Job.class).status())
                .isEqualTo(JobStatus.CANCEL_REQUESTED);
        assertThat(site.heartbeat(lease.leaseId()).leases().getFirst().state()).isEqualTo(LeaseState.CANCEL_REQUESTED);
        assertThat(fail(lease, false).status()).isEqualTo(204);
        var r = alice.get("/v1/jobs/" + submitted.id() + "/result?wait=1s");
        assertThat(r.status()).isEqualTo(200);
        JobResult cancelled = r.as(JobResult.class);
        assertThat(cancelled.job().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.results()).isEmpty();
    }

    @Test
    void cancellingAnAssignedJobIsRequestedAndTheStartCallSaysSo() {
        Site site = site();
        Job submitted = Fixtures.submit(alice, site.backend(), 10);
        Lease lease = site.leaseOne();
        alice.postEmpty("/v1/jobs/" + submitted.id() + "/cancel");
        assertThat(start(lease).state()).isEqualTo(LeaseState.CANCEL_REQUESTED);
        assertThat(job(submitted.id()).status()).isEqualTo(JobStatus.CANCEL_REQUESTED);
    }

    @Test
    void aResultThatArrivesBeforeTheAgentHearsOfTheCancellationWins() {
        Site site = site();
        Job submitted = Fixtures.submit(alice, site.backend(), 10);
        Lease lease = site.leaseOne();
        alice.postEmpty("/v1/jobs/" + submitted.id() + "/cancel");
        assertThat(result(lease, allZeros(10)).status()).isEqualTo(204);
        assertThat(job(submitted.id()).status()).isEqualTo(JobStatus.COMPLETED);
        var r = alice.postEmpty("/v1/jobs/" + submitted.id() + "/cancel");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.problem().code()).isEqualTo(ErrorCode.JOB_FINAL.slug());
    }

    @Test
    void aCancelRequestedJobWhoseLeaseExpiresEndsCancelled() {
        Site site = site();
        Job submitted = Fixtures.submit(alice, site.backend(), 10);
        site.leaseOne();
        alice.postEmpty("/v1/jobs/" + submitted.id() + "/cancel");
        server.expireLeases();
        assertThat(job(submitted.id()).status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void aResultThatDoesNotMatchTheJobIsRefusedAndChangesNothing() {
        Site site = site();
        Job submitted = Fixtures.submit(alice, site.backend(), 10);
        Lease lease = site.leaseOne();
        start(lease);
        var wrongShots = result(lease, allZeros(9));
        assertThat(wrongShots.status()).isEqualTo(422);
        assertThat(wrongShots.problem().code()).isEqualTo(ErrorCode.INVALID_RESULT.slug());
        var wrongCount = result(lease, List.of(CircuitResult.of(Map.of("00", 10L)), CircuitResult.of(Map.of("00", 10L))));
        assertThat(wrongCount.status()).isEqualTo(422);
        var notBits = result(lease, List.of(CircuitResult.of(Map.of("0x", 10L))));
        assertThat(notBits.status()).isEqualTo(422);
        assertThat(job(submitted.id()).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(result(lease, allZeros(10)).status()).isEqualTo(204);
    }

    @Test
    void anAgentOfAnotherMemberCanNeitherUseNorSeeThisMembersAgentsLeasesOrBackendNames() {
        Site site = site();
        Fixtures.submit(alice, site.backend(), 10);
        var lease = borealisAgent.post("/v1/agents/" + site.agent().agentId() + "/lease", LeaseRequest.ONE_EACH);
        assertThat(lease.status()).isEqualTo(404);

        String borealisBackend = Fixtures.unique("bor");
        AgentRegistration other = Fixtures.register(borealisAgent, "other", Fixtures.backend(borealisBackend, 5));
        var steal = borealisAgent.post("/v1/agents/" + other.agentId() + "/lease",
                new LeaseRequest(Map.of(site.backend(), 1)));
        assertThat(steal.status()).isEqualTo(403);
        assertThat(steal.problem().code()).isEqualTo(ErrorCode.FORBIDDEN.slug());

        var takeName = borealisAgent.post("/v1/agents/register", new dev.qfed.api.RegisterAgentRequest("other",
                List.of(Fixtures.backend(site.backend(), 5)), Optional.empty()));
        assertThat(takeName.status()).isEqualTo(409);
        assertThat(takeName.problem().code()).isEqualTo(ErrorCode.BACKEND_NAME_TAKEN.slug());

        Lease mine = site.leaseOne();
        var report = borealisAgent.post("/v1/leases/" + mine.leaseId() + "/result",
                new SubmitResultRequest(allZeros(10), Optional.empty()));
        assertThat(report.status()).isEqualTo(404);
        var beat = borealisAgent.post("/v1/agents/" + other.agentId() + "/heartbeat",
                new HeartbeatRequest(List.of(mine.leaseId())));
        assertThat(beat.as(HeartbeatResponse.class).leases().getFirst().state()).isEqualTo(LeaseState.GONE);
        assertThat(result(mine, allZeros(10)).status()).isEqualTo(204);
    }

    @Test
    void aResearcherTokenCannotActAsAnAgent() {
        var r = alice.post("/v1/agents/register", new dev.qfed.api.RegisterAgentRequest("x",
                List.of(Fixtures.backend(Fixtures.unique("b"), 2)), Optional.empty()));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.problem().detail()).contains("AGENT role");
    }

    @Test
    void reRegisteringKeepsTheAgentIdAndReplacesItsBackends() {
        String name = Fixtures.unique("agent");
        String b1 = Fixtures.unique("b");
        String b2 = Fixtures.unique("b");
        AgentRegistration first = Fixtures.register(auroraAgent, name, Fixtures.backend(b1, 5));
        AgentRegistration second = Fixtures.register(auroraAgent, name, Fixtures.backend(b2, 7));
        assertThat(second.agentId()).isEqualTo(first.agentId());
        assertThat(second.backends()).extracting(dev.qfed.api.Backend::name).containsExactly(b2);
        var leaseOld = auroraAgent.post("/v1/agents/" + first.agentId() + "/lease", new LeaseRequest(Map.of(b1, 1)));
        assertThat(leaseOld.status()).isEqualTo(403);
    }

    @Test
    void concurrentAgentsNeverLeaseTheSameJobTwice() throws Exception {
        String backend = Fixtures.unique("b");
        List<AgentRegistration> agents = new ArrayList<>();
        agents.add(Fixtures.register(auroraAgent, Fixtures.unique("agent"), Fixtures.backend(backend, 5)));
        int jobs = 40;
        Set<String> submitted = new HashSet<>();
        for (int i = 0; i < jobs; i++) {
            submitted.add(Fixtures.submit(alice, backend, 1).id());
        }
        // Several pollers on the same agent race for the same queue.
        List<String> leased = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    while (true) {
                        var r = auroraAgent.post("/v1/agents/" + agents.getFirst().agentId() + "/lease",
                                new LeaseRequest(Map.of(backend, 3)));
                        List<Lease> got = r.as(LeaseBatch.class).leases();
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
        assertThat(leased).hasSize(jobs).doesNotHaveDuplicates();
        assertThat(new HashSet<>(leased)).isEqualTo(submitted);
    }

    @Test
    void oneReportAnswersEachItemOnItsOwnAndARefusedItemLeavesTheOthersAlone() {
        Site site = site();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(Fixtures.submit(alice, site.backend(), 100).id());
        }
        var leased = auroraAgent.post("/v1/agents/" + site.agent().agentId() + "/lease?wait=5s",
                new LeaseRequest(Map.of(site.backend(), 4)));
        Map<String, Lease> byJob = new java.util.HashMap<>();
        leased.as(LeaseBatch.class).leases().forEach(l -> byJob.put(l.jobId(), l));
        assertThat(byJob.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        Lease done = byJob.get(ids.get(0));
        Lease failed = byJob.get(ids.get(1));
        Lease wrong = byJob.get(ids.get(2));
        Lease running = byJob.get(ids.get(3));

        ReportRequest report = new ReportRequest(List.of(running.leaseId()),
                List.of(new LeaseResult(done.leaseId(), allZeros(100), Optional.empty()),
                        new LeaseResult(wrong.leaseId(), allZeros(99), Optional.empty()),
                        new LeaseResult("no-such-lease", allZeros(100), Optional.empty())),
                List.of(new LeaseFailure(failed.leaseId(), "device fault", true)),
                List.of(running.leaseId()));
        ReportResponse answer = report(site, report);

        assertThat(answer.started()).extracting(ReportOutcome::verdict).containsExactly(ReportVerdict.ACCEPTED);
        assertThat(answer.results()).extracting(ReportOutcome::verdict)
                .containsExactly(ReportVerdict.ACCEPTED, ReportVerdict.REFUSED, ReportVerdict.REFUSED);
        assertThat(answer.results().get(1).problem().flatMap(Problem::errorCode)).contains(ErrorCode.INVALID_RESULT);
        assertThat(answer.results().get(2).problem().flatMap(Problem::errorCode)).contains(ErrorCode.NOT_FOUND);
        assertThat(answer.failures()).extracting(ReportOutcome::verdict).containsExactly(ReportVerdict.ACCEPTED);
        Map<String, LeaseState> states = new java.util.HashMap<>();
        answer.leases().forEach(l -> states.put(l.leaseId(), l.state()));
        assertThat(states).containsEntry(running.leaseId(), LeaseState.ACTIVE)
                .containsEntry(wrong.leaseId(), LeaseState.ACTIVE).containsEntry(done.leaseId(), LeaseState.GONE)
                .containsEntry(failed.leaseId(), LeaseState.GONE).containsEntry("no-such-lease", LeaseState.GONE)
                .hasSize(5);

        Job completed = job(done.jobId());
        assertThat(completed.status()).as("a result without a reported start").isEqualTo(JobStatus.COMPLETED);
        assertThat(completed.timings().startedAt()).as("the start is recorded with the result").isPresent();
        assertThat(job(failed.jobId()).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job(wrong.jobId()).status()).isEqualTo(JobStatus.ASSIGNED);
        assertThat(job(running.jobId()).status()).isEqualTo(JobStatus.RUNNING);

        ReportResponse again = report(site, report);
        assertThat(again.started()).extracting(ReportOutcome::verdict).containsExactly(ReportVerdict.REPEATED);
        assertThat(again.results().getFirst().verdict()).isEqualTo(ReportVerdict.REPEATED);
        assertThat(again.failures().getFirst().verdict()).isEqualTo(ReportVerdict.REPEATED);
    }

    private static ReportRequest release(Lease lease, String reason) {
        return new ReportRequest(List.of(), List.of(), List.of(), List.of(),
                List.of(new dev.qfed.api.LeaseRelease(lease.leaseId(), reason)));
    }

    @Test
    void aLeaseGivenBackBeforeItsStartQueuesTheJobAgainWithoutSpendingAnAttempt() {
        Site site = site();
        Job submitted = Fixtures.submit(alice, site.backend(), 10);
        Lease first = site.leaseOne();
        assertThat(first.attempt()).isEqualTo(1);

        ReportResponse answer = report(site, release(first, "agent draining"));
        assertThat(answer.released()).extracting(ReportOutcome::verdict).containsExactly(ReportVerdict.ACCEPTED);
        assertThat(answer.leases()).extracting(LeaseStatus::state).containsExactly(LeaseState.GONE);
        Job queued = job(submitted.id());
        assertThat(queued.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(queued.attempt()).as("the attempt given back is not counted").isZero();
        assertThat(queued.failures()).isEmpty();
        var history = alice.get("/v1/jobs/" + submitted.id() + "/events").as(dev.qfed.api.JobHistory.class);
        assertThat(history.events().getLast()).satisfies(e -> {
            assertThat(e.event()).isEqualTo(dev.qfed.api.JobEventType.RELEASE);
            assertThat(e.attempt()).isEqualTo(1);
            assertThat(e.reason().orElseThrow()).contains("given back").contains("agent draining");
        });

        assertThat(report(site, release(first, "agent draining")).released())
                .extracting(ReportOutcome::verdict).as("the same release again").containsExactly(ReportVerdict.REPEATED);
        Lease second = site.leaseOne();
        assertThat(second.jobId()).isEqualTo(submitted.id());
        assertThat(second.attempt()).isEqualTo(1);
        var late = result(first, allZeros(10));
        assertThat(late.status()).as("a released lease's result is refused like an expired one's").isEqualTo(409);
        assertThat(late.problem().code()).isEqualTo(ErrorCode.LEASE_NOT_CURRENT.slug());
        assertThat(late.problem().detail()).contains("gave the lease back");
        assertThat(result(second, allZeros(10)).status()).isEqualTo(204);
        assertThat(job(submitted.id()).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void aStartedLeaseOrAnotherAgentsLeaseCannotBeGivenBackAndNothingChanges() {
        Site site = site();
        Site other = site();
        Job submitted = Fixtures.submit(alice, site.backend(), 10);
        Lease lease = site.leaseOne();

        ReportResponse notMine = report(other, release(lease, "not mine"));
        assertThat(notMine.released().getFirst().problem().flatMap(Problem::errorCode)).contains(ErrorCode.NOT_FOUND);
        assertThat(job(submitted.id()).status()).isEqualTo(JobStatus.ASSIGNED);

        start(lease);
        ReportResponse started = report(site, release(lease, "too late"));
        assertThat(started.released().getFirst().verdict()).isEqualTo(ReportVerdict.REFUSED);
        assertThat(started.released().getFirst().problem().orElseThrow()).satisfies(p -> {
            assertThat(p.errorCode()).contains(ErrorCode.LEASE_STARTED);
            assertThat(p.detail()).contains("report a failure", "cannot be given back");
        });
        assertThat(started.leases()).extracting(LeaseStatus::state).containsExactly(LeaseState.ACTIVE);
        Job running = job(submitted.id());
        assertThat(running.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(running.attempt()).isEqualTo(1);

        assertThat(fail(lease, true).status()).isEqualTo(204);
        ReportResponse ended = report(site, release(lease, "after the failure"));
        assertThat(ended.released().getFirst().problem().flatMap(Problem::errorCode))
                .as("a lease that is no longer current").contains(ErrorCode.LEASE_NOT_CURRENT);
        assertThat(job(submitted.id()).attempt()).isEqualTo(1);
    }

    @Test
    void aJobGivenBackWhileItsCancellationWasRequestedEndsCancelled() {
        Site site = site();
        Job submitted = Fixtures.submit(alice, site.backend(), 10);
        Lease lease = site.leaseOne();
        assertThat(alice.postEmpty("/v1/jobs/" + submitted.id() + "/cancel").as(Job.class).status())
                .isEqualTo(JobStatus.CANCEL_REQUESTED);
        assertThat(report(site, release(lease, "draining")).released().getFirst().verdict())
                .isEqualTo(ReportVerdict.ACCEPTED);
        assertThat(job(submitted.id()).status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void aReportForAnotherAgentsLeaseIsRefusedAsNotFound() {
        Site site = site();
        Site other = site();
        Fixtures.submit(alice, site.backend(), 100);
        Lease lease = site.leaseOne();
        ReportResponse answer = report(other, new ReportRequest(List.of(), List.of(new LeaseResult(lease.leaseId(),
                allZeros(100), Optional.empty())), List.of(), List.of()));
        assertThat(answer.results().getFirst().problem().flatMap(Problem::errorCode)).contains(ErrorCode.NOT_FOUND);
        assertThat(job(lease.jobId()).status()).isEqualTo(JobStatus.ASSIGNED);
    }

    private static ReportResponse report(Site site, ReportRequest request) {
        var r = auroraAgent.post("/v1/agents/" + site.agent().agentId() + "/reports", request);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.as(ReportResponse.class);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void everyTransitionOfTheJobLifecycleWasExercised() {
        assertThat(JobLifecycle.exercised()).containsAll(JobLifecycle.transitions());
    }
}
