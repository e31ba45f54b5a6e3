package dev.qfed.server;

import dev.qfed.circuit.qasm.ParseLimits;
import dev.qfed.server.identity.TrustedIssuer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything {@link QfedServer} needs to start: where to listen, which database, whom to trust, limits and the
 * timing of leases. Build one with {@link #builder(Path)}; defaults suit {@code qfed dev}.
 *
 * @param host              interface to bind ({@code 127.0.0.1} by default)
 * @param port              TCP port; 0 picks a free one ({@link QfedServer#port()} tells which)
 * @param dataDir           where the embedded H2 database and the dev issuer's key live
 * @param dbUrl             a {@code jdbc:postgresql:…} or {@code jdbc:h2:…} URL; empty means H2 under {@code dataDir}
 * @param trustedIssuers    identity providers whose tokens the broker accepts (each for its members)
 * @param devMode           also run the dev issuer: trust it for {@code devMembers} and serve
 *                          {@code GET /dev/jwks.json} and {@code POST /dev/token}
 * @param leaseDuration     how long a lease lasts without a heartbeat
 * @param heartbeatInterval how often agents are told to send heartbeats
 * @param maxAttempts       attempts per job before it fails
 * @param maxWait           longest long poll ({@code wait=}) the server honours
 * @param agentTimeout      an agent not heard from for this long makes its backends OFFLINE
 * @param sweepInterval     how often the leader looks for expired leases
 */
public record ServerConfig(String host, int port, Path dataDir, Optional<String> dbUrl, Optional<String> dbUser,
                           Optional<String> dbPassword, int dbPoolSize, List<TrustedIssuer> trustedIssuers,
                           boolean devMode, Set<String> devMembers, Limits limits, Duration leaseDuration,
                           Duration heartbeatInterval, int maxAttempts, Duration maxWait, Duration agentTimeout,
                           Duration sweepInterval, Duration idempotencyKeyTtl) {

    /** Bounds on what one request may ask for. */
    public record Limits(long maxBodyBytes, int maxCircuits, int maxShots, int maxTags, int maxLeaseBatch,
                         int maxWaitJobs, ParseLimits qasm) {
        public static final Limits DEFAULT = new Limits(4L << 20, 100, 1_000_000, 32, 100, 1_000,
                new ParseLimits(1L << 20, 0, 1_000_000, 1_000_000, 256, 1_000));

        public Limits {
            Objects.requireNonNull(qasm, "qasm");
            if (maxBodyBytes < 1024 || maxCircuits < 1 || maxShots < 1 || maxTags < 0 || maxLeaseBatch < 1
                    || maxWaitJobs < 1) {
                throw new IllegalArgumentException("limits must be positive (and the body limit at least 1 KiB)");
            }
        }
    }

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        trustedIssuers = List.copyOf(trustedIssuers);
        devMembers = Set.copyOf(devMembers);
        Objects.requireNonNull(limits, "limits");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (dbPoolSize < 2) {
            throw new IllegalArgumentException("dbPoolSize must be at least 2");
        }
        for (Duration d : List.of(leaseDuration, heartbeatInterval, maxWait, agentTimeout, sweepInterval,
                idempotencyKeyTtl)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive, got " + d);
            }
        }
        if (!devMode && trustedIssuers.isEmpty()) {
            throw new IllegalArgumentException("no trusted issuers: configure at least one, or run in dev mode");
        }
    }

    /** The database URL in force. */
    public String effectiveDbUrl() {
        return dbUrl.orElseGet(() -> dev.qfed.server.store.Database.h2Url(dataDir));
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    public Builder toBuilder() {
        Builder b = new Builder(dataDir);
        b.host = host;
        b.port = port;
        b.dbUrl = dbUrl;
        b.dbUser = dbUser;
        b.dbPassword = dbPassword;
        b.dbPoolSize = dbPoolSize;
        b.trustedIssuers = trustedIssuers;
        b.devMode = devMode;
        b.devMembers = devMembers;
        b.limits = limits;
        b.leaseDuration = leaseDuration;
        b.heartbeatInterval = heartbeatInterval;
        b.maxAttempts = maxAttempts;
        b.maxWait = maxWait;
        b.agentTimeout = agentTimeout;
        b.sweepInterval = sweepInterval;
        b.idempotencyKeyTtl = idempotencyKeyTtl;
        return b;
    }

    /** Option bag for {@link ServerConfig}. */
    public static final class Builder {
        private final Path dataDir;
        private String host = "127.0.0.1";
        private int port = 8080;
        private Optional<String> dbUrl = Optional.empty();
        private Optional<String> dbUser = Optional.empty();
        private Optional<String> dbPassword = Optional.empty();
        private int dbPoolSize = 16;
        private List<TrustedIssuer> trustedIssuers = List.of();
        private boolean devMode;
        private Set<String> devMembers = Set.of("aurora", "borealis", "cygnus");
        private Limits limits = Limits.DEFAULT;
        private Duration leaseDuration = Duration.ofSeconds(60);
        private Duration heartbeatInterval = Duration.ofSeconds(15);
        private int maxAttempts = 3;
        private Duration maxWait = Duration.ofSeconds(60);
        private Duration agentTimeout = Duration.ofSeconds(90);
        private Duration sweepInterval = Duration.ofSeconds(1);
        private Duration idempotencyKeyTtl = Duration.ofHours(24);

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        public Builder host(String host) { this.host = host; return this; }
        public Builder port(int port) { this.port = port; return this; }
        public Builder dbUrl(String url) { this.dbUrl = Optional.of(url); return this; }
        public Builder dbCredentials(String user, String password) {
            this.dbUser = Optional.of(user);
            this.dbPassword = Optional.of(password);
            return this;
        }
        public Builder dbPoolSize(int size) { this.dbPoolSize = size; return this; }
        public Builder trustedIssuers(List<TrustedIssuer> issuers) { this.trustedIssuers = issuers; return this; }
        public Builder devMode(boolean dev) { this.devMode = dev; return this; }
        public Builder devMembers(Set<String> members) { this.devMembers = members; return this; }
        public Builder limits(Limits limits) { this.limits = limits; return this; }
        public Builder leaseDuration(Duration d) { this.leaseDuration = d; return this; }
        public Builder heartbeatInterval(Duration d) { this.heartbeatInterval = d; return this; }
        public Builder maxAttempts(int n) { this.maxAttempts = n; return this; }
        public Builder maxWait(Duration d) { this.maxWait = d; return this; }
        public Builder agentTimeout(Duration d) { this.agentTimeout = d; return this; }
        public Builder sweepInterval(Duration d) { this.sweepInterval = d; return this; }
        public Builder idempotencyKeyTtl(Duration d) { this.idempotencyKeyTtl = d; return this; }

        public ServerConfig build() {
            return new ServerConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, dbPoolSize, trustedIssuers,
                    devMode, devMembers, limits, leaseDuration, heartbeatInterval, maxAttempts, maxWait, agentTimeout,
                    sweepInterval, idempotencyKeyTtl);
        }
    }
}
