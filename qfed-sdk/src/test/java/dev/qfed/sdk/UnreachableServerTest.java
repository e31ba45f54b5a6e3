package dev.qfed.sdk;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A server that is not there: a loopback port that was just closed refuses every connection. */
class UnreachableServerTest {

    static int closedLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aRefusedConnectionIsRetriedByThePolicyAndThenReportedAsUnreachable() throws IOException {
        int port = closedLoopbackPort();
        RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5), 2);
        try (QfedClient client = QfedClient.builder().server("http://127.0.0.1:" + port).token("t")
                .retryPolicy(policy).build()) {
            assertThatThrownBy(() -> client.get("j-1"))
                    .isInstanceOfSatisfying(ServerUnreachableException.class, e -> {
                        assertThat(e.attempts()).isEqualTo(3);
                        assertThat(e.server().toString()).isEqualTo("http://127.0.0.1:" + port);
                        assertThat(e.getCause()).isInstanceOf(ConnectException.class);
                        assertThat(e.getMessage()).contains("cannot reach").contains("3 attempts");
                    });
        }
    }

    @Test
    void withoutRetriesASubmitFailsAfterOneAttempt() throws IOException {
        int port = closedLoopbackPort();
        try (QfedClient client = QfedClient.builder().server("http://127.0.0.1:" + port + "/")
                .retryPolicy(RetryPolicy.none()).build()) {
            assertThatThrownBy(() -> client.backends())
                    .isInstanceOfSatisfying(ServerUnreachableException.class,
                            e -> assertThat(e.attempts()).isEqualTo(1));
        }
    }

    @Test
    void badServerUrlsAndKeysAreRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> QfedClient.builder().server("ftp://example.org")).hasMessageContaining("http://");
        assertThatThrownBy(() -> QfedClient.builder().server("localhost:8080")).hasMessageContaining("http://");
        assertThatThrownBy(() -> QfedClient.builder().build()).hasMessageContaining("server(");
        assertThatThrownBy(() -> QfedClient.checkIdempotencyKey("")).hasMessageContaining("1 to 255");
        assertThatThrownBy(() -> QfedClient.checkIdempotencyKey("a\nb")).hasMessageContaining("printable");
        QfedClient.checkIdempotencyKey("k".repeat(255));
    }
}
