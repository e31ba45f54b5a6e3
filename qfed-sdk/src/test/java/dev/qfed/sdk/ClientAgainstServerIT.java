package dev.qfed.sdk;

import dev.qfed.api.Backend;
import dev.qfed.api.CircuitSpec;
import dev.qfed.api.ErrorCode;
import dev.qfed.api.Job;
import dev.qfed.api.JobPage;
import dev.qfed.api.JobResult;
import dev.qfed.api.JobStatus;
import dev.qfed.api.SubmitJobRequest;
import dev.qfed.sdk.testing.EmulatingAgent;
import dev.qfed.sdk.testing.LocalBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SDK against the real broker in this process, with a test agent running jobs on the real emulator. */
class ClientAgainstServerIT {
    static final String BELL = """
            OPENQASM 2.0;
            include "qelib1.inc";
            qreg q[2];
            creg c[2];
            h q[0];
            cx q[0], q[1];
            measure q -> c;
            """;
    static final String RUNS = "sdk-emu-5";
    static final String IDLE = "sdk-idle-3";

    static LocalBroker broker;
    static EmulatingAgent agent;
    static EmulatingAgent idle;
    static QfedClient aurora;

    @BeforeAll
    static void start() {
        broker = LocalBroker.start();
        agent = EmulatingAgent.start(broker, "aurora", "site-a", 2, EmulatingAgent.backend(RUNS, 5));
        idle = EmulatingAgent.start(broker, "borealis", "site-b", 0, EmulatingAgent.backend(IDLE, 3));
        aurora = broker.client("aurora", "alice");
    }

    @AfterAll
    static void stop() {
        aurora.close();
        agent.close();
        idle.close();
        broker.close();
    }

    static SubmitJobRequest bell(String backend, int shots, Map<String, String> tags) {
        return new SubmitJobRequest(List.of(CircuitSpec.of(BELL)), shots, Optional.of(backend), Optional.empty(), tags);
    }

    @Test
    void aSubmittedJobRunsAndItsResultIsAwaitedWithProgress() {
        Job job = aurora.submit(bell(RUNS, 200, Map.of()));
        assertThat(job.status()).isIn(JobStatus.QUEUED, JobStatus.ASSIGNED, JobStatus.RUNNING, JobStatus.COMPLETED);
        assertThat(job.member()).isEqualTo("aurora");

        List<JobStatus> seen = new ArrayList<>();
        JobResult done = aurora.awaitResult(job.id(), Duration.ofSeconds(60), j -> seen.add(j.status()));

        assertThat(done.job().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(seen).isNotEmpty().last().isEqualTo(JobStatus.COMPLETED);
        Map<String, Long> counts = done.results().orElseThrow().get(0).counts();
        assertThat(counts.keySet()).isSubsetOf("00", "11");
        assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(200);
        assertThat(aurora.get(job.id()).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(aurora.result(job.id()).results()).isPresent();
    }

    @Test
    void theSameIdempotencyKeyAndBodyGiveTheSameJobAndADifferentBodyIsAConflict() {
        String key = "key-" + UUID.randomUUID();
        Job first = aurora.submit(bell(IDLE, 10, Map.of()), key);
        Job again = aurora.submit(bell(IDLE, 10, Map.of()), key);
        assertThat(again.id()).isEqualTo(first.id());

        assertThatThrownBy(() -> aurora.submit(bell(IDLE, 11, Map.of()), key))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.errorCode()).contains(ErrorCode.IDEMPOTENCY_KEY_REUSED));
        aurora.cancel(first.id());
    }

    @Test
    void anOpenQasmErrorSaysWhichCircuitLineAndColumn() {
        SubmitJobRequest request = new SubmitJobRequest(
                List.of(CircuitSpec.of(BELL), CircuitSpec.of("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nhh q[0];\n")),
                10, Optional.of(RUNS), Optional.empty(), Map.of());
        assertThatThrownBy(() -> aurora.submit(request))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.circuit()).contains(1);
                    assertThat(e.line()).contains(4);
                    assertThat(e.column()).contains(1);
                    assertThat(e.getMessage()).contains("hh");
                    assertThat(e.retryable()).isFalse();
                });
    }

    @Test
    void anUnknownBackendIsInvalidInputAndTooManyShotsIsALimit() {
        assertThatThrownBy(() -> aurora.submit(bell("no-such-backend", 10, Map.of())))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.errorCode()).contains(ErrorCode.UNKNOWN_BACKEND));
        int tooMany = broker.server().config().limits().maxShots() + 1;
        assertThatThrownBy(() -> aurora.submit(bell(RUNS, tooMany, Map.of())))
                .isInstanceOf(LimitExceededException.class);
    }

    @Test
    void anotherMembersJobIsNotFoundAndSoIsAnUnknownOne() {
        Job job = aurora.submit(bell(IDLE, 10, Map.of()));
        try (QfedClient cygnus = broker.client("cygnus", "carol")) {
            assertThatThrownBy(() -> cygnus.get(job.id())).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> cygnus.cancel(job.id())).isInstanceOf(NotFoundException.class);
        }
        assertThatThrownBy(() -> aurora.get("j-does-not-exist")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> aurora.backend("no-such-backend")).isInstanceOf(NotFoundException.class);
        aurora.cancel(job.id());
    }

    @Test
    void aMissingOrForgedTokenIsUnauthenticatedAndAnAgentTokenIsForbiddenToSubmit() {
        try (QfedClient anonymous = QfedClient.builder().server(broker.uri()).build()) {
            assertThatThrownBy(anonymous::backends).isInstanceOf(UnauthenticatedException.class);
        }
        try (QfedClient forged = QfedClient.builder().server(broker.uri()).token("not.a.jwt").build()) {
            assertThatThrownBy(forged::backends).isInstanceOfSatisfying(UnauthenticatedException.class,
                    e -> assertThat(e.status()).isEqualTo(401));
        }
        try (QfedClient agentOnly = QfedClient.builder().server(broker.uri())
                .token(broker.token("aurora", "site-x", "AGENT")).build()) {
            assertThatThrownBy(() -> agentOnly.submit(bell(RUNS, 10, Map.of())))
                    .isInstanceOf(ForbiddenException.class);
        }
    }

    @Test
    void aQueuedJobIsCancelledAtOnceAndACompletedOneCannotBe() {
        Job queued = aurora.submit(bell(IDLE, 10, Map.of()));
        assertThat(aurora.cancel(queued.id()).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(aurora.cancel(queued.id()).status()).isEqualTo(JobStatus.CANCELLED);

        Job ran = aurora.submit(bell(RUNS, 10, Map.of()));
        aurora.awaitResult(ran.id(), Duration.ofSeconds(60));
        assertThatThrownBy(() -> aurora.cancel(ran.id()))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.errorCode()).contains(ErrorCode.JOB_FINAL));
    }

    @Test
    void waitingRunsOutWithTheJobAsLastSeen() {
        Job queued = aurora.submit(bell(IDLE, 10, Map.of()));
        assertThatThrownBy(() -> aurora.awaitResult(queued.id(), Duration.ofMillis(300)))
                .isInstanceOfSatisfying(AwaitTimeoutException.class, e -> {
                    assertThat(e.lastSeen().orElseThrow().id()).isEqualTo(queued.id());
                    assertThat(e.lastSeen().orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
                });
        aurora.cancel(queued.id());
    }

    @Test
    void listingFiltersByTagAndStatusAndFollowsCursorsAcrossPages() {
        String run = UUID.randomUUID().toString();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(aurora.submit(bell(IDLE, 10, Map.of("run", run, "i", Integer.toString(i)))).id());
        }
        aurora.cancel(ids.get(0));

        JobQuery byRun = JobQuery.builder().tag("run", run).pageSize(2).build();
        JobPage first = aurora.list(byRun);
        assertThat(first.jobs()).hasSize(2);
        assertThat(first.nextCursor()).isPresent();

        List<String> all = aurora.listAll(byRun).map(Job::id).toList();
        assertThat(all).containsExactlyInAnyOrderElementsOf(ids).doesNotHaveDuplicates();
        assertThat(aurora.listAll(byRun).limit(3).count()).isEqualTo(3);

        List<Job> cancelled = aurora.listAll(JobQuery.builder().tag("run", run).status(JobStatus.CANCELLED).build())
                .toList();
        assertThat(cancelled).extracting(Job::id).containsExactly(ids.get(0));
        ids.subList(1, 5).forEach(aurora::cancel);
    }

    @Test
    void backendsAreListedByNameWithTheirOwners() {
        List<Backend> backends = aurora.backends();
        assertThat(backends).extracting(Backend::name).contains(RUNS, IDLE);
        Backend idleBackend = aurora.backend(IDLE);
        assertThat(idleBackend.member()).isEqualTo("borealis");
        assertThat(idleBackend.numQubits()).isEqualTo(3);
    }

    @Test
    void awaitAllReturnsEveryJobsResultInTheOrderGiven() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(aurora.submit(bell(RUNS, 50, Map.of())).id());
        }
        List<JobResult> all = aurora.awaitAll(ids, Duration.ofSeconds(60));
        assertThat(all).extracting(r -> r.job().id()).containsExactlyElementsOf(ids);
        assertThat(all).allSatisfy(r -> {
            assertThat(r.job().status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(r.results().orElseThrow().get(0).shots()).isEqualTo(50);
        });
    }

    @Test
    void completionsStreamsEachJobOnceAsItEnds() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(aurora.submit(bell(RUNS, 20, Map.of())).id());
        }
        assertThat(aurora.completions(ids, Duration.ofSeconds(60)).map(r -> r.job().id()).toList())
                .containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void awaitAllRunsOutOfTimeNamingTheJobsStillOpen() {
        Job done = aurora.submit(bell(RUNS, 20, Map.of()));
        aurora.awaitResult(done.id(), Duration.ofSeconds(60));
        Job queued = aurora.submit(bell(IDLE, 10, Map.of()));
        assertThatThrownBy(() -> aurora.awaitAll(List.of(done.id(), queued.id()), Duration.ofMillis(300)))
                .isInstanceOfSatisfying(AwaitTimeoutException.class, e -> {
                    assertThat(e.pending()).containsExactly(queued.id());
                    assertThat(e.done()).extracting(r -> r.job().id()).containsExactly(done.id());
                    assertThat(e.lastSeen()).isEmpty();
                });
        aurora.cancel(queued.id());
    }

    @Test
    void awaitAllRefusesIdsOfJobsTheCallerCannotSee() {
        Job mine = aurora.submit(bell(RUNS, 20, Map.of()));
        try (QfedClient borealis = broker.client("borealis", "bea")) {
            assertThatThrownBy(() -> borealis.awaitAll(List.of(mine.id()), Duration.ofSeconds(5)))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining(mine.id());
        }
    }

    @Test
    void aWaitForTooManyIdsIsALimitError() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i <= QfedClient.MAX_WAIT_IDS; i++) {
            ids.add(String.format("01a20bcb-b4d6-7000-9622-%012x", i));
        }
        assertThatThrownBy(() -> aurora.waitForAny(ids, Duration.ZERO, false))
                .isInstanceOf(LimitExceededException.class).hasMessageContaining("at most " + QfedClient.MAX_WAIT_IDS);
    }

    @Test
    void aJobsEventsTellItsHistory() {
        Job job = aurora.submit(bell(RUNS, 20, Map.of()));
        aurora.awaitResult(job.id(), Duration.ofSeconds(60));
        var history = aurora.events(job.id());
        assertThat(history.events()).extracting(e -> e.to()).startsWith(JobStatus.QUEUED).endsWith(JobStatus.COMPLETED);
    }
}
