package dev.qfed.server.jobs;

import dev.qfed.api.AgentRegistration;
import dev.qfed.api.CircuitSpec;
import dev.qfed.api.ErrorCode;
import dev.qfed.api.Job;
import dev.qfed.api.JobPage;
import dev.qfed.api.JobResult;
import dev.qfed.api.JobStatus;
import dev.qfed.api.Lease;
import dev.qfed.api.LeaseBatch;
import dev.qfed.api.LeaseRequest;
import dev.qfed.api.SubmitJobRequest;
import dev.qfed.api.SubmitResultRequest;
import dev.qfed.server.identity.Role;
import dev.qfed.server.testing.ApiClient;
import dev.qfed.server.testing.Engine;
import dev.qfed.server.testing.Fixtures;
import dev.qfed.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The researcher's API over HTTP: submission and placement, idempotency keys, reading a job with its queue
 * position, listing with filters and cursors, waiting for results, and member isolation. Runs on H2 and PostgreSQL.
 */
@ParameterizedClass
@EnumSource(Engine.class)
class JobsApiIT {
    @Parameter
    Engine engine;

    private static TestServer server;
    private static ApiClient alice;
    private static ApiClient bob;
    private static ApiClient bea;
    private static ApiClient agent;
    private static AgentRegistration site;
    private static String small;
    private static String large;

    @BeforeParameterizedClassInvocation
    static void start(Engine engine) {
        server = TestServer.start(engine);
        alice = server.client(server.token("aurora", "alice", Role.RESEARCHER));
        bob = server.client(server.token("aurora", "bob", Role.RESEARCHER));
        bea = server.client(server.token("borealis", "bea", Role.RESEARCHER));
        agent = server.client(server.token("aurora", "agent", Role.AGENT));
        small = Fixtures.unique("small");
        large = Fixtures.unique("large");
        site = Fixtures.register(agent, "site", Fixtures.backend(small, 2), Fixtures.backend(large, 20));
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    private static Job submit(ApiClient client, SubmitJobRequest request) {
        var r = client.post("/v1/jobs", request);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.as(Job.class);
    }

    private static SubmitJobRequest inProject(String project, String backend, Map<String, String> tags) {
        return new SubmitJobRequest(List.of(CircuitSpec.of(Fixtures.BELL)), 10, Optional.of(backend),
                Optional.of(project), tags);
    }

    @Test
    void aSubmittedJobIsQueuedWithItsLocationAndEverythingItAskedFor() {
        var r = alice.post("/v1/jobs", new SubmitJobRequest(
                List.of(CircuitSpec.of(Fixtures.BELL), new CircuitSpec(Fixtures.ROTATION, Optional.of("rot"),
                        Map.of("theta", 0.25))), 500, Optional.of(small), Optional.of("qec"), Map.of("exp", "1")));
        assertThat(r.status()).isEqualTo(201);
        Job job = r.as(Job.class);
        assertThat(r.header("Location")).contains("/v1/jobs/" + job.id());
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.member()).isEqualTo("aurora");
        assertThat(job.user()).isEqualTo("alice");
        assertThat(job.project()).isEqualTo("qec");
        assertThat(job.backend()).isEqualTo(small);
        assertThat(job.backendRequested()).isEqualTo(small);
        assertThat(job.shots()).isEqualTo(500);
        assertThat(job.circuitCount()).isEqualTo(2);
        assertThat(job.tags()).containsEntry("exp", "1");
        assertThat(job.attempt()).isZero();
        assertThat(job.maxAttempts()).isEqualTo(3);

        Job read = alice.get("/v1/jobs/" + job.id()).as(Job.class);
        assertThat(read.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(read.queuePosition()).isPresent();
        assertThat(read.timings().submittedAt()).isEqualTo(job.timings().submittedAt());
    }

    @Test
    void autoPlacesAJobOnABackendThatFitsIt() {
        var ghz = submit(alice, Fixtures.request("auto", 10, Fixtures.GHZ5));
        assertThat(ghz.backend()).as("5 qubits do not fit the 2-qubit backend").isEqualTo(large);
        assertThat(ghz.backendRequested()).isEqualTo("auto");
        var bell = submit(alice, SubmitJobRequest.of(List.of(CircuitSpec.of(Fixtures.BELL)), 10));
        assertThat(bell.backend()).isIn(small, large);
    }

    @Test
    void aNamedBackendTooSmallForTheCircuitIsRefused() {
        var r = alice.post("/v1/jobs", Fixtures.request(small, 10, Fixtures.GHZ5));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.problem().code()).isEqualTo(ErrorCode.NO_FITTING_BACKEND.slug());
        assertThat(r.problem().detail()).contains("needs 5 qubits");
    }

    @Test
    void theQueuePositionCountsTheJobsAheadOnTheSameBackend() {
        String backend = Fixtures.unique("q");
        Fixtures.register(agent, Fixtures.unique("a"), Fixtures.backend(backend, 5));
        Job first = Fixtures.submit(alice, backend, 1);
        Job second = Fixtures.submit(bob, backend, 1);
        Job third = Fixtures.submit(alice, backend, 1);
        assertThat(alice.get("/v1/jobs/" + first.id()).as(Job.class).queuePosition()).contains(0L);
        assertThat(bob.get("/v1/jobs/" + second.id()).as(Job.class).queuePosition()).contains(1L);
        assertThat(alice.get("/v1/jobs/" + third.id()).as(Job.class).queuePosition()).contains(2L);
    }

    @Test
    void onlyTheReadOfOneJobCountsTheQueue() {
        String backend = Fixtures.unique("q");
        Fixtures.register(agent, Fixtures.unique("a"), Fixtures.backend(backend, 5));
        Job submitted = Fixtures.submit(alice, backend, 1);
        assertThat(submitted.queuePosition()).isEmpty();
        assertThat(alice.get("/v1/jobs?backend=" + backend).as(JobPage.class).jobs())
                .singleElement().satisfies(j -> assertThat(j.queuePosition()).isEmpty());
        assertThat(alice.get("/v1/jobs/" + submitted.id() + "/result?wait=100ms").as(dev.qfed.api.JobResult.class)
                .job().queuePosition()).isEmpty();
        assertThat(alice.get("/v1/jobs/" + submitted.id()).as(Job.class).queuePosition()).contains(0L);
    }

    @Test
    void theSameIdempotencyKeyAndBodyGiveTheSameJob() {
        String key = Fixtures.unique("key");
        var request = inProject("idem", small, Map.of("a", "1", "b", "2"));
        var first = alice.post("/v1/jobs", request, Map.of("Idempotency-Key", key));
        assertThat(first.status()).isEqualTo(201);
        // The same request with its tags in another order is the same request.
        var reordered = inProject("idem", small, new java.util.TreeMap<>(Map.of("b", "2", "a", "1")).descendingMap());
        var second = alice.post("/v1/jobs", reordered, Map.of("Idempotency-Key", key));
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.as(Job.class).id()).isEqualTo(first.as(Job.class).id());
    }

    @Test
    void theSameIdempotencyKeyWithAnotherBodyIsRefusedAndCreatesNothing() {
        String key = Fixtures.unique("key");
        String project = Fixtures.unique("p");
        alice.post("/v1/jobs", inProject(project, small, Map.of()), Map.of("Idempotency-Key", key));
        var other = alice.post("/v1/jobs", new SubmitJobRequest(List.of(CircuitSpec.of(Fixtures.BELL)), 11,
                Optional.of(small), Optional.of(project), Map.of()), Map.of("Idempotency-Key", key));
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.problem().code()).isEqualTo(ErrorCode.IDEMPOTENCY_KEY_REUSED.slug());
        assertThat(alice.get("/v1/jobs?project=" + project).as(JobPage.class).jobs()).hasSize(1);
    }

    @Test
    void theSameIdempotencyKeyWithAnotherSeedIsAnotherBody() {
        String key = Fixtures.unique("key");
        String project = Fixtures.unique("p");
        var seeded = inProject(project, small, Map.of()).withSeed(42);
        assertThat(alice.post("/v1/jobs", seeded, Map.of("Idempotency-Key", key)).status()).isEqualTo(201);
        assertThat(alice.post("/v1/jobs", seeded, Map.of("Idempotency-Key", key)).status()).isEqualTo(200);
        var other = alice.post("/v1/jobs", inProject(project, small, Map.of()).withSeed(43),
                Map.of("Idempotency-Key", key));
        assertThat(other.status()).isEqualTo(409);
        var none = alice.post("/v1/jobs", inProject(project, small, Map.of()), Map.of("Idempotency-Key", key));
        assertThat(none.status()).isEqualTo(409);
        assertThat(alice.get("/v1/jobs?project=" + project).as(JobPage.class).jobs()).hasSize(1);
    }

    @Test
    void idempotencyKeysBelongToTheUserWhoChoseThem() {
        String key = Fixtures.unique("key");
        var mine = alice.post("/v1/jobs", inProject("idem", small, Map.of()), Map.of("Idempotency-Key", key));
        var theirs = bob.post("/v1/jobs", inProject("idem", small, Map.of()), Map.of("Idempotency-Key", key));
        assertThat(theirs.status()).isEqualTo(201);
        assertThat(theirs.as(Job.class).id()).isNotEqualTo(mine.as(Job.class).id());
    }

    @Test
    void concurrentRetriesWithOneIdempotencyKeyCreateOneJob() throws Exception {
        String key = Fixtures.unique("key");
        String project = Fixtures.unique("p");
        List<CompletableFuture<ApiClient.Response>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> alice.post("/v1/jobs", inProject(project, small, Map.of()),
                    Map.of("Idempotency-Key", key))));
        }
        List<ApiClient.Response> responses = new ArrayList<>();
        for (var c : calls) {
            responses.add(c.get());
        }
        assertThat(responses).extracting(ApiClient.Response::status).containsOnly(200, 201).containsOnlyOnce(201);
        assertThat(responses).extracting(r -> r.as(Job.class).id()).containsOnly(responses.getFirst().as(Job.class).id());
        assertThat(alice.get("/v1/jobs?project=" + project).as(JobPage.class).jobs()).hasSize(1);
    }

    @Test
    void listingPagesThroughEveryJobNewestFirstWithCursors() {
        String project = Fixtures.unique("page");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(submit(alice, inProject(project, small, Map.of())).id());
        }
        List<String> seen = new ArrayList<>();
        String path = "/v1/jobs?project=" + project + "&limit=2";
        JobPage page = alice.get(path).as(JobPage.class);
        seen.addAll(page.jobs().stream().map(Job::id).toList());
        int pages = 1;
        while (page.nextCursor().isPresent()) {
            page = alice.get(path + "&cursor=" + page.nextCursor().get()).as(JobPage.class);
            seen.addAll(page.jobs().stream().map(Job::id).toList());
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(ids.reversed());
    }

    @Test
    void listingFiltersByStatusTagAndBackend() {
        String project = Fixtures.unique("filter");
        Job tagged = submit(alice, inProject(project, small, Map.of("exp", "ghz")));
        Job other = submit(alice, inProject(project, large, Map.of("exp", "bell")));
        Job cancelled = submit(alice, inProject(project, small, Map.of("exp", "ghz")));
        alice.postEmpty("/v1/jobs/" + cancelled.id() + "/cancel");
        String base = "/v1/jobs?project=" + project;

        assertThat(ids(base + "&tag=exp=ghz")).containsExactly(cancelled.id(), tagged.id());
        assertThat(ids(base + "&tag=exp=ghz&status=QUEUED")).containsExactly(tagged.id());
        assertThat(ids(base + "&status=queued,cancelled")).containsExactly(cancelled.id(), other.id(), tagged.id());
        assertThat(ids(base + "&backend=" + large)).containsExactly(other.id());
        assertThat(ids(base + "&tag=exp=none")).isEmpty();
    }

    private static List<String> ids(String path) {
        var r = alice.get(path);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.as(JobPage.class).jobs().stream().map(Job::id).toList();
    }

    @Test
    void anotherMembersJobsDoNotExistForTheCaller() {
        String project = Fixtures.unique("private");
        Job job = submit(alice, inProject(project, small, Map.of()));
        for (String path : List.of("/v1/jobs/" + job.id(), "/v1/jobs/" + job.id() + "/result")) {
            var r = bea.get(path);
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.problem().code()).isEqualTo(ErrorCode.NOT_FOUND.slug());
        }
        assertThat(bea.postEmpty("/v1/jobs/" + job.id() + "/cancel").status()).isEqualTo(404);
        assertThat(bea.get("/v1/jobs?project=" + project).as(JobPage.class).jobs()).isEmpty();
        assertThat(alice.get("/v1/jobs/" + job.id()).as(Job.class).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(bob.get("/v1/jobs/" + job.id()).status()).as("same member, other user").isEqualTo(200);
    }

    @Test
    void waitingForAResultAnswers202WhileTheJobIsNotFinal() {
        Job job = submit(alice, inProject("wait", small, Map.of()));
        var r = alice.get("/v1/jobs/" + job.id() + "/result?wait=100ms");
        assertThat(r.status()).isEqualTo(202);
        JobResult pending = r.as(JobResult.class);
        assertThat(pending.job().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(pending.results()).isEmpty();
    }

    @Test
    void aResultLongPollReturnsAsSoonAsTheAgentReports() throws Exception {
        String backend = Fixtures.unique("poll");
        AgentRegistration a = Fixtures.register(agent, Fixtures.unique("a"), Fixtures.backend(backend, 5));
        Job job = Fixtures.submit(alice, backend, 10);
        CompletableFuture<ApiClient.Response> waiting =
                CompletableFuture.supplyAsync(() -> alice.get("/v1/jobs/" + job.id() + "/result?wait=30s"));
        Lease lease = agent.post("/v1/agents/" + a.agentId() + "/lease?wait=5s", LeaseRequest.ONE_EACH)
                .as(LeaseBatch.class).leases().getFirst();
        agent.post("/v1/leases/" + lease.leaseId() + "/result",
                new SubmitResultRequest(Fixtures.allZeros(10), Optional.empty()));
        var r = waiting.get();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.as(JobResult.class).results().orElseThrow()).hasSize(1);
    }

    @Test
    void backendsAreListedWithTheirQueueAndOwner() {
        var list = alice.get("/v1/backends").as(dev.qfed.api.BackendList.class);
        assertThat(list.backends()).extracting(dev.qfed.api.Backend::name).contains(small, large);
        var one = bea.get("/v1/backends/" + large);
        assertThat(one.status()).as("backends are visible across the consortium").isEqualTo(200);
        dev.qfed.api.Backend backend = one.as(dev.qfed.api.Backend.class);
        assertThat(backend.member()).isEqualTo("aurora");
        assertThat(backend.numQubits()).isEqualTo(20);
        assertThat(backend.status()).isEqualTo(dev.qfed.api.BackendStatus.ONLINE);
        assertThat(backend.supportedGates()).contains("h", "cx");
        assertThat(alice.get("/v1/backends/nope").status()).isEqualTo(404);
        assertThat(site.backends()).hasSize(2);
    }
}
