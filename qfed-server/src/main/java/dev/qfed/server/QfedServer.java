package dev.qfed.server;

import dev.qfed.server.agents.AgentService;
import dev.qfed.server.agents.AgentStore;
import dev.qfed.server.backends.BackendCatalog;
import dev.qfed.server.backends.BackendStore;
import dev.qfed.server.circuits.CircuitAdmission;
import dev.qfed.server.health.HealthChecks;
import dev.qfed.server.http.HangupWatcher;
import dev.qfed.server.http.Routes;
import dev.qfed.server.identity.CachingTokenVerifier;
import dev.qfed.server.identity.DevIssuer;
import dev.qfed.server.identity.JwksTokenVerifier;
import dev.qfed.server.identity.TokenVerifier;
import dev.qfed.server.identity.TrustedIssuer;
import dev.qfed.server.jobs.JobService;
import dev.qfed.server.jobs.JobStore;
import dev.qfed.server.leases.LeaseService;
import dev.qfed.server.leases.LeaseStore;
import dev.qfed.server.scheduler.Scheduler;
import dev.qfed.server.scheduler.ShortestWaitChooser;
import dev.qfed.server.jobs.JobWaits;
import dev.qfed.server.signals.PgNotifications;
import dev.qfed.server.signals.Signals;
import dev.qfed.server.store.Database;
import dev.qfed.server.store.Ids;
import dev.qfed.server.store.Leadership;
import dev.qfed.server.telemetry.Telemetry;
import io.javalin.Javalin;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The broker's composition root: builds every part from a {@link ServerConfig} by hand, in dependency order, and
 * owns their lifecycles.
 *
 * {@snippet :
 * try (QfedServer server = QfedServer.start(ServerConfig.builder(dataDir).port(0).devMode(true).build())) {
 *     URI api = server.baseUri(); // http://127.0.0.1:<port>
 *     ...
 * }
 * }
 */
public final class QfedServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QfedServer.class);

    private final ServerConfig config;
    private final Clock clock;
    private final Database database;
    private final Signals signals = new Signals();
    private final HangupWatcher hangups = new HangupWatcher();
    private final Telemetry telemetry = new Telemetry();
    private final Optional<DevIssuer> devIssuer;
    private final BackendCatalog catalog;
    private final JobService jobService;
    private final LeaseService leaseService;
    private final AgentService agentService;
    private final Leadership leadership;
    private final JobStore jobStore;
    private Optional<PgNotifications> notifications = Optional.empty();
    private Javalin http;
    private Thread ticker;
    private volatile boolean running;
    private volatile Instant lastIdempotencyCleanup = Instant.EPOCH;

    private QfedServer(ServerConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.database = Database.open(config.effectiveDbUrl(), config.dbUser().orElse(null),
                config.dbPassword().orElse(null), config.dbPoolSize());
        try {
            this.devIssuer = config.devMode() ? Optional.of(DevIssuer.open(config.dataDir())) : Optional.empty();
        } catch (IOException e) {
            database.close();
            throw new UncheckedIOException("cannot open the dev issuer's key under " + config.dataDir(), e);
        }
        this.jobStore = new JobStore(database.dialect());
        Ids ids = new Ids(clock);
        AgentStore agentStore = new AgentStore();
        BackendStore backendStore = new BackendStore();
        this.catalog = new BackendCatalog(database.jdbi(), backendStore, clock, config.agentTimeout());
        this.jobService = new JobService(database.jdbi(), jobStore, agentStore, catalog,
                new Scheduler(new ShortestWaitChooser()), new CircuitAdmission(config.limits().qasm()), signals,
                telemetry, ids, clock, config);
        this.agentService = new AgentService(database.jdbi(), agentStore, backendStore, catalog, ids, clock, config);
        this.leaseService = new LeaseService(database.jdbi(), jobStore, new LeaseStore(database.dialect()), agentStore,
                agentService,
                catalog, signals, telemetry, ids, clock, config);
        this.leadership = new Leadership(database);
    }

    /** Builds, migrates and starts a broker on the system clock. */
    public static QfedServer start(ServerConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** Builds, migrates and starts a broker; tests pass a clock they control to drive lease expiry. */
    public static QfedServer start(ServerConfig config, Clock clock) {
        QfedServer server = new QfedServer(config, clock);
        try {
            server.startParts();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void startParts() {
        database.migrate();
        catalog.refresh();
        if (database.dialect() == Database.Dialect.POSTGRESQL) {
            PgNotifications pg = new PgNotifications(database, signals);
            notifications = Optional.of(pg);
            signals.publisher(pg);
        }
        List<TrustedIssuer> issuers = new ArrayList<>(config.trustedIssuers());
        devIssuer.ifPresent(dev -> issuers.add(dev.trustedIssuer(config.devMembers())));
        // Tokens live for minutes to days; re-checking a signature at most every few seconds per token is plenty.
        TokenVerifier verifier = new CachingTokenVerifier(new JwksTokenVerifier(issuers, clock), clock,
                Duration.ofSeconds(10), 10_000);
        JobWaits jobWaits = new JobWaits(database.jdbi(), jobStore, signals, clock, config.limits().maxWaitJobs());
        Routes routes = new Routes(config, verifier, jobService, jobWaits, leaseService, agentService,
                catalog, new HealthChecks(database), telemetry, devIssuer, clock, signals, hangups);
        telemetry.longPolls(signals::waiters, signals::hangups);
        http = Javalin.create(c -> {
            c.concurrency.useVirtualThreads = true;
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.http.maxRequestSize = config.limits().maxBodyBytes();
            c.http.prefer405over404 = true;
            c.router.javaLangErrorHandler((response, error) -> {
                LOG.error("fatal error while serving a request", error);
                try {
                    response.setStatus(500);
                    response.setContentType("application/problem+json");
                    response.getWriter().write(dev.qfed.api.ApiJson.write(dev.qfed.api.Problem.of(
                            dev.qfed.api.ErrorCode.INTERNAL, "a fatal error occurred: " + error)));
                } catch (IOException | IllegalStateException e) {
                    // the response is already committed; nothing more can be said
                }
            });
            c.jetty.host = config.host();
            c.jetty.port = config.port();
            c.requestLogger.http((ctx, ms) -> {
                String route;
                try {
                    route = ctx.endpoint().path;
                } catch (RuntimeException e) {
                    route = "unmatched";
                }
                telemetry.httpRequest(ctx.method().name(), route, ctx.statusCode(),
                        Duration.ofNanos((long) (ms * 1_000_000)));
            });
            routes.install(c);
        });
        http.start();
        // Long polls may be silent for up to maxWait; keep their connections open past that.
        for (Connector connector : http.jettyServer().server().getConnectors()) {
            if (connector instanceof ServerConnector sc) {
                sc.setIdleTimeout(config.maxWait().plusSeconds(30).toMillis());
            }
        }
        running = true;
        ticker = Thread.ofVirtual().name("qfed-ticker").start(this::tick);
        LOG.atInfo().addKeyValue("port", port()).addKeyValue("database", database.describe())
                .addKeyValue("dev", config.devMode()).log("broker started");
    }

    /** Periodic duties: catalog refresh and metrics on every replica; expiry sweeps on the leader only. */
    private void tick() {
        while (running) {
            try {
                Thread.sleep(config.sweepInterval().toMillis());
                runDuties();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("periodic duties failed (will retry): {}", e.toString());
                }
            }
        }
    }

    /** One round of the periodic duties; tests call it to make expiry happen now. */
    public void runDuties() {
        catalog.refresh();
        Map<String, Long> depths = new HashMap<>();
        catalog.names().forEach(n -> depths.put(n, 0L));
        catalog.stats().forEach((n, s) -> depths.put(n, s.queued()));
        telemetry.queueDepths(depths);
        if (leadership.check()) {
            int expired = leaseService.sweepExpired();
            if (expired > 0) {
                LOG.info("{} leases expired", expired);
            }
            Instant now = clock.instant();
            if (Duration.between(lastIdempotencyCleanup, now).compareTo(Duration.ofMinutes(10)) > 0) {
                Instant cutoff = now.minus(config.idempotencyKeyTtl());
                database.jdbi().useHandle(h -> jobStore.deleteIdempotencyKeysBefore(h, cutoff));
                lastIdempotencyCleanup = now;
            }
        }
    }

    /** The TCP port the API listens on. */
    public int port() {
        return http.port();
    }

    /** {@code http://host:port}, for clients in the same process. */
    public java.net.URI baseUri() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return java.net.URI.create("http://" + host + ":" + port());
    }

    public ServerConfig config() {
        return config;
    }

    /** The dev issuer, when the broker runs in dev mode. */
    public Optional<DevIssuer> devIssuer() {
        return devIssuer;
    }

    /** Whether this replica currently runs the periodic duties. */
    public boolean leads() {
        return leadership.check();
    }

    @Override
    public void close() {
        running = false;
        if (ticker != null) {
            ticker.interrupt();
        }
        if (http != null) {
            http.stop();
        }
        hangups.close();
        notifications.ifPresent(PgNotifications::close);
        leadership.close();
        database.close();
        telemetry.close();
        LOG.info("broker stopped");
    }
}
