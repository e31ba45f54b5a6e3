package dev.qfed.agent.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.qfed.agent.AgentToken;
import dev.qfed.api.AgentRegistration;
import dev.qfed.api.ApiJson;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.qfed.api.LeaseBatch;
import dev.qfed.api.LeaseRequest;
import dev.qfed.api.Problem;
import dev.qfed.api.RegisterAgentRequest;
import dev.qfed.api.ReportRequest;
import dev.qfed.api.ReportResponse;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The broker's agent endpoints over {@link HttpClient}: every call is outbound from the site. Requests are written
 * with the strict {@link ApiJson#mapper()}, answers read leniently (a newer broker may add fields).
 *
 * <p>Calls block; interrupting the calling thread aborts the exchange and throws {@link BrokerCallException} with
 * an {@link InterruptedException} cause (and the interrupt flag set again).
 */
public final class BrokerClient implements AutoCloseable {
    /**
     * Added to a long poll's wait for its request timeout (the broker answers after {@code wait}): half the wait,
     * from 5 to 15 s. Long enough for a slow broker (a poll given up too early may still be granted a job, which
     * then waits for its lease to expire), short enough to notice a connection that died silently.
     */
    static Duration pollTimeout(Duration wait) {
        Duration margin = wait.dividedBy(2);
        margin = margin.compareTo(Duration.ofSeconds(5)) < 0 ? Duration.ofSeconds(5)
                : margin.compareTo(Duration.ofSeconds(15)) > 0 ? Duration.ofSeconds(15) : margin;
        return wait.plus(margin);
    }
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** Answers are read leniently (a newer broker may add fields), with one reader made once. */
    private static final ObjectReader READER = ApiJson.lenientMapper().reader();

    private final URI server;
    private final AgentToken token;
    private final HttpClient http;
    private final String userAgent;
    private volatile String bearer;

    public BrokerClient(URI server, AgentToken token, String userAgent) {
        this.server = server;
        this.token = token;
        this.userAgent = userAgent;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                // The client's own steps (parse the answer, complete the future) run on its selector thread
                // instead of being handed to a pool thread each: every call blocks its caller anyway, and the
                // hand-offs cost more CPU than the steps (measured: docs/performance.md, "The agent's CPU").
                .executor(Runnable::run)
                .build();
    }

    /** {@code POST /v1/agents/register}. */
    public AgentRegistration register(RegisterAgentRequest request) {
        return call("POST", "/v1/agents/register", request, AgentRegistration.class, CALL_TIMEOUT);
    }

    /** {@code POST /v1/agents/{id}/lease?wait=…}: waits up to {@code wait} for work. */
    public LeaseBatch lease(String agentId, LeaseRequest request, Duration wait) {
        return call("POST", "/v1/agents/" + encode(agentId) + "/lease?wait=" + wait.toMillis() + "ms", request,
                LeaseBatch.class, pollTimeout(wait));
    }

    /**
     * {@code POST /v1/agents/{id}/reports}: starts, results, failures and renewals of many leases in one call. Each
     * item is answered on its own; the call as a whole fails only when the broker could not apply any of it.
     */
    public ReportResponse report(String agentId, ReportRequest request) {
        return call("POST", "/v1/agents/" + encode(agentId) + "/reports", request, ReportResponse.class,
                CALL_TIMEOUT);
    }

    /** Aborts every exchange in flight and refuses new ones. */
    public void abort() {
        http.shutdownNow();
    }

    @Override
    public void close() {
        http.shutdownNow();
    }

    private <T> T call(String method, String path, Object body, Class<T> answer, Duration timeout) {
        String name = method + " " + path.replaceAll("\\?.*", "");
        String sent = bearer(name);
        byte[] json = body == null ? null : ApiJson.writeBytes(body);
        HttpResponse<byte[]> response = send(name, method, path, json, timeout, sent);
        if (response.statusCode() == 401) {
            // The token may have been rotated: read it again, and send once more if it changed.
            String fresh = readToken(name);
            if (!fresh.equals(sent)) {
                response = send(name, method, path, json, timeout, fresh);
            }
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            if (answer == Void.class) {
                return null;
            }
            try {
                return READER.readValue(response.body(), answer);
            } catch (IOException | IllegalArgumentException e) {
                throw BrokerCallException.refused(name, 502, Optional.empty(), "unreadable answer: "
                        + e.getMessage());
            }
        }
        String text = new String(response.body(), StandardCharsets.UTF_8);
        throw BrokerCallException.refused(name, status, problem(text), text);
    }

    /** The token to send: read once and kept, read again only when the broker refuses it. */
    private String bearer(String call) {
        String t = bearer;
        return t != null ? t : readToken(call);
    }

    private String readToken(String call) {
        try {
            String t = token.read();
            bearer = t;
            return t;
        } catch (RuntimeException e) {
            throw BrokerCallException.noToken(call, e);
        }
    }

    private HttpResponse<byte[]> send(String name, String method, String path, byte[] json, Duration timeout,
                                      String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + bearer)
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", userAgent);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(json));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BrokerCallException.unreachable(name, e);
        } catch (IOException | RuntimeException e) {
            throw BrokerCallException.unreachable(name, e);
        }
    }

    private static Optional<Problem> problem(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ApiJson.lenientMapper().readValue(body, Problem.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
