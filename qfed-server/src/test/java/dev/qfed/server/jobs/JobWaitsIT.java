package dev.qfed.server.jobs;

import dev.qfed.api.AgentRegistration;
import dev.qfed.api.ErrorCode;
import dev.qfed.api.FailLeaseRequest;
import dev.qfed.api.Job;
import dev.qfed.api.JobEventType;
import dev.qfed.api.JobHistory;
import dev.qfed.api.JobPage;
import dev.qfed.api.JobResult;
import dev.qfed.api.JobStatus;
import dev.qfed.api.JobTransition;
import dev.qfed.api.Lease;
import dev.qfed.api.LeaseBatch;
import dev.qfed.api.LeaseRequest;
import dev.qfed.api.SubmitResultRequest;
import dev.qfed.api.WaitJobsRequest;
import dev.qfed.api.WaitJobsResponse;
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
 * Waiting for many jobs at once ({@code POST /v1/jobs/wait}), a job's history ({@code GET /v1/jobs/{id}/events})
 * and who may read and change which jobs ({@link JobAccess}): members, operators, agents. Runs on H2 and PostgreSQL.
 */
@ParameterizedClass
@EnumSource(Engine.class)
class JobWaitsIT {
    @Parameter
    Engine engine;

    private static TestServer server;
    private static ApiClient alice;
    private static ApiClient bea;
    private static ApiClient sre;
    private static ApiClient sreResearcher;
    private static ApiClient agent;
    private static String backend;
    private static AgentRegistration site;

    @BeforeParameterizedClassInvocation
    static void start(Engine engine) {
        server = TestServer.start(engine);
        alice = server.client(server.token("aurora", "alice", Role.RESEARCHER));
        bea = server.client(server.token("borealis", "bea", Role.RESEARCHER));
        sre = server.client(server.token("cygnus", "sre", Role.OPERATOR));
        sreResearcher = server.client(server.token("cygnus", "sre2", Role.OPERATOR, Role.RESEARCHER));
        agent = server.client(server.token("aurora", "agent", Role.AGENT));
        backend = Fixtures.unique("w");
        site = Fixtures.register(agent, "site", Fixtures.backend(backend, 5));
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    /** Leases every queued job of the backend and completes the one with {@code jobId}; fails the rest for retry. */
    private static void complete(String jobId) {
        for (int round = 0; round < 20; round++) {
            List<Lease> leases = agent.post("/v1/agents/" + site.agentId() + "/lease?wait=2s",
                    new LeaseRequest(Map.of(backend, 50))).as(LeaseBatch.class).leases();
            boolean found = false;
            for (Lease l : leases) {
                if (l.jobId().equals(jobId)) {
                    var r = agent.post("/v1/leases/" + l.leaseId() + "/result",
                            new SubmitResultRequest(Fixtures.allZeros(l.shots()), Optional.empty()));
                    assertThat(r.status()).as(r.body()).isEqualTo(204);
                    found = true;
                } else {
                    agent.post("/v1/leases/" + l.leaseId() + "/fail", new FailLeaseRequest("not this one", true));
                }
            }
            if (found) {
                return;
            }
        }
        throw new AssertionError("job " + jobId + " was never leased");
    }

    private static WaitJobsResponse waitFor(ApiClient client, String wait, WaitJobsRequest request) {
        var r = client.post("/v1/jobs/wait?wait=" + wait, request);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.as(WaitJobsResponse.class);
    }

    @Test
    void aWaitOnJobsThatAreNotFinalAnswersWhenTheWaitRunsOutWithAllOfThemPending() {
        Job a = Fixtures.submit(alice, backend, 10);
        Job b = Fixtures.submit(alice, backend, 10);
        WaitJobsResponse r = waitFor(alice, "200ms", WaitJobsRequest.of(List.of(b.id(), a.id())));
        assertThat(r.done()).isEmpty();
        assertThat(r.notFound()).isEmpty();
        assertThat(r.pending()).containsExactly(b.id(), a.id());
    }

    @Test
    void aWaitAnswersAsSoonAsOneOfTheJobsEndsAndSortsEveryIdIntoOneList() throws Exception {
        Job a = Fixtures.submit(alice, backend, 10);
        Job b = Fixtures.submit(alice, backend, 10);
        CompletableFuture<WaitJobsResponse> waiting = CompletableFuture.supplyAsync(() ->
                waitFor(alice, "30s", new WaitJobsRequest(List.of(a.id(), b.id()), true)));
        complete(b.id());
        WaitJobsResponse r = waiting.get();
        assertThat(r.done()).extracting(d -> d.job().id()).containsExactly(b.id());
        JobResult done = r.done().getFirst();
        assertThat(done.job().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.results().orElseThrow().getFirst().counts()).containsEntry("00", 10L);
        assertThat(done.execution()).isPresent();
        assertThat(r.pending()).containsExactly(a.id());
        assertThat(r.notFound()).isEmpty();
    }

    @Test
    void withoutIncludeResultsTheFinalJobsComeWithoutTheirCounts() {
        Job a = Fixtures.submit(alice, backend, 10);
        complete(a.id());
        WaitJobsResponse r = waitFor(alice, "5s", WaitJobsRequest.of(List.of(a.id())));
        assertThat(r.done()).singleElement().satisfies(d -> {
            assertThat(d.job().status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(d.results()).isEmpty();
            assertThat(d.execution()).isEmpty();
        });
    }

    @Test
    void cancelledJobsAreFinalToo() {
        Job a = Fixtures.submit(alice, backend, 10);
        alice.postEmpty("/v1/jobs/" + a.id() + "/cancel");
        WaitJobsResponse r = waitFor(alice, "5s", new WaitJobsRequest(List.of(a.id()), true));
        assertThat(r.done()).singleElement().satisfies(d -> {
            assertThat(d.job().status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(d.results()).isEmpty();
        });
    }

    @Test
    void unknownIdsAndAnotherMembersJobsAreReportedAsNotFoundAtOnce() {
        Job mine = Fixtures.submit(alice, backend, 10);
        Job theirs = Fixtures.submit(bea, backend, 10);
        String unknown = "01a20bcb-b4d6-7000-9622-683e4d9603cd";
        WaitJobsResponse r = waitFor(alice, "30s", WaitJobsRequest.of(List.of(mine.id(), theirs.id(), unknown)));
        assertThat(r.notFound()).containsExactly(theirs.id(), unknown);
        assertThat(r.pending()).containsExactly(mine.id());
        assertThat(r.done()).isEmpty();
    }

    @Test
    void tooManyIdsAreRefusedNamingTheLimit() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            ids.add(String.format("01a20bcb-b4d6-7000-9622-%012x", i));
        }
        var r = alice.post("/v1/jobs/wait", WaitJobsRequest.of(ids));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.problem().code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED.slug());
        assertThat(r.problem().field()).contains("job_ids");
        assertThat(r.problem().detail()).contains("at most 20");
    }

    @Test
    void malformedDuplicateOrMissingIdsAndABadWaitAreRefused() {
        Job a = Fixtures.submit(alice, backend, 10);
        var malformed = alice.post("/v1/jobs/wait", WaitJobsRequest.of(List.of(a.id(), "not-an-id")));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.problem().field()).contains("job_ids[1]");
        var twice = alice.post("/v1/jobs/wait", WaitJobsRequest.of(List.of(a.id(), a.id())));
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.problem().detail()).contains("named twice");
        var empty = alice.post("/v1/jobs/wait", WaitJobsRequest.of(List.of()));
        assertThat(empty.status()).isEqualTo(400);
        var missing = alice.post("/v1/jobs/wait", "{\"include_results\":true}");
        assertThat(missing.status()).isEqualTo(400);
        var badWait = alice.post("/v1/jobs/wait?wait=soon", WaitJobsRequest.of(List.of(a.id())));
        assertThat(badWait.status()).isEqualTo(400);
        assertThat(badWait.problem().field()).contains("wait");
        var unknownField = alice.post("/v1/jobs/wait", "{\"job_ids\":[\"" + a.id() + "\"],\"all\":true}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.problem().detail()).contains("all");
    }

    @Test
    void anAgentTokenCannotWaitForJobs() {
        var r = agent.post("/v1/jobs/wait", WaitJobsRequest.of(List.of("01a20bcb-b4d6-7000-9622-683e4d9603cd")));
        assertThat(r.status()).isEqualTo(403);
    }

    @Test
    void aJobsHistoryListsEveryTransitionOldestFirst() {
        Job a = Fixtures.submit(alice, backend, 10);
        complete(a.id());
        var r = alice.get("/v1/jobs/" + a.id() + "/events");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JobHistory history = r.as(JobHistory.class);
        assertThat(history.jobId()).isEqualTo(a.id());
        List<JobTransition> events = history.events();
        assertThat(events.getFirst().event()).isEqualTo(JobEventType.SUBMIT);
        assertThat(events.getFirst().from()).isEmpty();
        assertThat(events.getFirst().to()).isEqualTo(JobStatus.QUEUED);
        assertThat(events.getLast().event()).isEqualTo(JobEventType.COMPLETE);
        assertThat(events.getLast().to()).isEqualTo(JobStatus.COMPLETED);
        assertThat(events).extracting(JobTransition::event).contains(JobEventType.LEASE);
        assertThat(events).extracting(JobTransition::at).isSorted();
        assertThat(bea.get("/v1/jobs/" + a.id() + "/events").status()).as("another member").isEqualTo(404);
    }

    @Test
    void anOperatorReadsEveryMembersJobsButChangesNone() {
        Job a = Fixtures.submit(alice, backend, 10);
        Job b = Fixtures.submit(bea, backend, 10);
        assertThat(sre.get("/v1/jobs/" + a.id()).as(Job.class).member()).isEqualTo("aurora");
        assertThat(sre.get("/v1/jobs/" + b.id() + "/result").status()).isEqualTo(202);
        assertThat(sre.get("/v1/jobs/" + a.id() + "/events").status()).isEqualTo(200);
        assertThat(waitFor(sre, "0", WaitJobsRequest.of(List.of(a.id(), b.id()))).pending())
                .containsExactly(a.id(), b.id());

        List<String> aurora = sre.get("/v1/jobs?member=aurora&limit=500").as(JobPage.class).jobs().stream()
                .map(Job::id).toList();
        assertThat(aurora).contains(a.id()).doesNotContain(b.id());
        List<String> everyone = sre.get("/v1/jobs?limit=500").as(JobPage.class).jobs().stream()
                .map(Job::id).toList();
        assertThat(everyone).contains(a.id(), b.id());

        var cancel = sre.postEmpty("/v1/jobs/" + a.id() + "/cancel");
        assertThat(cancel.status()).as("an operator alone cannot cancel").isEqualTo(403);
        var cancelAsResearcher = sreResearcher.postEmpty("/v1/jobs/" + a.id() + "/cancel");
        assertThat(cancelAsResearcher.status()).as("nor for another member with a researcher role").isEqualTo(403);
        assertThat(cancelAsResearcher.problem().detail()).contains("aurora");
        assertThat(sre.post("/v1/jobs", Fixtures.request(backend, 10, Fixtures.BELL)).status()).isEqualTo(403);
        assertThat(alice.get("/v1/jobs/" + a.id()).as(Job.class).status()).isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void aMemberCannotListAnotherMembersJobs() {
        var r = alice.get("/v1/jobs?member=borealis");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.problem().field()).contains("member");
        assertThat(alice.get("/v1/jobs?member=aurora").status()).isEqualTo(200);
    }
}
