package dev.qfed.server.http;

import dev.qfed.api.AgentRegistration;
import dev.qfed.api.ApiJson;
import dev.qfed.api.Job;
import dev.qfed.api.JobStatus;
import dev.qfed.api.LeaseRequest;
import dev.qfed.api.WaitJobsRequest;
import dev.qfed.server.identity.Role;
import dev.qfed.server.testing.ApiClient;
import dev.qfed.server.testing.Engine;
import dev.qfed.server.testing.Fixtures;
import dev.qfed.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Long polls whose client closes the connection mid-wait end then, not when their {@code wait} runs out: the
 * broker's waiter count drops back and the hang-up counter rises (a poll that ran out its wait would not count as
 * a hang-up). Each poll asks for 60 s, the broker's maximum.
 */
class LongPollHangupIT {
    private static final Pattern WAITING = Pattern.compile("(?m)^qfed_long_polls_waiting(?:\\{[^}]*})? (\\S+)$");
    private static final Pattern HANGUPS = Pattern.compile("(?m)^qfed_long_polls_hangups_total(?:\\{[^}]*})? (\\S+)$");

    private static TestServer server;
    private static String aliceToken;
    private static ApiClient alice;
    private static String agentToken;
    private static AgentRegistration site;
    private static String backend;

    @BeforeAll
    static void start() {
        server = TestServer.start(Engine.H2);
        aliceToken = server.token("aurora", "alice", Role.RESEARCHER);
        alice = server.client(aliceToken);
        agentToken = server.token("aurora", "agent", Role.AGENT);
        backend = Fixtures.unique("h");
        site = Fixtures.register(server.client(agentToken), "site", Fixtures.backend(backend, 5));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aResultPollEndsWhenItsClientHangsUp() throws Exception {
        Job job = Fixtures.submit(alice, backend, 10);
        hangUpDuring("GET /v1/jobs/" + job.id() + "/result?wait=60s", aliceToken, "");
    }

    @Test
    void aMultiJobWaitEndsWhenItsClientHangsUp() throws Exception {
        Job job = Fixtures.submit(alice, backend, 10);
        hangUpDuring("POST /v1/jobs/wait?wait=60s", aliceToken,
                ApiJson.write(new WaitJobsRequest(List.of(job.id()), true)));
    }

    @Test
    void aLeasePollEndsWhenItsAgentHangsUpAndClaimsNothingAfterwards() throws Exception {
        // A backend of its own, with an empty queue, so that the poll sleeps.
        String idle = Fixtures.unique("idle");
        AgentRegistration other = Fixtures.register(server.client(agentToken), "idle-site",
                Fixtures.backend(idle, 5));
        hangUpDuring("POST /v1/agents/" + other.agentId() + "/lease?wait=60s", agentToken,
                ApiJson.write(new LeaseRequest(Map.of(idle, 4))));

        Job job = Fixtures.submit(alice, idle, 10);
        assertThat(alice.get("/v1/jobs/" + job.id()).as(Job.class).status()).isEqualTo(JobStatus.QUEUED);
    }

    /** Sends the request on a socket of its own, waits until the broker holds it, closes the socket. */
    private static void hangUpDuring(String requestLine, String token, String body) throws Exception {
        double waitingBefore = metric(WAITING);
        double hangupsBefore = metric(HANGUPS);
        try (Socket socket = new Socket("127.0.0.1", server.server().port())) {
            OutputStream out = socket.getOutputStream();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write((requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            awaitMetric(WAITING, n -> n == waitingBefore + 1);
        }
        // Bounded only to end a broken run: a poll that ran out its 60 s would not count as a hang-up.
        double hangups = awaitMetric(HANGUPS, n -> n == hangupsBefore + 1);
        assertThat(hangups).isEqualTo(hangupsBefore + 1);
        assertThat(awaitMetric(WAITING, n -> n == waitingBefore)).isEqualTo(waitingBefore);
    }

    private static double awaitMetric(Pattern metric, Predicate<Double> until) throws InterruptedException {
        double value = metric(metric);
        for (int i = 0; i < 1_800 && !until.test(value); i++) {
            Thread.sleep(50);
            value = metric(metric);
        }
        return value;
    }

    private static double metric(Pattern metric) {
        String text = server.anonymous().get("/metrics").body();
        Matcher m = metric.matcher(text);
        assertThat(m.find()).as("metric %s in /metrics", metric).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
