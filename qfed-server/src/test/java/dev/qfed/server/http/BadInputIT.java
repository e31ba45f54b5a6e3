package dev.qfed.server.http;

import dev.qfed.api.ErrorCode;
import dev.qfed.api.Job;
import dev.qfed.api.JobPage;
import dev.qfed.api.Problem;
import dev.qfed.server.identity.DevIssuer;
import dev.qfed.server.identity.Role;
import dev.qfed.server.testing.ApiClient;
import dev.qfed.server.testing.Engine;
import dev.qfed.server.testing.Fixtures;
import dev.qfed.server.testing.TestServer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of bad input gets a 4xx problem with a stable type and a useful detail, and changes nothing: the
 * member that sent them all has no job at the end. Runs on H2 and PostgreSQL.
 */
@ParameterizedClass
@EnumSource(Engine.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputIT {
    @Parameter
    Engine engine;

    private static TestServer server;
    private static ApiClient carol;
    private static String backend;

    @BeforeParameterizedClassInvocation
    static void start(Engine engine) {
        server = TestServer.start(engine);
        carol = server.client(server.token("cygnus", "carol", Role.RESEARCHER));
        backend = Fixtures.unique("b");
        Fixtures.register(server.client(server.token("aurora", "agent", Role.AGENT)), "site",
                Fixtures.backend(backend, 3));
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    private static String job(String circuitsJson, String rest) {
        return "{\"circuits\":" + circuitsJson + ",\"backend\":\"" + backend + "\"" + rest + "}";
    }

    private static String bell() {
        return "[{\"qasm\":" + quote(Fixtures.BELL) + "}]";
    }

    private static String quote(String s) {
        return dev.qfed.api.ApiJson.write(s);
    }

    static Stream<Arguments> badSubmissions() {
        String bellAndBroken = "[{\"qasm\":" + quote(Fixtures.BELL) + "},{\"qasm\":"
                + quote("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\nh q[0]\ncx q[0], q[1];\n") + "}]";
        return Stream.of(
                Arguments.of("truncated JSON", "{\"circuits\": [", 400, ErrorCode.MALFORMED_JSON, "not valid JSON"),
                Arguments.of("not JSON", "hello", 400, ErrorCode.MALFORMED_JSON, "not valid JSON"),
                Arguments.of("JSON then more", job(bell(), ",\"shots\":1") + "{}", 400, ErrorCode.MALFORMED_JSON, ""),
                Arguments.of("unknown field", job(bell(), ",\"shots\":1,\"priority\":9"), 400,
                        ErrorCode.UNKNOWN_FIELD, "priority"),
                Arguments.of("unknown nested field", job("[{\"qasm\":\"x\",\"lang\":\"qasm\"}]", ",\"shots\":1"),
                        400, ErrorCode.UNKNOWN_FIELD, "circuits[0]"),
                Arguments.of("missing shots", job(bell(), ""), 400, ErrorCode.INVALID_REQUEST, "shots"),
                Arguments.of("shots as text", job(bell(), ",\"shots\":\"10\""), 400, ErrorCode.INVALID_REQUEST, "shots"),
                Arguments.of("shots as fraction", job(bell(), ",\"shots\":1.5"), 400, ErrorCode.INVALID_REQUEST, "shots"),
                Arguments.of("zero shots", job(bell(), ",\"shots\":0"), 400, ErrorCode.INVALID_REQUEST, "between 1 and"),
                Arguments.of("too many shots", job(bell(), ",\"shots\":100001"), 422, ErrorCode.LIMIT_EXCEEDED,
                        "between 1 and 100000"),
                Arguments.of("no circuits", job("[]", ",\"shots\":1"), 400, ErrorCode.INVALID_REQUEST, "at least one"),
                Arguments.of("blank qasm", job("[{\"qasm\":\" \"}]", ",\"shots\":1"), 400, ErrorCode.INVALID_REQUEST,
                        "qasm must not be blank"),
                Arguments.of("too many circuits", job("[" + String.join(",", java.util.Collections.nCopies(21,
                        "{\"qasm\":" + quote(Fixtures.BELL) + "}")) + "]", ",\"shots\":1"), 422,
                        ErrorCode.LIMIT_EXCEEDED, "at most 20 circuits"),
                Arguments.of("OpenQASM syntax error", job(bellAndBroken, ",\"shots\":1"), 422, ErrorCode.QASM_SYNTAX,
                        "circuits[1] line 4"),
                Arguments.of("undefined gate", job("[{\"qasm\":" + quote("OPENQASM 3;\nqubit q;\nhh q;\n") + "}]",
                        ",\"shots\":1"), 422, ErrorCode.QASM_SEMANTIC, "line 3"),
                Arguments.of("unsupported construct", job("[{\"qasm\":" + quote(
                        "OPENQASM 3;\nqubit q;\nbit c;\nwhile (c) { x q; }\n") + "}]", ",\"shots\":1"), 422,
                        ErrorCode.QASM_UNSUPPORTED, "line 4"),
                Arguments.of("input without value", job("[{\"qasm\":" + quote(Fixtures.ROTATION) + "}]",
                        ",\"shots\":1"), 422, ErrorCode.INVALID_CIRCUIT, "theta"),
                Arguments.of("value for no input", job("[{\"qasm\":" + quote(Fixtures.BELL)
                        + ",\"parameters\":{\"phi\":1}}]", ",\"shots\":1"), 422, ErrorCode.INVALID_CIRCUIT, "phi"),
                Arguments.of("unknown backend", "{\"circuits\":" + bell() + ",\"shots\":1,\"backend\":\"nowhere\"}",
                        422, ErrorCode.UNKNOWN_BACKEND, "nowhere"),
                Arguments.of("backend name with spaces", "{\"circuits\":" + bell()
                        + ",\"shots\":1,\"backend\":\"a b\"}", 400, ErrorCode.INVALID_REQUEST, "backend"),
                Arguments.of("circuit too wide for the backend", job("[{\"qasm\":" + quote(Fixtures.GHZ5) + "}]",
                        ",\"shots\":1"), 422, ErrorCode.NO_FITTING_BACKEND, "needs 5 qubits"),
                Arguments.of("bad tag key", job(bell(), ",\"shots\":1,\"tags\":{\"a b\":\"x\"}"), 400,
                        ErrorCode.INVALID_REQUEST, "tag key"),
                Arguments.of("too many tags", job(bell(), ",\"shots\":1,\"tags\":{\"a\":\"1\",\"b\":\"1\",\"c\":\"1\","
                        + "\"d\":\"1\",\"e\":\"1\",\"f\":\"1\",\"g\":\"1\",\"h\":\"1\",\"i\":\"1\"}"), 422,
                        ErrorCode.LIMIT_EXCEEDED, "at most 8 tags"),
                Arguments.of("negative seed", job(bell(), ",\"shots\":1,\"seed\":-1"), 400,
                        ErrorCode.INVALID_REQUEST, "seed must be between 0 and 9223372036854775807, got -1"),
                Arguments.of("seed beyond 64 bits", job(bell(), ",\"shots\":1,\"seed\":9223372036854775808"), 400,
                        ErrorCode.INVALID_REQUEST, "seed"),
                Arguments.of("seed as text", job(bell(), ",\"shots\":1,\"seed\":\"7\""), 400,
                        ErrorCode.INVALID_REQUEST, "seed"),
                Arguments.of("project name with slash", job(bell(), ",\"shots\":1,\"project\":\"a/b\""), 400,
                        ErrorCode.INVALID_REQUEST, "project"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSubmissions")
    void aBadSubmissionIsRefusedWithAProblem(String name, String body, int status, ErrorCode code, String detail) {
        var r = carol.postRaw("/v1/jobs", body, "application/json", Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        Problem p = r.problem();
        assertThat(p.code()).as(p.detail()).isEqualTo(code.slug());
        assertThat(p.type()).isEqualTo(code.type().toString());
        assertThat(p.detail()).contains(detail);
        assertThat(p.instance()).contains("/v1/jobs");
    }

    @Test
    void anOpenQasmErrorCarriesTheCircuitLineAndColumn() {
        String broken = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\nh q[0]\ncx q[0], q[1];\n";
        var r = carol.post("/v1/jobs", Fixtures.request(backend, 10, Fixtures.BELL, broken));
        Problem p = r.problem();
        assertThat(p.circuit()).contains(1);
        assertThat(p.line()).contains(4);
        assertThat(p.column()).hasValueSatisfying(c -> assertThat(c).isPositive());
        assertThat(p.field()).contains("circuits[1].qasm");
    }

    @Test
    void anOversizedBodyIsRefusedBeforeItIsRead() {
        String huge = job("[{\"qasm\":" + quote("// " + "x".repeat(300 * 1024)) + "}]", ",\"shots\":1");
        var r = carol.postRaw("/v1/jobs", huge, "application/json", Map.of());
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.problem().code()).isEqualTo(ErrorCode.BODY_TOO_LARGE.slug());
    }

    @Test
    void aBodyThatIsNotJsonByContentTypeIsRefused() {
        var r = carol.postRaw("/v1/jobs", job(bell(), ",\"shots\":1"), "text/plain", Map.of());
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.problem().code()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE.slug());
        var none = carol.postEmpty("/v1/jobs");
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.problem().detail()).contains("needs a JSON body");
    }

    @Test
    void aBadIdempotencyKeyIsRefused() {
        var r = carol.post("/v1/jobs", Fixtures.request(backend, 1, Fixtures.BELL), Map.of("Idempotency-Key", "a b"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.problem().field()).contains("Idempotency-Key");
    }

    @Test
    void callsWithoutAValidTokenAreUnauthenticated(@TempDir Path otherKeys) throws Exception {
        var none = server.anonymous().get("/v1/jobs");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
        assertThat(none.problem().code()).isEqualTo(ErrorCode.UNAUTHENTICATED.slug());

        assertThat(server.client("not-a-jwt").get("/v1/jobs").status()).isEqualTo(401);

        // Signed correctly, by a key the broker does not trust.
        DevIssuer stranger = DevIssuer.open(otherKeys);
        String forged = stranger.mint("cygnus", "carol", Set.of(Role.RESEARCHER), Duration.ofMinutes(5));
        var r = server.client(forged).post("/v1/jobs", Fixtures.request(backend, 1, Fixtures.BELL));
        assertThat(r.status()).isEqualTo(401);

        // A member the dev issuer is not trusted for.
        String outsider = server.server().devIssuer().orElseThrow().mint("dorado", "dan", Set.of(Role.RESEARCHER),
                Duration.ofMinutes(5));
        assertThat(server.client(outsider).get("/v1/jobs").status()).isEqualTo(401);
    }

    @Test
    void anAgentTokenCannotSubmitJobs() {
        var r = server.client(server.token("cygnus", "bot", Role.AGENT))
                .post("/v1/jobs", Fixtures.request(backend, 1, Fixtures.BELL));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.problem().code()).isEqualTo(ErrorCode.FORBIDDEN.slug());
    }

    @Test
    void anotherMembersTokenCannotCancelAJob() {
        ApiClient alice = server.client(server.token("aurora", "alice", Role.RESEARCHER));
        Job job = Fixtures.submit(alice, backend, 1);
        assertThat(carol.postEmpty("/v1/jobs/" + job.id() + "/cancel").status()).isEqualTo(404);
        assertThat(alice.get("/v1/jobs/" + job.id()).as(Job.class).status()).isEqualTo(dev.qfed.api.JobStatus.QUEUED);
    }

    static Stream<Arguments> badQueries() {
        return Stream.of(
                Arguments.of("/v1/jobs?cursor=garbage", ErrorCode.INVALID_CURSOR, "cursor"),
                Arguments.of("/v1/jobs?cursor=" + java.util.Base64.getUrlEncoder().encodeToString("v1:x".getBytes()),
                        ErrorCode.INVALID_CURSOR, "cursor"),
                Arguments.of("/v1/jobs?limit=0", ErrorCode.INVALID_REQUEST, "limit"),
                Arguments.of("/v1/jobs?limit=ten", ErrorCode.INVALID_REQUEST, "limit"),
                Arguments.of("/v1/jobs?status=DONE", ErrorCode.INVALID_REQUEST, "status"),
                Arguments.of("/v1/jobs?tag=novalue", ErrorCode.INVALID_REQUEST, "tag"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badQueries")
    void aBadQueryParameterIsRefused(String path, ErrorCode code, String field) {
        var r = carol.get(path);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.problem().code()).isEqualTo(code.slug());
        assertThat(r.problem().field()).contains(field);
    }

    @Test
    void aBadWaitIsRefused() {
        Job job = Fixtures.submit(server.client(server.token("cygnus", "other", Role.RESEARCHER)), backend, 1);
        var r = carol.get("/v1/jobs/" + job.id() + "/result?wait=forever");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.problem().field()).contains("wait");
        carol.postEmpty("/v1/jobs/" + job.id() + "/cancel");
    }

    @Test
    void unknownRoutesAndMethodsAreProblemsToo() {
        var missing = carol.get("/v1/nothing-here");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.problem().code()).isEqualTo(ErrorCode.NOT_FOUND.slug());
        var method = carol.postEmpty("/v1/backends");
        assertThat(method.status()).isIn(404, 405);
        assertThat(method.problem().code()).isIn(ErrorCode.NOT_FOUND.slug(), ErrorCode.METHOD_NOT_ALLOWED.slug());
        var job = carol.get("/v1/jobs/01a20bcb-0000-7000-8000-000000000000");
        assertThat(job.status()).isEqualTo(404);
        assertThat(job.problem().detail()).contains("no job");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void noneOfTheBadRequestsCreatedAnything() {
        var r = carol.get("/v1/jobs?status=QUEUED,ASSIGNED,RUNNING,COMPLETED,FAILED");
        assertThat(r.as(JobPage.class).jobs()).isEmpty();
    }
}
