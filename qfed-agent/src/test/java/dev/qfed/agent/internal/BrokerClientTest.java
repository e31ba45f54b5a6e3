package dev.qfed.agent.internal;

import com.sun.net.httpserver.HttpServer;
import dev.qfed.agent.AgentToken;
import dev.qfed.api.ReportRequest;
import dev.qfed.api.ReportResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the client treats the agent's token: read once, read again when refused, and a second refusal is final. */
class BrokerClientTest {
    private static final ReportRequest NOTHING = new ReportRequest(List.of(), List.of(), List.of(), List.of());

    @TempDir
    Path dir;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            boolean good = "Bearer good".equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (good ? "{\"leases\":[],\"started\":[],\"results\":[],\"failures\":[]}"
                    : "{\"type\":\"https://qfed.dev/problems/unauthenticated\",\"title\":\"Unauthenticated\","
                    + "\"status\":401,\"detail\":\"the token expired\",\"code\":\"unauthenticated\","
                    + "\"retryable\":false}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", good ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(good ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void aTokenTheBrokerRefusesTwiceIsAFinalRefusal() throws IOException {
        Path file = Files.writeString(dir.resolve("token"), "bad\n");
        try (BrokerClient client = new BrokerClient(uri(), new AgentToken.File(file), "test")) {
            assertThatThrownBy(() -> client.report("a1", NOTHING))
                    .isInstanceOfSatisfying(BrokerCallException.class, e -> {
                        assertThat(e.unauthorized()).isTrue();
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage()).contains("the token expired");
                    });
        }
        assertThat(requests).as("an unchanged token is not sent again").hasValue(1);
    }

    @Test
    void aRotatedTokenFileIsReadAgainWhenTheBrokerRefusesTheOldToken() throws IOException {
        Path file = Files.writeString(dir.resolve("token"), "bad\n");
        try (BrokerClient client = new BrokerClient(uri(), new AgentToken.File(file), "test")) {
            assertThatThrownBy(() -> client.report("a1", NOTHING)).isInstanceOf(BrokerCallException.class);
            Files.writeString(file, "good\n");
            ReportResponse answer = client.report("a1", NOTHING);
            assertThat(answer.leases()).isEmpty();
            requests.set(0);
            client.report("a1", NOTHING);
            assertThat(requests).as("the new token is kept, not read and refused again").hasValue(1);
        }
    }
}
