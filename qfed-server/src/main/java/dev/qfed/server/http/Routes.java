package dev.qfed.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.qfed.api.ApiJson;
import dev.qfed.api.BackendList;
import dev.qfed.api.DevToken;
import dev.qfed.api.DevTokenRequest;
import dev.qfed.api.ErrorCode;
import dev.qfed.api.FailLeaseRequest;
import dev.qfed.api.HeartbeatRequest;
import dev.qfed.api.JobResult;
import dev.qfed.api.LeaseRequest;
import dev.qfed.api.OpenApi;
import dev.qfed.api.RegisterAgentRequest;
import dev.qfed.api.ReportRequest;
import dev.qfed.api.SubmitJobRequest;
import dev.qfed.api.SubmitResultRequest;
import dev.qfed.api.WaitJobsRequest;
import dev.qfed.server.ApiException;
import dev.qfed.server.ServerConfig;
import dev.qfed.server.agents.AgentService;
import dev.qfed.server.backends.BackendCatalog;
import dev.qfed.server.health.HealthChecks;
import dev.qfed.server.identity.DevIssuer;
import dev.qfed.server.identity.Principal;
import dev.qfed.server.identity.Role;
import dev.qfed.server.identity.TokenVerifier;
import dev.qfed.server.identity.UnauthenticatedException;
import dev.qfed.server.jobs.JobAccess;
import dev.qfed.server.jobs.JobService;
import dev.qfed.server.jobs.JobWaits;
import dev.qfed.server.jobs.JobStore;
import dev.qfed.server.leases.LeaseService;
import dev.qfed.server.signals.ClientGoneException;
import dev.qfed.server.signals.Signals;
import dev.qfed.server.telemetry.Telemetry;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST API: every route, each a thin translation between HTTP and a capability's service. Authentication
 * happens here (a bearer token on every {@code /v1} call except the OpenAPI document); authorisation by member and
 * role in the services.
 */
public final class Routes {
    private static final String PRINCIPAL = "qfed.principal";
    private static final Pattern WAIT = Pattern.compile("([0-9]{1,9})(ms|s|m)?");

    private final ServerConfig config;
    private final TokenVerifier verifier;
    private final JobService jobs;
    private final JobWaits waits;
    private final LeaseService leases;
    private final AgentService agents;
    private final BackendCatalog backends;
    private final HealthChecks health;
    private final Telemetry telemetry;
    private final Optional<DevIssuer> devIssuer;
    private final Clock clock;
    private final Signals signals;
    private final HangupWatcher hangups;
    private final Bodies bodies;
    private final String openApiJson;

    public Routes(ServerConfig config, TokenVerifier verifier, JobService jobs, JobWaits waits, LeaseService leases,
                  AgentService agents, BackendCatalog backends, HealthChecks health, Telemetry telemetry,
                  Optional<DevIssuer> devIssuer, Clock clock, Signals signals, HangupWatcher hangups) {
        this.config = config;
        this.verifier = verifier;
        this.jobs = jobs;
        this.waits = waits;
        this.leases = leases;
        this.agents = agents;
        this.backends = backends;
        this.health = health;
        this.telemetry = telemetry;
        this.devIssuer = devIssuer;
        this.clock = clock;
        this.signals = signals;
        this.hangups = hangups;
        this.bodies = new Bodies(config.limits().maxBodyBytes());
        this.openApiJson = openApiAsJson();
    }

    /** Adds every route, the authentication filter and the problem mapping to a Javalin configuration. */
    public void install(JavalinConfig c) {
        var r = c.routes;
        r.beforeMatched("/v1/*", this::authenticate);

        r.post("/v1/jobs", ctx -> {
            JobService.Submitted s = jobs.submit(writer(ctx), bodies.read(ctx, SubmitJobRequest.class),
                    Optional.ofNullable(ctx.header("Idempotency-Key")));
            if (s.created()) {
                ctx.header("Location", "/v1/jobs/" + s.job().id());
            }
            json(ctx, s.created() ? 201 : 200, s.job());
        });
        r.get("/v1/jobs", ctx -> {
            Principal p = reader(ctx);
            JobStore.ListFilter filter = new JobStore.ListFilter(query(ctx, "project"),
                    JobService.parseStates(query(ctx, "status")), JobService.parseTags(ctx.queryParams("tag")),
                    query(ctx, "backend"));
            int limit = intParam(ctx, "limit", 50, 1, 500);
            json(ctx, 200, jobs.list(p, new JobService.ListQuery(query(ctx, "member"), filter, limit,
                    query(ctx, "cursor"))));
        });
        r.post("/v1/jobs/wait", ctx -> {
            Principal p = reader(ctx);
            WaitJobsRequest request = bodies.read(ctx, WaitJobsRequest.class);
            Duration wait = waitParam(ctx);
            json(ctx, 200, longPoll(ctx, () -> waits.waitForAny(p, request, wait)));
        });
        r.get("/v1/jobs/{id}", ctx -> json(ctx, 200, jobs.get(reader(ctx), ctx.pathParam("id"))));
        r.post("/v1/jobs/{id}/cancel", ctx -> json(ctx, 200, jobs.cancel(writer(ctx), ctx.pathParam("id"))));
        r.get("/v1/jobs/{id}/result", ctx -> {
            Principal p = reader(ctx);
            Duration wait = waitParam(ctx);
            JobResult result = longPoll(ctx, () -> jobs.result(p, ctx.pathParam("id"), wait));
            json(ctx, result.job().status().isFinal() ? 200 : 202, result);
        });
        r.get("/v1/jobs/{id}/events", ctx -> json(ctx, 200, waits.history(reader(ctx), ctx.pathParam("id"))));

        r.get("/v1/backends", ctx -> {
            principal(ctx);
            json(ctx, 200, new BackendList(backends.list()));
        });
        r.get("/v1/backends/{name}", ctx -> {
            principal(ctx);
            String name = ctx.pathParam("name");
            json(ctx, 200, backends.find(name).orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND,
                    "there is no backend named '" + name + "'; GET /v1/backends lists them")));
        });

        r.post("/v1/agents/register", ctx ->
                json(ctx, 200, agents.register(principal(ctx), bodies.read(ctx, RegisterAgentRequest.class))));
        r.post("/v1/agents/{id}/lease", ctx -> {
            LeaseRequest request = bodies.readOptional(ctx, LeaseRequest.class).orElse(LeaseRequest.ONE_EACH);
            Principal p = principal(ctx);
            Duration wait = waitParam(ctx);
            json(ctx, 200, longPoll(ctx, () -> leases.lease(p, ctx.pathParam("id"), request, wait)));
        });
        r.post("/v1/agents/{id}/reports", ctx -> json(ctx, 200, leases.report(principal(ctx),
                ctx.pathParam("id"), bodies.read(ctx, ReportRequest.class))));
        r.post("/v1/agents/{id}/heartbeat", ctx -> json(ctx, 200, leases.heartbeat(principal(ctx),
                ctx.pathParam("id"), bodies.read(ctx, HeartbeatRequest.class))));
        r.post("/v1/leases/{id}/start", ctx -> json(ctx, 200, leases.start(principal(ctx), ctx.pathParam("id"))));
        r.post("/v1/leases/{id}/result", ctx -> {
            leases.result(principal(ctx), ctx.pathParam("id"), bodies.read(ctx, SubmitResultRequest.class));
            ctx.status(204);
        });
        r.post("/v1/leases/{id}/fail", ctx -> {
            leases.fail(principal(ctx), ctx.pathParam("id"), bodies.read(ctx, FailLeaseRequest.class));
            ctx.status(204);
        });

        r.get("/v1/openapi.json", ctx -> ctx.contentType("application/json").result(openApiJson));
        r.get("/health/live", ctx -> json(ctx, 200, health.live()));
        r.get("/health/ready", ctx -> {
            var ready = health.ready();
            json(ctx, ready.up() ? 200 : 503, ready);
        });
        r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(telemetry.scrape()));

        if (devIssuer.isPresent()) {
            DevIssuer dev = devIssuer.get();
            r.get("/dev/jwks.json", ctx -> ctx.contentType("application/json").result(dev.jwksJson()));
            r.post("/dev/token", ctx -> json(ctx, 200, mint(dev, bodies.read(ctx, DevTokenRequest.class))));
        }

        // Nobody reads this answer; 499 (nginx's "client closed request") shows such polls in the request metrics.
        r.exception(ClientGoneException.class, (e, ctx) -> ctx.status(499));
        r.exception(Exception.class, Problems::handle);
        r.error(404, "*", ctx -> {
            if (isEmpty(ctx)) {
                Problems.write(ctx, Problems.fromStatus(404, "no route " + ctx.method() + " " + ctx.path()
                        + "; the API is described at /v1/openapi.json"));
            }
        });
        r.error(405, "*", ctx -> {
            if (isEmpty(ctx)) {
                Problems.write(ctx, Problems.fromStatus(405, "method " + ctx.method() + " is not allowed on "
                        + ctx.path()));
            }
        });
    }

    /** Whether the response is not a problem yet (Javalin writes plain text for unmatched routes). */
    private static boolean isEmpty(Context ctx) {
        String type = ctx.res().getContentType();
        return type == null || !type.startsWith(Problems.CONTENT_TYPE);
    }

    private void authenticate(Context ctx) throws UnauthenticatedException {
        if (ctx.path().equals("/v1/openapi.json")) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw new UnauthenticatedException("this call needs an Authorization: Bearer <token> header");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new UnauthenticatedException("the Authorization header must use the Bearer scheme");
        }
        ctx.attribute(PRINCIPAL, verifier.verify(header.substring(7).strip()));
    }

    private static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) {
            throw new IllegalStateException("route reached without authentication: " + ctx.path());
        }
        return p;
    }

    /** Submitting and cancelling: see {@link JobAccess}. */
    private static Principal writer(Context ctx) {
        return JobAccess.requireWriter(principal(ctx));
    }

    /** Reading jobs: see {@link JobAccess}. */
    private static Principal reader(Context ctx) {
        return JobAccess.requireReader(principal(ctx));
    }

    private static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(ApiJson.write(body));
    }

    private static Optional<String> query(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).filter(s -> !s.isEmpty());
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        Optional<String> value = query(ctx, name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.get());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.field(ErrorCode.INVALID_REQUEST, name, name + " must be a whole number from " + min
                + " to " + max);
    }

    /** Runs a long poll that ends early, without answering, when its client hangs up ({@link HangupWatcher}). */
    private <T> T longPoll(Context ctx, Callable<T> poll) throws Exception {
        return signals.forClient(hangups.clientOf(ctx), poll);
    }

    /** {@code wait=30s}: how long a long poll may wait, capped at the configured maximum. */
    private Duration waitParam(Context ctx) {
        Optional<String> value = query(ctx, "wait");
        if (value.isEmpty()) {
            return Duration.ZERO;
        }
        Matcher m = WAIT.matcher(value.get().strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw ApiException.field(ErrorCode.INVALID_REQUEST, "wait", "wait '" + value.get()
                    + "' must be a duration like 30s, 500ms or 2m");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
        return d.compareTo(config.maxWait()) > 0 ? config.maxWait() : d;
    }

    private DevToken mint(DevIssuer dev, DevTokenRequest request) {
        if (!config.devMembers().contains(request.member())) {
            throw ApiException.field(ErrorCode.INVALID_REQUEST, "member", "the dev issuer serves members "
                    + config.devMembers().stream().sorted().toList() + ", not '" + request.member() + "'");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : request.roles()) {
            try {
                roles.add(Role.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                throw ApiException.field(ErrorCode.INVALID_REQUEST, "roles", "unknown role '" + name + "'; use "
                        + List.of(Role.values()));
            }
        }
        Duration ttl = Duration.ofSeconds(request.ttlSeconds().orElse(Duration.ofDays(1).toSeconds()));
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(DevIssuer.MAX_TTL) > 0) {
            throw ApiException.field(ErrorCode.INVALID_REQUEST, "ttl_seconds", "ttl_seconds must be from 1 to "
                    + DevIssuer.MAX_TTL.toSeconds());
        }
        String token = dev.mint(request.member(), request.user(), roles, ttl);
        return new DevToken(token, request.member(), request.user(),
                clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plus(ttl));
    }

    private static String openApiAsJson() {
        try {
            JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(OpenApi.yaml());
            return ApiJson.mapper().writeValueAsString(doc);
        } catch (IOException e) {
            throw new UncheckedIOException("the bundled openapi.yaml does not parse", e);
        }
    }
}
