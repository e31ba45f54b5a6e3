package dev.qfed.agent;

import dev.qfed.api.ApiJson;
import dev.qfed.api.Backend;
import dev.qfed.api.BackendList;
import dev.qfed.api.CircuitSpec;
import dev.qfed.api.Job;
import dev.qfed.api.JobResult;
import dev.qfed.api.SubmitJobRequest;
import dev.qfed.server.QfedServer;
import dev.qfed.server.ServerConfig;
import dev.qfed.server.identity.DevIssuer;
import dev.qfed.server.identity.Role;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.fail;

/**
 * The real broker in-process for the agent's integration tests: dev mode (its dev issuer signs real tokens), H2
 * under a temporary folder, a free loopback port, and short lease timing so that expiry happens within a second.
 */
final class TestBroker implements AutoCloseable {
    static final Duration LEASE = Duration.ofMillis(1200);
    static final Duration HEARTBEAT = Duration.ofMillis(200);

    private final QfedServer server;
    private final Path dataDir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private TestBroker(QfedServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    static TestBroker start() {
        try {
            return start(Files.createTempDirectory("qfed-agent-it-"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A broker on {@code port} (0 = any) over the database under {@code dataDir}. */
    static TestBroker start(Path dataDir, int port) {
        ServerConfig config = ServerConfig.builder(dataDir)
                .port(port)
                .devMode(true)
                .dbPoolSize(8)
                .leaseDuration(LEASE)
                .heartbeatInterval(HEARTBEAT)
                .sweepInterval(Duration.ofMillis(100))
                .maxAttempts(3)
                .maxWait(Duration.ofSeconds(10))
                .build();
        return new TestBroker(QfedServer.start(config), dataDir);
    }

    URI uri() {
        return server.baseUri();
    }

    int port() {
        return server.port();
    }

    Path dataDir() {
        return dataDir;
    }

    /** A token of the broker's dev issuer. */
    String token(String member, String user, Role... roles) {
        DevIssuer dev = server.devIssuer().orElseThrow();
        return dev.mint(member, user, Set.of(roles), Duration.ofHours(1));
    }

    /** An agent configuration for this broker with fast retries and a short long poll. */
    AgentConfig.Builder agent(String member, String name) {
        return AgentConfig.builder(uri(), new AgentToken.Literal(token(member, name, Role.AGENT)))
                .name(name)
                .pollWait(Duration.ofSeconds(2))
                .drainTimeout(Duration.ofSeconds(5))
                .backoff(Duration.ofMillis(50), Duration.ofMillis(400));
    }

    Job submit(String token, String backend, int shots, String... qasm) {
        return submit(token, backend, shots, java.util.Arrays.stream(qasm).map(CircuitSpec::of).toList());
    }

    Job submit(String token, String backend, int shots, List<CircuitSpec> circuits) {
        return submit(token, new SubmitJobRequest(circuits, shots, Optional.of(backend), Optional.empty(),
                Map.of()));
    }

    Job submit(String token, SubmitJobRequest body) {
        return send(token, "POST", "/v1/jobs", body, 201, Job.class);
    }

    Job job(String token, String id) {
        return send(token, "GET", "/v1/jobs/" + id, null, 200, Job.class);
    }

    Job cancel(String token, String id) {
        return send(token, "POST", "/v1/jobs/" + id + "/cancel", null, 200, Job.class);
    }

    /** The job's result once it is final, waiting for it up to 20 s. */
    JobResult finalResult(String token, String id) {
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = raw(token, "GET", "/v1/jobs/" + id + "/result?wait=5s", null);
            if (r.statusCode() == 200) {
                return read(r.body(), JobResult.class);
            }
            if (r.statusCode() != 202) {
                fail("GET result of " + id + " answered " + r.statusCode() + ": " + r.body());
            }
        }
        return fail("job " + id + " is not final after 20 s: " + job(token, id));
    }

    List<Backend> backends(String token) {
        return send(token, "GET", "/v1/backends", null, 200, BackendList.class).backends();
    }

    private <T> T send(String token, String method, String path, Object body, int expected, Class<T> type) {
        HttpResponse<String> r = raw(token, method, path, body);
        if (r.statusCode() != expected) {
            fail(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return read(r.body(), type);
    }

    private HttpResponse<String> raw(String token, String method, String path, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri() + path))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(ApiJson.write(body)));
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return ApiJson.mapper().readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code condition} holds, failing with {@code what} after 15 s. A wait, not a timing check. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("gave up waiting until " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting until " + what);
            }
        }
    }

    @Override
    public void close() {
        server.close();
        http.close();
    }
}
