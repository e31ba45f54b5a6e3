package dev.qfed.sdk;

import dev.qfed.api.CircuitSpec;
import dev.qfed.api.SubmitJobRequest;
import dev.qfed.sdk.testing.EmulatingAgent;
import dev.qfed.sdk.testing.LocalBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The examples of {@code docs/sdk.md} run against the real broker, and the guide quotes them exactly. */
class SdkGuideIT {
    static LocalBroker broker;
    static EmulatingAgent agent;

    @BeforeAll
    static void start() {
        broker = LocalBroker.start();
        agent = EmulatingAgent.start(broker, "aurora", "guide-site", 1, EmulatingAgent.backend("guide-5", 5));
    }

    @AfterAll
    static void stop() {
        agent.close();
        broker.close();
    }

    @Test
    void theExamplesRunAgainstABroker() {
        String token = broker.token("aurora", "alice");
        Map<String, Long> counts = Snippets.submitAndWait(broker.uri().toString(), token, ClientAgainstServerIT.BELL);
        assertThat(counts.keySet()).isSubsetOf("00", "11");
        assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1000);

        try (QfedClient qfed = broker.client("aurora", "alice")) {
            SubmitJobRequest bad = new SubmitJobRequest(List.of(CircuitSpec.of("OPENQASM 2.0;\nqreg q[1];\n\nfoo q[0];\n")),
                    10, Optional.empty(), Optional.empty(), Map.of());
            assertThat(Snippets.describe(qfed, bad)).startsWith("circuit 0, line 4, column 1: ");
            assertThat(Snippets.listCompleted(qfed)).isEqualTo(1);
        }
        Snippets.tuned(broker.uri().toString()).close();
        try (QfedClient qfed = broker.client("aurora", "alice")) {
            List<SubmitJobRequest> points = List.of(
                    SubmitJobRequest.of(List.of(CircuitSpec.of(ClientAgainstServerIT.BELL)), 10),
                    SubmitJobRequest.of(List.of(CircuitSpec.of(ClientAgainstServerIT.BELL)), 20));
            assertThat(Snippets.sweep(qfed, points)).extracting(r -> r.job().shots()).containsExactly(10, 20);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"submit", "errors", "list", "builder", "many"})
    void theGuideQuotesEachExampleExactly(String region) throws IOException {
        String guide = Files.readString(Path.of("..", "docs", "sdk.md"));
        assertThat(guide).contains(region(region));
    }

    /** The lines between {@code // @start region=NAME} and {@code // @end}, without their common indentation. */
    static String region(String name) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/test/java/dev/qfed/sdk/Snippets.java"));
        List<String> body = new ArrayList<>();
        boolean in = false;
        for (String line : lines) {
            if (line.strip().equals("// @start region=" + name)) {
                in = true;
            } else if (in && line.strip().equals("// @end")) {
                break;
            } else if (in) {
                body.add(line);
            }
        }
        assertThat(body).as("region " + name).isNotEmpty();
        int indent = body.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return String.join("\n", body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList());
    }
}
