package dev.qfed.server;

import dev.qfed.api.AgentRegistration;
import dev.qfed.api.ApiJson;
import dev.qfed.api.CircuitResult;
import dev.qfed.api.Job;
import dev.qfed.api.JobPage;
import dev.qfed.api.JobResult;
import dev.qfed.api.JobStatus;
import dev.qfed.api.Lease;
import dev.qfed.api.LeaseBatch;
import dev.qfed.api.LeaseRequest;
import dev.qfed.api.RegisterAgentRequest;
import dev.qfed.api.SubmitResultRequest;
import dev.qfed.server.identity.DevIssuer;
import dev.qfed.server.identity.Role;
import dev.qfed.server.testing.Engine;
import dev.qfed.server.testing.Fixtures;
import dev.qfed.server.testing.ServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker is killed with SIGKILL twice while a submitter and an agent work against it, and restarted on the
 * same database. Afterwards every acknowledged submission exists, every job reaches a final state, and every job
 * has exactly the result whose report was acknowledged — none lost, none replaced. Runs on H2 (file mode) and
 * PostgreSQL.
 */
@ParameterizedClass
@EnumSource(Engine.class)
class CrashIT {
    private static final int JOBS = 120;
    private static final int SHOTS = 64;

    @Parameter
    Engine engine;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicReference<URI> base = new AtomicReference<>();
    private Process broker;

    @AfterEach
    void killBroker() {
        if (broker != null) {
            broker.destroyForcibly();
        }
    }

    private void startBroker(String dbUrl, int generation) throws Exception {
        Path portFile = dir.resolve("port-" + generation);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        broker = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                ServerProcess.class.getName(), dir.toString(), dbUrl, portFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("broker-" + generation + ".log").toFile())
                .start();
        Instant deadline = Instant.now().plusSeconds(60);
        while (!Files.exists(portFile)) {
            if (!broker.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("broker did not start: "
                        + Files.readString(dir.resolve("broker-" + generation + ".log")));
            }
            Thread.sleep(50);
        }
        base.set(URI.create("http://127.0.0.1:" + Files.readString(portFile).strip()));
    }

    /** Sends until the broker answers (it may be down or restarting); the answer's status and body. */
    private HttpResponse<String> send(String method, String path, String token, Object body, Map<String, String> headers,
                                      AtomicBoolean stop) throws InterruptedException {
        while (true) {
            if (stop != null && stop.get()) {
                return null;
            }
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(base.get().resolve(path)).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + token);
                headers.forEach(b::header);
                b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(ApiJson.write(body)));
                if (body != null) {
                    b.header("Content-Type", "application/json");
                }
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() < 500) {
                    return r;
                }
            } catch (IOException e) {
                // down or restarting: try again
            }
            Thread.sleep(50);
        }
    }

    @Test
    void killingTheBrokerLosesNothingAcknowledgedAndDuplicatesNothing() throws Exception {
        String dbUrl = engine.newDatabaseUrl(dir);
        DevIssuer issuer = DevIssuer.open(dir); // the broker processes load this key from the same directory
        String alice = issuer.mint("aurora", "alice", Set.of(Role.RESEARCHER), Duration.ofHours(1));
        String agent = issuer.mint("aurora", "agent", Set.of(Role.AGENT), Duration.ofHours(1));
        startBroker(dbUrl, 1);

        String backend = Fixtures.unique("crash");
        AgentRegistration site = ApiJson.mapper().readValue(send("POST", "/v1/agents/register", agent,
                new RegisterAgentRequest("site", List.of(Fixtures.backend(backend, 5)), Optional.empty()), Map.of(),
                null).body(), AgentRegistration.class);

        Set<String> acknowledgedJobs = ConcurrentHashMap.newKeySet();
        Map<String, Map<String, Long>> acknowledgedResults = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();

        Thread submitter = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < JOBS; i++) {
                    var r = send("POST", "/v1/jobs", alice, Fixtures.request(backend, SHOTS, Fixtures.BELL),
                            Map.of("Idempotency-Key", "crash-" + i), stop);
                    if (r == null) {
                        return;
                    }
                    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
                    acknowledgedJobs.add(ApiJson.mapper().readValue(r.body(), Job.class).id());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread worker = Thread.ofVirtual().start(() -> {
            try {
                while (!stop.get()) {
                    var r = send("POST", "/v1/agents/" + site.agentId() + "/lease?wait=1s", agent,
                            new LeaseRequest(Map.of(backend, 8)), Map.of(), stop);
                    if (r == null) {
                        return;
                    }
                    for (Lease lease : ApiJson.mapper().readValue(r.body(), LeaseBatch.class).leases()) {
                        // Counts that name the lease, so the stored result shows which report won.
                        long k = Math.floorMod(lease.leaseId().hashCode(), SHOTS);
                        Map<String, Long> counts = Map.of("00", k, "11", SHOTS - k);
                        var done = send("POST", "/v1/leases/" + lease.leaseId() + "/result", agent,
                                new SubmitResultRequest(List.of(CircuitResult.of(counts)), Optional.empty()), Map.of(),
                                stop);
                        if (done != null && done.statusCode() == 204) {
                            Map<String, Long> before = acknowledgedResults.putIfAbsent(lease.jobId(), counts);
                            assertThat(before).as("a second result acknowledged for job " + lease.jobId())
                                    .isIn(null, counts);
                        }
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        for (int generation = 2; generation <= 3; generation++) {
            int target = JOBS * (generation - 1) / 3;
            Instant deadline = Instant.now().plusSeconds(60);
            while (acknowledgedJobs.size() < target && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
            broker.destroyForcibly().waitFor();
            startBroker(dbUrl, generation);
        }
        submitter.join(Duration.ofSeconds(120));
        assertThat(acknowledgedJobs).hasSize(JOBS);

        // Every job ends, with the result whose report was acknowledged.
        Instant deadline = Instant.now().plusSeconds(90);
        List<Job> jobs = allJobs(alice);
        while (jobs.stream().anyMatch(j -> !j.status().isFinal()) && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            jobs = allJobs(alice);
        }
        stop.set(true);
        worker.join(Duration.ofSeconds(30));

        assertThat(jobs).extracting(Job::id).containsExactlyInAnyOrderElementsOf(acknowledgedJobs);
        assertThat(jobs).allSatisfy(j -> assertThat(j.status()).isEqualTo(JobStatus.COMPLETED));
        for (Job job : jobs) {
            JobResult result = ApiJson.mapper().readValue(
                    send("GET", "/v1/jobs/" + job.id() + "/result", alice, null, Map.of(), null).body(), JobResult.class);
            Map<String, Long> stored = result.results().orElseThrow().getFirst().counts();
            Map<String, Long> acked = acknowledgedResults.get(job.id());
            if (acked != null) {
                assertThat(stored).as("job %s keeps the acknowledged result", job.id()).isEqualTo(acked);
            }
        }
    }

    private List<Job> allJobs(String token) throws Exception {
        List<Job> out = new ArrayList<>();
        String cursor = null;
        do {
            var r = send("GET", "/v1/jobs?limit=500" + (cursor == null ? "" : "&cursor=" + cursor), token, null,
                    Map.of(), null);
            JobPage page = ApiJson.mapper().readValue(r.body(), JobPage.class);
            out.addAll(page.jobs());
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
        return out;
    }
}
