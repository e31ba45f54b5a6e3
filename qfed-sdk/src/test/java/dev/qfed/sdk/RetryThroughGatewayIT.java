package dev.qfed.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.qfed.api.CircuitSpec;
import dev.qfed.api.Job;
import dev.qfed.api.SubmitJobRequest;
import dev.qfed.sdk.testing.EmulatingAgent;
import dev.qfed.sdk.testing.LocalBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Retries seen from the client's side of a flaky gateway: a loopback reverse proxy in front of the real broker
 * that passes every request on but, for the first few, answers the client with a gateway error instead of the
 * broker's answer, as a load balancer does when its connection to the backend breaks after sending.
 */
class RetryThroughGatewayIT {
    static LocalBroker broker;
    static EmulatingAgent idle;

    HttpServer gateway;
    final HttpClient upstream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final List<String> keysSeen = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();

    @BeforeAll
    static void start() {
        broker = LocalBroker.start();
        idle = EmulatingAgent.start(broker, "aurora", "gw-site", 0, EmulatingAgent.backend("gw-idle-2", 2));
    }

    @AfterAll
    static void stop() {
        idle.close();
        broker.close();
    }

    @AfterEach
    void stopGateway() {
        if (gateway != null) {
            gateway.stop(0);
        }
        upstream.close();
    }

    /** Starts the gateway; the first {@code failures} requests are passed on but answered with {@code status}. */
    URI gateway(int failures, int status) throws IOException {
        gateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        gateway.createContext("/", exchange -> relay(exchange, requests.incrementAndGet() <= failures, status));
        gateway.start();
        return URI.create("http://127.0.0.1:" + gateway.getAddress().getPort());
    }

    private void relay(HttpExchange exchange, boolean fail, int status) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            if (key != null) {
                keysSeen.add(key);
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(broker.uri() + exchange.getRequestURI().toString()))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (String h : Set.of("Authorization", "Content-Type", "Idempotency-Key", "Accept")) {
                String v = exchange.getRequestHeaders().getFirst(h);
                if (v != null) {
                    forward.header(h, v);
                }
            }
            HttpResponse<byte[]> answer = upstream.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (fail) {
                byte[] page = ("<html><h1>" + status + " Bad Gateway</h1></html>").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html");
                exchange.sendResponseHeaders(status, page.length);
                exchange.getResponseBody().write(page);
                return;
            }
            answer.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().add("Content-Type", v));
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            exchange.getResponseBody().write(answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    QfedClient through(URI gateway, RetryPolicy policy) {
        return QfedClient.builder().server(gateway).token(broker.token("aurora", "alice")).retryPolicy(policy).build();
    }

    static SubmitJobRequest request(String tag) {
        return new SubmitJobRequest(List.of(CircuitSpec.of("OPENQASM 2.0;\nqreg q[2];\ncreg c[2];\nmeasure q -> c;\n")),
                10, Optional.of("gw-idle-2"), Optional.empty(), Map.of("attempt", tag));
    }

    static final RetryPolicy QUICK = new RetryPolicy(4, Duration.ofMillis(5), Duration.ofMillis(20), 2);

    @Test
    void aSubmitWhoseAnswerWasLostIsRetriedWithTheSameKeyAndCreatesOneJob() throws IOException {
        String tag = UUID.randomUUID().toString();
        try (QfedClient client = through(gateway(2, 502), QUICK)) {
            Job job = client.submit(request(tag));

            assertThat(requests.get()).isEqualTo(3);
            assertThat(keysSeen).hasSize(3).containsOnly(keysSeen.get(0));
            List<Job> created = client.listAll(JobQuery.builder().tag("attempt", tag).build()).toList();
            assertThat(created).extracting(Job::id).containsExactly(job.id());
            client.cancel(job.id());
        }
    }

    @Test
    void twoLogicalSubmitsUseTwoKeys() throws IOException {
        try (QfedClient client = through(gateway(0, 502), QUICK)) {
            Job a = client.submit(request("same"));
            Job b = client.submit(request("same"));
            assertThat(a.id()).isNotEqualTo(b.id());
            assertThat(keysSeen).doesNotHaveDuplicates().hasSize(2);
            client.cancel(a.id());
            client.cancel(b.id());
        }
    }

    @Test
    void aGatewayThatStaysDownIsReportedAsUnavailableAfterTheLastAttempt() throws IOException {
        try (QfedClient client = through(gateway(100, 503), QUICK)) {
            assertThatThrownBy(client::backends).isInstanceOfSatisfying(UnavailableException.class, e -> {
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.code()).isEqualTo("http-503");
            });
            assertThat(requests.get()).isEqualTo(QUICK.maxAttempts());
        }
    }

    @Test
    void aClientErrorIsNeverRetried() throws IOException {
        try (QfedClient client = through(gateway(0, 502), QUICK)) {
            assertThatThrownBy(() -> client.get("j-missing")).isInstanceOf(NotFoundException.class);
            assertThat(requests.get()).isEqualTo(1);
        }
    }
}
