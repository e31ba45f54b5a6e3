package dev.qfed.server.testing;

import dev.qfed.api.*;
import dev.qfed.server.identity.Role;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.net.URI;
import java.net.http.*;
import java.nio.file.*;
import java.sql.*;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;

/**
 * A rough end-to-end load probe for the broker, not a test: starts PostgreSQL (embedded, {@code synchronous_commit}
 * from {@code -Dsync}, default on) or H2, runs the broker in its own JVM ({@link ServerProcess}), registers one
 * agent with three 5-qubit backends, then submits JOBS small jobs (5-qubit GHZ, 100 shots, backend auto) from
 * SUBMITTERS concurrent clients while four agent pollers lease up to 90 jobs at a time and report results at once.
 * Prints end-to-end jobs/s, submit latency, queued-to-assigned latency (from the broker's own timestamps), CPU
 * milliseconds per job of the broker, PostgreSQL and the load generator, and a check that no job has two results.
 *
 * <p>Run from the repository root after {@code ./mvnw -pl qfed-server -am test-compile
 * dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test}:
 * <pre>
 * java -cp qfed-server/target/classes:qfed-server/target/test-classes:$(cat /tmp/cp.txt) \
 *     dev.qfed.server.testing.LoadProbe pg 15000 16
 * </pre>
 * The proper load generator is {@code qfed bench load}; this probe exists so the broker's hot path can be
 * measured without it.
 */
public final class LoadProbe {
    static final String GHZ = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[5] q;\nbit[5] c;\nh q[0];\nfor int i in [0:3] { cx q[i], q[i + 1]; }\nc = measure q;\n";
    public static void main(String[] args) throws Exception {
        String engine = args.length > 0 ? args[0] : "pg";
        int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        int submitters = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        Path dir = Files.createTempDirectory("qfed-perf");
        String url;
        EmbeddedPostgres pg = null;
        if (engine.equals("pg")) {
            pg = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", System.getProperty("sync", "on")).setServerConfig("max_connections", "300").start();
            try (Connection c = pg.getPostgresDatabase().getConnection()) { c.createStatement().execute("CREATE DATABASE perf"); }
            url = pg.getJdbcUrl("postgres", "perf");
        } else {
            url = dev.qfed.server.store.Database.h2Url(dir);
        }
        var issuer = dev.qfed.server.identity.DevIssuer.open(dir);
        Path portFile = dir.resolve("port");
        Process proc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "dev.qfed.server.testing.ServerProcess", dir.toString(), url, portFile.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        while (!Files.exists(portFile)) Thread.sleep(50);
        URI base = URI.create("http://127.0.0.1:" + Files.readString(portFile).strip());
        try {
            String user = issuer.mint("aurora", "load", Set.of(Role.RESEARCHER), Duration.ofHours(1));
            String agentTok = issuer.mint("aurora", "agent", Set.of(Role.AGENT), Duration.ofHours(1));
            HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).version(HttpClient.Version.HTTP_1_1).build();
            List<BackendRegistration> backends = new ArrayList<>();
            List<String> gates = Arrays.stream(dev.qfed.circuit.StandardGate.values()).map(g -> g.qasmName()).distinct().toList();
            for (int i = 0; i < 3; i++) backends.add(new BackendRegistration("emu-" + i, 5, List.of("cx"), gates, Optional.empty()));
            var reg = ApiJson.mapper().readValue(post(http, base, "/v1/agents/register", agentTok, new RegisterAgentRequest("a", backends, Optional.empty())).body(), AgentRegistration.class);
            AtomicInteger done = new AtomicInteger();
            CountDownLatch all = new CountDownLatch(jobs);
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor();
            for (int p = 0; p < 4; p++) {
                vt.submit(() -> {
                    while (!stop.get()) {
                        var r = post(http, base, "/v1/agents/" + reg.agentId() + "/lease?wait=2s", agentTok, new LeaseRequest(Map.of("emu-0", 30, "emu-1", 30, "emu-2", 30)));
                        var batch = ApiJson.mapper().readValue(r.body(), LeaseBatch.class);
                        List<Future<?>> fs = new ArrayList<>();
                        for (Lease l : batch.leases()) {
                            fs.add(vt.submit(() -> {
                                var rr = post(http, base, "/v1/leases/" + l.leaseId() + "/result", agentTok,
                                        new SubmitResultRequest(List.of(CircuitResult.of(Map.of("00000", 50L, "11111", 50L))), Optional.empty()));
                                if (rr.statusCode() != 204) System.err.println("result " + rr.statusCode() + rr.body());
                                done.incrementAndGet(); all.countDown();
                                return null;
                            }));
                        }
                        for (var f : fs) f.get();
                    }
                    return null;
                });
            }
            long[] submitNs = new long[jobs];
            AtomicInteger next = new AtomicInteger();
            long cpuServer0 = cpu(proc.pid()), cpuPg0 = pgCpu(), cpuSelf0 = cpu(ProcessHandle.current().pid());
            long t0 = System.nanoTime();
            List<Future<?>> subs = new ArrayList<>();
            for (int s = 0; s < submitters; s++) {
                subs.add(vt.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < jobs) {
                        long a = System.nanoTime();
                        var r = post(http, base, "/v1/jobs", user, new SubmitJobRequest(List.of(CircuitSpec.of(GHZ)), 100, Optional.of("auto"), Optional.empty(), Map.of()));
                        submitNs[i] = System.nanoTime() - a;
                        if (r.statusCode() != 201) System.err.println("submit " + r.statusCode() + r.body());
                    }
                    return null;
                }));
            }
            for (var f : subs) f.get();
            long tSubmitted = System.nanoTime();
            all.await(120, TimeUnit.SECONDS);
            long t1 = System.nanoTime();
            long cpuServer = cpu(proc.pid()) - cpuServer0, cpuPg = pgCpu() - cpuPg0, cpuSelf = cpu(ProcessHandle.current().pid()) - cpuSelf0;
            System.out.printf("cpu_ms_per_job server=%.2f postgres=%.2f loadgen=%.2f%n", cpuServer * 10.0 / jobs, cpuPg * 10.0 / jobs, cpuSelf * 10.0 / jobs);
            stop.set(true);
            double secs = (t1 - t0) / 1e9;
            Arrays.sort(submitNs);
            System.out.printf("engine=%s jobs=%d submitters=%d completed=%d elapsed=%.2fs end_to_end_jobs_per_s=%.0f submit_phase_jobs_per_s=%.0f%n",
                    engine, jobs, submitters, done.get(), secs, done.get() / secs, jobs / ((tSubmitted - t0) / 1e9));
            System.out.printf("submit_ms p50=%.1f p95=%.1f p99=%.1f%n", submitNs[jobs / 2] / 1e6, submitNs[(int) (jobs * 0.95)] / 1e6, submitNs[(int) (jobs * 0.99)] / 1e6);
            try (Connection c = DriverManager.getConnection(url, pg == null ? "" : "postgres", "")) {
                List<Double> waits = new ArrayList<>();
                try (ResultSet rs = c.createStatement().executeQuery("SELECT submitted_at, assigned_at FROM jobs WHERE assigned_at IS NOT NULL")) {
                    while (rs.next()) waits.add(Duration.between(rs.getObject(1, OffsetDateTime.class), rs.getObject(2, OffsetDateTime.class)).toNanos() / 1e6);
                }
                Collections.sort(waits);
                int n = waits.size();
                System.out.printf("queued_to_assigned_ms n=%d p50=%.1f p95=%.1f p99=%.1f max=%.1f%n", n, waits.get(n / 2), waits.get((int) (n * 0.95)), waits.get((int) (n * 0.99)), waits.get(n - 1));
                try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*), COUNT(DISTINCT job_id) FROM results")) { rs.next(); System.out.println("results=" + rs.getLong(1) + " distinct_jobs=" + rs.getLong(2)); }
            }
            vt.shutdownNow();
        } finally {
            proc.destroy(); proc.waitFor();
            if (pg != null) pg.close();
        }
    }
    /** utime+stime in clock ticks (10 ms). */
    static long cpu(long pid) {
        try {
            String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceAll(".*\\) ", "").split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception e) { return 0; }
    }
    static long pgCpu() {
        return ProcessHandle.allProcesses().filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false)).mapToLong(p -> cpu(p.pid())).sum();
    }
    static HttpResponse<String> post(HttpClient http, URI base, String path, String token, Object body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ApiJson.write(body))).build(), HttpResponse.BodyHandlers.ofString());
    }
}
