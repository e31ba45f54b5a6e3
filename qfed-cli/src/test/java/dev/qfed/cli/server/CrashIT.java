package dev.qfed.cli.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qfed.cli.testing.Ports;
import dev.qfed.cli.testing.QfedProcess;
import dev.qfed.server.identity.DevIssuer;
import dev.qfed.server.identity.Role;
import dev.qfed.server.store.Database;
import dev.qfed.server.testing.Engine.Postgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole system under SIGKILL: {@code qfed server} and {@code qfed agent} run as processes of their own (this
 * JVM's class path, loopback only) while 200 small jobs are submitted, and the test kills a broker or an agent at
 * random (seeded) moments and starts it again. Afterwards every job reaches a final state, nothing acknowledged by
 * a submit is lost, no submit created two jobs, and no job has two results or two final transitions. Once on H2
 * (one broker), once on PostgreSQL with two broker replicas on one database and an agent on each.
 *
 * <p>Leases last 2 s (heartbeats every 500 ms, expiry sweeps every 200 ms) so a killed agent's jobs come back
 * quickly; a job may run more than once (at-least-once execution), but only one result is ever accepted.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES) // a hard bound over the tests' own deadlines
class CrashIT {
    private static final int JOBS = 200;
    private static final int SHOTS = 32;
    private static final int SUBMITTERS = 8;
    /** Submits are spread over this long, so that kills land before, during and after them. */
    private static final Duration SUBMIT_SPREAD = Duration.ofSeconds(12);
    /** Kills happen during this long from the first submit. */
    private static final Duration CHAOS = Duration.ofSeconds(16);
    /** Everything must be final this long after the chaos ends. */
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final Set<String> FINAL = Set.of("COMPLETED", "FAILED", "CANCELLED");
    private static final String GHZ3 = """
            OPENQASM 2.0;
            include "qelib1.inc";
            qreg q[3];
            creg c[3];
            h q[0];
            cx q[0], q[1];
            cx q[1], q[2];
            measure q -> c;
            """;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    @Test
    void onH2EveryAcknowledgedJobEndsOnceWhileBrokerAndAgentsAreKilled() throws Exception {
        new Scenario(dir, Database.h2Url(dir.resolve("data")), 1, 20261124L).run();
    }

    @Test
    void onPostgresqlWithTwoReplicasEveryAcknowledgedJobEndsOnceWhileBrokersAndAgentsAreKilled() throws Exception {
        new Scenario(dir, Postgres.newDatabase(), 2, 20261125L).run();
    }

    /** One run: processes, submitters, the killer, then the checks. */
    private static final class Scenario {
        private final Path dir;
        private final String dbUrl;
        private final long seed;
        private final List<URI> brokerUris = new ArrayList<>();
        private final List<QfedProcess> brokers = new ArrayList<>();
        private final List<QfedProcess> agents = new ArrayList<>();
        private final String run;
        private final String token;
        private final Map<Integer, String> acknowledged = new ConcurrentHashMap<>();
        private final Map<Integer, String> refused = new ConcurrentHashMap<>();
        private final List<String> kills = Collections.synchronizedList(new ArrayList<>());

        Scenario(Path dir, String dbUrl, int replicas, long seed) throws IOException {
            this.dir = dir;
            this.dbUrl = dbUrl;
            this.seed = seed;
            this.run = "crash-" + seed;
            Path data = dir.resolve("data");
            Files.createDirectories(data);
            // The replicas share the data directory only for the dev issuer's key, so each accepts the other's tokens.
            DevIssuer issuer = DevIssuer.open(data);
            this.token = issuer.mint("aurora", "alice", Set.of(), Duration.ofHours(1));
            Path config = dir.resolve("qfed.yaml");
            Files.writeString(config, """
                    data_dir: data
                    max_wait: 5s
                    db:
                      url: "%s"
                      pool_size: 8
                    dev_issuer:
                      enabled: true
                      members: [aurora, borealis]
                    jobs:
                      max_attempts: 20
                    leases:
                      duration: 2s
                      heartbeat_interval: 500ms
                      sweep_interval: 200ms
                    agents:
                      timeout: 60s
                    """.formatted(dbUrl));
            for (int i = 1; i <= replicas; i++) {
                int port = Ports.free();
                brokerUris.add(URI.create("http://127.0.0.1:" + port));
                brokers.add(QfedProcess.of("broker-" + i, dir, Map.of(), "server", "--config", config.toString(),
                        "--port", Integer.toString(port)));
            }
            String[][] sites = {{"aurora", "crash-a-5"}, {"borealis", "crash-b-5"}};
            for (int i = 0; i < sites.length; i++) {
                String member = sites[i][0];
                Path tokenFile = dir.resolve(member + "-agent.token");
                Files.writeString(tokenFile, issuer.mint(member, member + "-agent", Set.of(Role.AGENT),
                        Duration.ofHours(1)));
                Path site = dir.resolve("site-" + member + ".yaml");
                Files.writeString(site, """
                        server: %s
                        token_file: %s
                        name: %s-site
                        poll_wait: 1s
                        drain_timeout: 1s
                        backoff: {initial: 100ms, max: 1s}
                        backends:
                          - name: %s
                            type: emulator
                            max_concurrent: 4
                            config: {device: low-noise-5, threads: 1}
                        """.formatted(brokerUris.get(i % replicas), tokenFile.getFileName(), member, sites[i][1]));
                agents.add(QfedProcess.of("agent-" + member, dir, Map.of(), "agent", "--config", site.toString()));
            }
        }

        void run() throws Exception {
            try {
                for (int i = 0; i < brokers.size(); i++) {
                    brokers.get(i).start().awaitHttpOk(brokerUris.get(i).resolve("/health/ready"),
                            Duration.ofSeconds(90));
                }
                agents.forEach(QfedProcess::start);
                awaitBackends(Set.of("crash-a-5", "crash-b-5"));

                Thread killer = Thread.ofPlatform().name("killer").start(this::killAtRandom);
                submitAll();
                killer.join();
                brokers.forEach(QfedProcess::ensureRunning);
                agents.forEach(QfedProcess::ensureRunning);
                for (int i = 0; i < brokers.size(); i++) {
                    brokers.get(i).awaitHttpOk(brokerUris.get(i).resolve("/health/ready"), Duration.ofSeconds(90));
                }

                assertThat(kills).as("processes killed").anyMatch(k -> k.startsWith("broker"))
                        .anyMatch(k -> k.startsWith("agent"));
                assertThat(refused).as("submits the broker refused (4xx other than a conflict)").isEmpty();
                assertThat(acknowledged).as("acknowledged submits").hasSize(JOBS);
                Map<String, JsonNode> jobs = awaitAllFinal();
                checkThroughTheApi(jobs);
                if (brokers.size() == 1) {
                    brokers.getFirst().stop(); // H2 in file mode: one process at a time
                }
                checkTheDatabase();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\nkills: " + kills + "\nlogs in " + dir
                        + "\n" + tails(), e);
            } finally {
                agents.forEach(QfedProcess::kill);
                brokers.forEach(QfedProcess::kill);
            }
        }

        /** Kills one process at a time, at random moments, and starts it again after a random pause. */
        private void killAtRandom() {
            Random random = new Random(seed);
            List<QfedProcess> victims = new ArrayList<>(brokers);
            victims.addAll(agents);
            long end = System.nanoTime() + CHAOS.toNanos();
            sleep(500 + random.nextInt(1_000));
            while (System.nanoTime() < end) {
                QfedProcess victim = victims.get(random.nextInt(victims.size()));
                victim.kill();
                kills.add(victim.name());
                sleep(random.nextInt(1_000));
                victim.start();
                sleep(1_000 + random.nextInt(2_000));
            }
        }

        /** Submits every job, paced over {@link #SUBMIT_SPREAD}, each retried with its key until acknowledged. */
        private void submitAll() throws Exception {
            Semaphore inFlight = new Semaphore(SUBMITTERS);
            long start = System.nanoTime();
            long deadline = start + CHAOS.plus(SETTLE).toNanos();
            List<Future<?>> futures = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int seq = 0; seq < JOBS; seq++) {
                    long due = start + SUBMIT_SPREAD.toNanos() * seq / JOBS;
                    sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
                    inFlight.acquire();
                    int s = seq;
                    futures.add(pool.submit(() -> {
                        try {
                            submitUntilAcknowledged(s, deadline);
                        } finally {
                            inFlight.release();
                        }
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            }
        }

        private void submitUntilAcknowledged(int seq, long deadline) {
            String body = "{\"circuits\": [{\"qasm\": " + quote(GHZ3) + "}], \"shots\": " + SHOTS
                    + ", \"backend\": \"auto\", \"tags\": {\"crash_run\": \"" + run + "\", \"crash_seq\": \"" + seq
                    + "\"}}";
            for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
                URI broker = brokerUris.get((seq + attempt) % brokerUris.size());
                try {
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(broker.resolve("/v1/jobs"))
                            .timeout(Duration.ofSeconds(5))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .header("Idempotency-Key", run + "-" + seq)
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200 || r.statusCode() == 201) {
                        String id = JSON.readTree(r.body()).get("id").asText();
                        String before = acknowledged.putIfAbsent(seq, id);
                        if (before != null && !before.equals(id)) {
                            refused.put(seq, "the same key gave two jobs: " + before + " and " + id);
                        }
                        return;
                    }
                    if (r.statusCode() < 500 && r.statusCode() != 429) {
                        refused.put(seq, r.statusCode() + " " + r.body());
                        return;
                    }
                } catch (IOException e) {
                    // the broker is down or was killed mid-request: try again with the same key
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                sleep(100);
            }
        }

        private void awaitBackends(Set<String> names) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode list = get(brokerUris.getFirst(), "/v1/backends");
                Set<String> seen = new HashSet<>();
                if (list != null) {
                    list.get("backends").forEach(b -> seen.add(b.get("name").asText()));
                }
                if (seen.containsAll(names)) {
                    return;
                }
                sleep(200);
            }
            throw new AssertionError("the agents did not register " + names);
        }

        /** Lists the run's jobs until all are final; job id to job. */
        private Map<String, JsonNode> awaitAllFinal() throws Exception {
            long deadline = System.nanoTime() + SETTLE.toNanos();
            Map<String, JsonNode> jobs = Map.of();
            while (System.nanoTime() < deadline) {
                jobs = listRun();
                boolean allFinal = jobs.values().stream().allMatch(j -> FINAL.contains(j.get("status").asText()));
                if (jobs.size() >= JOBS && allFinal) {
                    return jobs;
                }
                sleep(500);
            }
            Map<String, Integer> byStatus = new HashMap<>();
            jobs.values().forEach(j -> byStatus.merge(j.get("status").asText(), 1, Integer::sum));
            Map<Integer, String> missing = new HashMap<>(acknowledged);
            missing.values().removeAll(jobs.keySet());
            throw new AssertionError("not every job became final within " + SETTLE + ": " + jobs.size()
                    + " listed, by status " + byStatus + "; acknowledged but not listed (submit number = job id): "
                    + missing);
        }

        private Map<String, JsonNode> listRun() throws Exception {
            Map<String, JsonNode> jobs = new HashMap<>();
            String cursor = null;
            do {
                String path = "/v1/jobs?limit=500&tag=" + URLEncoder.encode("crash_run=" + run, StandardCharsets.UTF_8)
                        + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
                JsonNode page = get(brokerUris.getFirst(), path);
                if (page == null) {
                    throw new AssertionError("GET " + path + " failed");
                }
                page.get("jobs").forEach(j -> jobs.put(j.get("id").asText(), j));
                cursor = page.hasNonNull("next_cursor") ? page.get("next_cursor").asText() : null;
            } while (cursor != null);
            return jobs;
        }

        private void checkThroughTheApi(Map<String, JsonNode> jobs) throws Exception {
            assertThat(jobs.keySet()).as("the run's jobs are exactly the acknowledged ones")
                    .containsExactlyInAnyOrderElementsOf(acknowledged.values());
            Map<String, Integer> seqs = new HashMap<>();
            for (JsonNode job : jobs.values()) {
                seqs.merge(job.get("tags").get("crash_seq").asText(), 1, Integer::sum);
            }
            assertThat(seqs).as("one job per submit").hasSize(JOBS).allSatisfy((seq, n) -> assertThat(n).isOne());
            for (JsonNode job : jobs.values()) {
                assertThat(job.get("status").asText()).as("job %s (failures %s)", job.get("id"), job.get("failures"))
                        .isEqualTo("COMPLETED");
                JsonNode result = get(brokerUris.getLast(), "/v1/jobs/" + job.get("id").asText() + "/result");
                assertThat(result).isNotNull();
                JsonNode results = result.get("results");
                assertThat(results).as("results of %s", job.get("id")).hasSize(1);
                long total = 0;
                for (JsonNode count : results.get(0).get("counts")) {
                    total += count.asLong();
                }
                assertThat(total).as("shots counted for %s", job.get("id")).isEqualTo(SHOTS);
            }
        }

        /** What only the database shows: one result row and one final transition per job, results of its own leases. */
        private void checkTheDatabase() throws SQLException {
            Set<String> ids = new HashSet<>(acknowledged.values());
            try (Connection c = DriverManager.getConnection(dbUrl); Statement s = c.createStatement()) {
                Map<String, Integer> finals = new HashMap<>();
                try (ResultSet r = s.executeQuery("SELECT job_id, COUNT(*) FROM job_events WHERE to_state IN "
                        + "('COMPLETED', 'FAILED', 'CANCELLED') GROUP BY job_id")) {
                    while (r.next()) {
                        finals.put(r.getString(1), r.getInt(2));
                    }
                }
                assertThat(finals).as("final transitions per job").containsKeys(ids.toArray(String[]::new))
                        .allSatisfy((id, n) -> assertThat(n).as("final transitions of %s", id).isOne());

                Map<String, Integer> results = new HashMap<>();
                try (ResultSet r = s.executeQuery("SELECT r.job_id, COUNT(*) FROM results r JOIN leases l "
                        + "ON l.id = r.lease_id AND l.job_id = r.job_id AND l.attempt = r.attempt "
                        + "JOIN jobs j ON j.id = r.job_id AND j.attempt = r.attempt GROUP BY r.job_id")) {
                    while (r.next()) {
                        results.put(r.getString(1), r.getInt(2));
                    }
                }
                int stored;
                try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM results")) {
                    r.next();
                    stored = r.getInt(1);
                }
                assertThat(results.keySet()).as("jobs with one result from their own last lease")
                        .containsExactlyInAnyOrderElementsOf(ids);
                assertThat(stored).as("result rows").isEqualTo(ids.size());
            }
        }

        private JsonNode get(URI broker, String path) throws InterruptedException {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(broker.resolve(path))
                        .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).build(),
                        HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
            } catch (IOException e) {
                return null;
            }
        }

        private String tails() {
            StringBuilder s = new StringBuilder();
            List<QfedProcess> all = new ArrayList<>(brokers);
            all.addAll(agents);
            for (QfedProcess p : all) {
                String out = p.output();
                s.append("--- ").append(p.name()).append(" (last start)\n")
                        .append(out.length() > 3_000 ? out.substring(out.length() - 3_000) : out).append('\n');
            }
            return s.toString();
        }
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
