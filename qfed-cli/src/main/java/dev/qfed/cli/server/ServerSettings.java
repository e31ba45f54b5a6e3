package dev.qfed.cli.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.qfed.server.ServerConfig;
import dev.qfed.server.identity.TrustedIssuer;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The broker's configuration as {@code qfed server} reads it: a YAML file ({@code --config qfed.yaml}), overridden
 * by {@code QFED_*} environment variables, overridden by flags. Every scalar key has one environment variable,
 * named after its path ({@code db.password} → {@code QFED_DB_PASSWORD}); lists (the trusted issuers) are set in
 * the file only.
 *
 * <p>Parsing is strict: an unknown or duplicate key, a value of the wrong type, out of range or without a unit is
 * refused with an {@link InvalidServerConfigException} that names the file and key path (or the variable, or the
 * flag). {@link #KEYS} is the reference that {@code docs/configuration.md} documents key by key.
 */
public final class ServerSettings {

    /** The type of a scalar key. */
    public enum Kind {
        TEXT, INTEGER, BOOLEAN, DURATION, PATH, TEXT_LIST
    }

    /**
     * One scalar key.
     *
     * @param path its place in the file, e.g. {@code db.url}
     * @param min  smallest allowed value (integers; durations in milliseconds)
     * @param max  largest allowed value (integers; durations in milliseconds)
     */
    public record Key(String path, Kind kind, long min, long max) {
        /** The environment variable that overrides it. */
        public String environmentVariable() {
            return "QFED_" + path.toUpperCase(Locale.ROOT).replace('.', '_');
        }
    }

    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    /** Every scalar key the file may have, in the order of {@code docs/configuration.md}. */
    public static final List<Key> KEYS = List.of(
            new Key("host", Kind.TEXT, 0, 0),
            new Key("port", Kind.INTEGER, 0, 65_535),
            new Key("data_dir", Kind.PATH, 0, 0),
            new Key("max_wait", Kind.DURATION, 1_000, Duration.ofMinutes(10).toMillis()),
            new Key("db.url", Kind.TEXT, 0, 0),
            new Key("db.user", Kind.TEXT, 0, 0),
            new Key("db.password", Kind.TEXT, 0, 0),
            new Key("db.pool_size", Kind.INTEGER, 2, 1_000),
            new Key("dev_issuer.enabled", Kind.BOOLEAN, 0, 0),
            new Key("dev_issuer.members", Kind.TEXT_LIST, 0, 0),
            new Key("limits.max_body_bytes", Kind.INTEGER, 1_024, Integer.MAX_VALUE),
            new Key("limits.max_circuits", Kind.INTEGER, 1, 100_000),
            new Key("limits.max_shots", Kind.INTEGER, 1, 1_000_000_000),
            new Key("limits.max_tags", Kind.INTEGER, 0, 1_000),
            new Key("limits.max_lease_batch", Kind.INTEGER, 1, 10_000),
            new Key("limits.max_wait_jobs", Kind.INTEGER, 1, 100_000),
            new Key("jobs.max_attempts", Kind.INTEGER, 1, 100),
            new Key("jobs.idempotency_key_ttl", Kind.DURATION, 60_000, 366 * DAY_MS),
            new Key("leases.duration", Kind.DURATION, 100, DAY_MS),
            new Key("leases.heartbeat_interval", Kind.DURATION, 50, DAY_MS),
            new Key("leases.sweep_interval", Kind.DURATION, 10, Duration.ofHours(1).toMillis()),
            new Key("agents.timeout", Kind.DURATION, 1_000, DAY_MS));

    /** Keys of one entry of {@code trusted_issuers}. */
    public static final List<String> ISSUER_KEYS = List.of("issuer", "members", "jwks_url", "audience", "claims");
    /** Keys of {@code trusted_issuers[i].claims}. */
    public static final List<String> CLAIM_KEYS = List.of("user", "member", "roles");

    /** Flags of {@code qfed server} and the key each one sets. */
    public static final Map<String, String> FLAGS = flags();

    private static final Map<String, Key> BY_PATH = KEYS.stream()
            .collect(Collectors.toMap(Key::path, k -> k, (a, b) -> a, LinkedHashMap::new));
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** A value and where it came from, for messages. */
    private record Setting(Object value, String source) {
    }

    private final Map<String, Setting> settings = new HashMap<>();
    private final List<TrustedIssuer> issuers = new ArrayList<>();

    private ServerSettings() {
    }

    private static Map<String, String> flags() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("--host", "host");
        m.put("--port", "port");
        m.put("--data-dir", "data_dir");
        m.put("--db-url", "db.url");
        m.put("--db-user", "db.user");
        m.put("--db-password", "db.password");
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * Reads the configuration in force.
     *
     * @param file        the YAML file, if one was given; relative paths in it resolve against its folder
     * @param environment the process environment ({@code QFED_*} variables are read)
     * @param flags       flag name ({@link #FLAGS}) to its text, for the flags given on the command line
     * @param workingDir  where relative paths of variables and flags resolve, and the default data directory
     * @throws InvalidServerConfigException when anything is wrong, naming where
     */
    public static ServerConfig load(Optional<Path> file, Map<String, String> environment, Map<String, String> flags,
                                    Path workingDir) {
        ServerSettings s = new ServerSettings();
        file.ifPresent(f -> s.readFile(f, workingDir));
        for (Key key : KEYS) {
            String value = environment.get(key.environmentVariable());
            if (value != null && !value.isBlank()) {
                s.put(key, s.fromText(key, value, key.environmentVariable(), workingDir), key.environmentVariable());
            }
        }
        flags.forEach((flag, value) -> {
            String path = FLAGS.get(flag);
            if (path == null) {
                throw new IllegalArgumentException("not a configuration flag: " + flag);
            }
            Key key = BY_PATH.get(path);
            s.put(key, s.fromText(key, value, flag, workingDir), flag);
        });
        return s.build(workingDir);
    }

    // ------------------------------------------------------------------------------------------------ the file

    private void readFile(Path file, Path workingDir) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidServerConfigException(file + ": no such configuration file");
        } catch (IOException e) {
            throw new InvalidServerConfigException(file + ": cannot read the configuration file: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new InvalidServerConfigException(file + where + ": not valid YAML: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return; // an empty file: every default
        }
        Path base = Optional.ofNullable(file.toAbsolutePath().getParent()).orElse(workingDir);
        String name = file.toString();
        requireMap(root, name, "", "the configuration must be a map of keys (port, db, trusted_issuers, …)");
        Set<String> topKeys = new LinkedHashSet<>();
        for (Key k : KEYS) {
            topKeys.add(k.path().contains(".") ? k.path().substring(0, k.path().indexOf('.')) : k.path());
        }
        topKeys.add("trusted_issuers");
        requireKnown(root, name, "", topKeys);
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (key.equals("trusted_issuers")) {
                readIssuers(value, name);
            } else if (BY_PATH.containsKey(key)) {
                Key k = BY_PATH.get(key);
                put(k, fromYaml(k, value, name, base), name + ": " + k.path());
            } else {
                Set<String> children = new LinkedHashSet<>();
                for (Key k : KEYS) {
                    if (k.path().startsWith(key + ".")) {
                        children.add(k.path().substring(key.length() + 1));
                    }
                }
                requireMap(value, name, key, "must be a map with " + String.join(", ", children));
                requireKnown(value, name, key, children);
                for (Iterator<Map.Entry<String, JsonNode>> c = value.fields(); c.hasNext(); ) {
                    Map.Entry<String, JsonNode> child = c.next();
                    Key k = BY_PATH.get(key + "." + child.getKey());
                    put(k, fromYaml(k, child.getValue(), name, base), name + ": " + k.path());
                }
            }
        }
    }

    private void readIssuers(JsonNode list, String file) {
        if (!list.isArray()) {
            throw at(file, "trusted_issuers", "must be a list of issuers (issuer, members, jwks_url); got "
                    + show(list));
        }
        for (int i = 0; i < list.size(); i++) {
            String path = "trusted_issuers[" + i + "]";
            JsonNode node = list.get(i);
            requireMap(node, file, path, "must be a map with issuer, members and jwks_url");
            requireKnown(node, file, path, ISSUER_KEYS);
            String issuer = requiredText(node, file, path, "issuer", "the exact iss of the issuer's tokens");
            String jwks = requiredText(node, file, path, "jwks_url", "where the issuer publishes its public keys");
            JsonNode members = node.get("members");
            if (members == null) {
                throw at(file, path + ".members", "is required: the members this issuer speaks for, e.g. [aurora]");
            }
            List<String> memberList = textList(members, file, path + ".members");
            String audience = node.has("audience") ? text(node.get("audience"), file, path + ".audience")
                    : TrustedIssuer.DEFAULT_AUDIENCE;
            TrustedIssuer.ClaimNames claims = TrustedIssuer.ClaimNames.DEFAULTS;
            JsonNode c = node.get("claims");
            if (c != null) {
                requireMap(c, file, path + ".claims", "must be a map with user, member and roles");
                requireKnown(c, file, path + ".claims", CLAIM_KEYS);
                claims = new TrustedIssuer.ClaimNames(
                        c.has("user") ? text(c.get("user"), file, path + ".claims.user") : claims.user(),
                        c.has("member") ? text(c.get("member"), file, path + ".claims.member") : claims.member(),
                        c.has("roles") ? text(c.get("roles"), file, path + ".claims.roles") : claims.roles());
            }
            URI jwksUri;
            try {
                jwksUri = new URI(jwks);
            } catch (URISyntaxException e) {
                throw at(file, path + ".jwks_url", "'" + jwks + "' is not a URL: " + e.getReason());
            }
            try {
                issuers.add(new TrustedIssuer(issuer, new LinkedHashSet<>(memberList),
                        TrustedIssuer.Jwks.remote(jwksUri), audience, claims));
            } catch (IllegalArgumentException e) {
                throw at(file, path, e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ values

    private void put(Key key, Object value, String source) {
        settings.put(key.path(), new Setting(value, source));
    }

    private Object fromYaml(Key key, JsonNode node, String file, Path base) {
        if (node.isNull()) {
            throw at(file, key.path(), "has no value; give one or leave the key out");
        }
        return switch (key.kind()) {
            case TEXT -> text(node, file, key.path());
            case PATH -> base.resolve(text(node, file, key.path())).normalize();
            case INTEGER -> {
                if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                    throw at(file, key.path(), "must be a whole number, got " + show(node));
                }
                yield (int) inRange(key, node.longValue(), file + ": " + key.path());
            }
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    throw at(file, key.path(), "must be true or false, got " + show(node));
                }
                yield node.booleanValue();
            }
            case DURATION -> {
                if (!node.isTextual()) {
                    throw at(file, key.path(), "must be a duration with a unit, like 500ms, 30s, 5m, 1h or 1d; got "
                            + show(node));
                }
                yield duration(key, node.asText(), file + ": " + key.path());
            }
            case TEXT_LIST -> textList(node, file, key.path());
        };
    }

    private Object fromText(Key key, String text, String source, Path workingDir) {
        String t = text.strip();
        return switch (key.kind()) {
            case TEXT -> {
                if (t.isEmpty()) {
                    throw new InvalidServerConfigException(source + ": must not be blank");
                }
                yield t;
            }
            case PATH -> workingDir.resolve(t).normalize();
            case INTEGER -> {
                long n;
                try {
                    n = Long.parseLong(t);
                } catch (NumberFormatException e) {
                    throw new InvalidServerConfigException(source + ": must be a whole number, got '" + text + "'");
                }
                yield (int) inRange(key, n, source);
            }
            case BOOLEAN -> switch (t.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new InvalidServerConfigException(source + ": must be true or false, got '" + text
                        + "'");
            };
            case DURATION -> duration(key, t, source);
            case TEXT_LIST -> {
                List<String> items = Arrays.stream(t.split(",")).map(String::strip).toList();
                if (items.stream().anyMatch(String::isEmpty)) {
                    throw new InvalidServerConfigException(source + ": must be a comma-separated list of names, got '"
                            + text + "'");
                }
                yield items;
            }
        };
    }

    private static long inRange(Key key, long n, String source) {
        if (n < key.min() || n > key.max()) {
            throw new InvalidServerConfigException(source + ": must be from " + key.min() + " to " + key.max()
                    + ", got " + n);
        }
        return n;
    }

    private static Duration duration(Key key, String text, String source) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new InvalidServerConfigException(source + ": must be a duration with a unit, like 500ms, 30s, 5m, "
                    + "1h or 1d; got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.toMillis() < key.min() || d.toMillis() > key.max()) {
            throw new InvalidServerConfigException(source + ": must be from " + show(Duration.ofMillis(key.min()))
                    + " to " + show(Duration.ofMillis(key.max())) + ", got " + text.strip());
        }
        return d;
    }

    private static String show(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    private static String text(JsonNode node, String file, String path) {
        if (node.isNull()) {
            throw at(file, path, "has no value; give one or leave the key out");
        }
        if (!node.isTextual()) {
            throw at(file, path, "must be text, got " + show(node)
                    + (node.isValueNode() ? " (quote it: '" + node.asText() + "')" : ""));
        }
        if (node.asText().isBlank()) {
            throw at(file, path, "must not be blank");
        }
        return node.asText().strip();
    }

    private static String requiredText(JsonNode parent, String file, String path, String key, String meaning) {
        JsonNode v = parent.get(key);
        if (v == null) {
            throw at(file, path + "." + key, "is required: " + meaning);
        }
        return text(v, file, path + "." + key);
    }

    private static List<String> textList(JsonNode node, String file, String path) {
        if (!node.isArray() || node.isEmpty()) {
            throw at(file, path, "must be a list of at least one name, e.g. [aurora]; got " + show(node));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(text(node.get(i), file, path + "[" + i + "]"));
        }
        return out;
    }

    private static void requireMap(JsonNode node, String file, String path, String problem) {
        if (!node.isObject()) {
            throw at(file, path, problem + "; got " + show(node));
        }
    }

    private static void requireKnown(JsonNode node, String file, String path, java.util.Collection<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw at(file, path.isEmpty() ? key : path + "." + key,
                        "unknown key; expected one of " + String.join(", ", known));
            }
        }
    }

    private static InvalidServerConfigException at(String file, String path, String problem) {
        return new InvalidServerConfigException(file + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
    }

    private static String show(JsonNode v) {
        if (v.isTextual()) {
            return "'" + v.asText() + "'";
        }
        if (v.isObject()) {
            return "a map";
        }
        if (v.isArray()) {
            return "a list";
        }
        return v.toString();
    }

    // ------------------------------------------------------------------------------------------------ building

    @SuppressWarnings("unchecked")
    private <T> Optional<T> get(String path) {
        return Optional.ofNullable(settings.get(path)).map(s -> (T) s.value());
    }

    private ServerConfig build(Path workingDir) {
        Path dataDir = this.<Path>get("data_dir").orElse(workingDir.resolve("qfed-data"));
        ServerConfig.Builder b = ServerConfig.builder(dataDir);
        this.<String>get("host").ifPresent(b::host);
        this.<Integer>get("port").ifPresent(b::port);
        this.<Duration>get("max_wait").ifPresent(b::maxWait);
        this.<String>get("db.url").ifPresent(url -> {
            if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
                throw new InvalidServerConfigException(settings.get("db.url").source() + ": '" + url
                        + "' is not a jdbc:postgresql:… or jdbc:h2:… URL");
            }
            b.dbUrl(url);
        });
        Optional<String> user = get("db.user");
        Optional<String> password = get("db.password");
        if (password.isPresent() && user.isEmpty()) {
            throw new InvalidServerConfigException(settings.get("db.password").source()
                    + ": a database password needs a user too (db.user, QFED_DB_USER or --db-user)");
        }
        user.ifPresent(u -> b.dbCredentials(u, password.orElse("")));
        this.<Integer>get("db.pool_size").ifPresent(b::dbPoolSize);
        boolean dev = this.<Boolean>get("dev_issuer.enabled").orElse(false);
        b.devMode(dev);
        this.<List<String>>get("dev_issuer.members").ifPresent(m -> b.devMembers(new LinkedHashSet<>(m)));
        b.trustedIssuers(issuers);
        ServerConfig.Limits d = ServerConfig.Limits.DEFAULT;
        b.limits(new ServerConfig.Limits(
                this.<Integer>get("limits.max_body_bytes").map(Integer::longValue).orElse(d.maxBodyBytes()),
                this.<Integer>get("limits.max_circuits").orElse(d.maxCircuits()),
                this.<Integer>get("limits.max_shots").orElse(d.maxShots()),
                this.<Integer>get("limits.max_tags").orElse(d.maxTags()),
                this.<Integer>get("limits.max_lease_batch").orElse(d.maxLeaseBatch()),
                this.<Integer>get("limits.max_wait_jobs").orElse(d.maxWaitJobs()),
                d.qasm()));
        this.<Integer>get("jobs.max_attempts").ifPresent(b::maxAttempts);
        this.<Duration>get("jobs.idempotency_key_ttl").ifPresent(b::idempotencyKeyTtl);
        this.<Duration>get("leases.duration").ifPresent(b::leaseDuration);
        this.<Duration>get("leases.heartbeat_interval").ifPresent(b::heartbeatInterval);
        this.<Duration>get("leases.sweep_interval").ifPresent(b::sweepInterval);
        this.<Duration>get("agents.timeout").ifPresent(b::agentTimeout);

        ServerConfig config;
        try {
            config = b.build();
        } catch (IllegalArgumentException e) {
            if (!dev && issuers.isEmpty()) {
                throw new InvalidServerConfigException("no trusted issuers: list the members' identity providers "
                        + "under trusted_issuers in the configuration file (--config), or set dev_issuer.enabled: "
                        + "true (QFED_DEV_ISSUER_ENABLED=true) for a test setup; see docs/configuration.md");
            }
            throw new InvalidServerConfigException("configuration: " + e.getMessage());
        }
        if (config.heartbeatInterval().compareTo(config.leaseDuration()) >= 0) {
            throw new InvalidServerConfigException(source("leases.heartbeat_interval", "leases.duration")
                    + ": the heartbeat interval (" + show(config.heartbeatInterval())
                    + ") must be shorter than the lease duration (" + show(config.leaseDuration())
                    + "), or leases expire between heartbeats");
        }
        return config;
    }

    private String source(String... paths) {
        for (String p : paths) {
            if (settings.containsKey(p)) {
                return settings.get(p).source();
            }
        }
        return "configuration: " + paths[0];
    }
}
