package dev.qfed.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.qfed.api.ApiJson;
import dev.qfed.api.DevToken;
import dev.qfed.api.DevTokenRequest;
import dev.qfed.api.Health;
import dev.qfed.api.Job;
import dev.qfed.api.OpenApi;
import dev.qfed.api.SubmitResultRequest;
import dev.qfed.server.identity.Role;
import dev.qfed.server.testing.ApiClient;
import dev.qfed.server.testing.Engine;
import dev.qfed.server.testing.Fixtures;
import dev.qfed.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Health, metrics, the served OpenAPI document and the dev issuer's routes. Runs on H2 and PostgreSQL. */
@ParameterizedClass
@EnumSource(Engine.class)
class OperationsIT {
    @Parameter
    Engine engine;

    private static TestServer server;

    @BeforeParameterizedClassInvocation
    static void start(Engine engine) {
        server = TestServer.start(engine);
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    @Test
    void theBrokerIsLiveAndReadyWithoutAToken() {
        var live = server.anonymous().get("/health/live");
        assertThat(live.status()).isEqualTo(200);
        var ready = server.anonymous().get("/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.as(Health.class).checks()).containsEntry("database", "UP").containsEntry("migrations", "UP");
    }

    @Test
    void theOpenApiDocumentIsServedAsJsonAndIsTheBundledOne() throws Exception {
        var r = server.anonymous().get("/v1/openapi.json");
        assertThat(r.status()).isEqualTo(200);
        JsonNode served = ApiJson.mapper().readTree(r.body());
        JsonNode bundled = new ObjectMapper(new YAMLFactory()).readTree(OpenApi.yaml());
        assertThat(served).isEqualTo(bundled);
        assertThat(served.path("openapi").asText()).isEqualTo("3.1.0");
    }

    @Test
    void metricsCountJobsByMemberAndBackendAndRequestsByRouteTemplate() {
        String backend = Fixtures.unique("m");
        ApiClient agent = server.client(server.token("aurora", "agent", Role.AGENT));
        var site = Fixtures.register(agent, Fixtures.unique("a"), Fixtures.backend(backend, 5));
        ApiClient alice = server.client(server.token("aurora", "alice", Role.RESEARCHER));
        Job job = Fixtures.submit(alice, backend, 10);
        alice.get("/v1/jobs/" + job.id());
        var lease = agent.post("/v1/agents/" + site.agentId() + "/lease?wait=5s", dev.qfed.api.LeaseRequest.ONE_EACH)
                .as(dev.qfed.api.LeaseBatch.class).leases().getFirst();
        agent.post("/v1/leases/" + lease.leaseId() + "/result",
                new SubmitResultRequest(Fixtures.allZeros(10), Optional.empty()));
        server.server().runDuties();

        var r = server.anonymous().get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        String text = r.body();
        assertThat(text)
                .contains("qfed_jobs_submitted_total{backend=\"" + backend + "\",member=\"aurora\"} 1.0")
                .contains("qfed_jobs_completed_total{backend=\"" + backend + "\",member=\"aurora\"} 1.0")
                .contains("qfed_job_queue_wait_seconds_bucket{backend=\"" + backend + "\"")
                .contains("qfed_job_end_to_end_seconds_count{backend=\"" + backend + "\"} 1")
                .contains("qfed_queue_depth{backend=\"" + backend + "\"} 0.0")
                .contains("route=\"/v1/jobs/{id}\"")
                .contains("jvm_gc_memory_allocated_bytes_total")
                .contains("jvm_gc_live_data_size_bytes")
                .doesNotContain(job.id());
    }

    @Test
    void theDevIssuerServesItsKeysAndMintsTokensTheBrokerAccepts() {
        var jwks = server.anonymous().get("/dev/jwks.json");
        assertThat(jwks.status()).isEqualTo(200);
        assertThat(jwks.body()).contains("\"kty\":\"EC\"").doesNotContain("\"d\":");

        var minted = server.anonymous().post("/dev/token",
                new DevTokenRequest("borealis", "bea", List.of("RESEARCHER"), Optional.of(600L)));
        assertThat(minted.status()).isEqualTo(200);
        DevToken token = minted.as(DevToken.class);
        assertThat(server.client(token.token()).get("/v1/jobs").status()).isEqualTo(200);

        var unknownMember = server.anonymous().post("/dev/token",
                new DevTokenRequest("nobody", "x", List.of(), Optional.empty()));
        assertThat(unknownMember.status()).isEqualTo(400);
        var unknownRole = server.anonymous().post("/dev/token",
                new DevTokenRequest("aurora", "x", List.of("ROOT"), Optional.empty()));
        assertThat(unknownRole.status()).isEqualTo(400);
    }
}
