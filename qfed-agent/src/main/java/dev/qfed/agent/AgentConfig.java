package dev.qfed.agent;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A site agent's configuration: which broker, which token, and the member's backends. Read from a YAML site file
 * ({@link #load(Path)}); {@code QFED_SERVER}, {@code QFED_TOKEN} and {@code QFED_TOKEN_FILE} override the file.
 *
 * <pre>{@code
 * server: https://broker.example.org      # or QFED_SERVER
 * token_file: /etc/qfed/agent.token       # or token: <JWT>, or QFED_TOKEN / QFED_TOKEN_FILE
 * name: aurora-site-1                     # default: the host name
 * poll_wait: 20s                          # long-poll wait per lease request
 * drain_timeout: 30s                      # on shutdown, how long running jobs may take to finish
 * backoff: {initial: 500ms, max: 30s}     # reconnect and retry delays
 * backends:
 *   - name: aurora-lownoise-5
 *     type: emulator
 *     max_concurrent: 2
 *     config: {device: low-noise-5}
 * }</pre>
 *
 * Parsing is strict: unknown keys, duplicate keys, values of the wrong type and missing required keys are refused
 * with an {@link InvalidAgentConfigException} naming the file and the key path. See {@code docs/agent.md}.
 *
 * @param server         the broker's base URL ({@code http} or {@code https}), without a trailing slash
 * @param token          the agent's bearer token (a token with the {@code AGENT} role of the member)
 * @param name           the agent's name within its member; registering twice under one name is the same agent
 * @param pollWait       how long one lease request waits at the broker for work
 * @param drainTimeout   on {@code close()}: how long running executions may take before they are cancelled and
 *                       given back
 * @param backoffInitial the first delay after a failed call to the broker; doubles up to {@code backoffMax}
 * @param backoffMax     the longest delay between retries
 * @param backends       the backends to offer, at least one
 * @param baseDirectory  where relative paths in backend configurations resolve (the site file's folder)
 * @param source         the site file's name, for messages
 */
public record AgentConfig(URI server, AgentToken token, String name, Duration pollWait, Duration drainTimeout,
                          Duration backoffInitial, Duration backoffMax, List<SiteBackend> backends,
                          Path baseDirectory, String source) {

    /** Default {@link #pollWait()}. */
    public static final Duration DEFAULT_POLL_WAIT = Duration.ofSeconds(20);
    /** Default {@link #drainTimeout()}. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /** Default {@link #backoffInitial()}. */
    public static final Duration DEFAULT_BACKOFF_INITIAL = Duration.ofMillis(500);
    /** Default {@link #backoffMax()}. */
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(30);
    /** The most jobs one backend may run at once. */
    public static final int MAX_CONCURRENT_LIMIT = 1024;

    /** Names of agents and backends, as the broker accepts them. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");
    private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    /**
     * One backend of the site.
     *
     * @param name          its name in the consortium
     * @param type          the {@link dev.qfed.agent.spi.BackendFactory#type()} that makes it
     * @param maxConcurrent how many jobs the agent runs on it at once; empty means 1. The backend's own limit
     *                      ({@code maxConcurrentExecutions}) caps it.
     * @param config        the {@code config:} section handed to the factory
     * @param path          where it is in the site file, e.g. {@code backends[0]}, for messages
     */
    public record SiteBackend(String name, String type, Optional<Integer> maxConcurrent, Map<String, Object> config,
                              String path) {
        public SiteBackend {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(maxConcurrent, "maxConcurrent");
            config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
            Objects.requireNonNull(path, "path");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(path + ".name: '" + name + "' must be 1 to 64 letters, digits "
                        + "or ._- and start with a letter or digit");
            }
            maxConcurrent.ifPresent(n -> {
                if (n < 1 || n > MAX_CONCURRENT_LIMIT) {
                    throw new IllegalArgumentException(path + ".max_concurrent: must be an integer from 1 to "
                            + MAX_CONCURRENT_LIMIT + ", got " + n);
                }
            });
        }
    }

    public AgentConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pollWait, "pollWait");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(backoffInitial, "backoffInitial");
        Objects.requireNonNull(backoffMax, "backoffMax");
        backends = List.copyOf(backends);
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        Objects.requireNonNull(source, "source");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name
                    + "' must be 1 to 64 letters, digits or ._- and start with a letter or digit");
        }
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("backends: list at least one backend");
        }
        if (backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("backoff.max (" + backoffMax + ") is shorter than backoff.initial ("
                    + backoffInitial + ")");
        }
        Map<String, String> seen = new HashMap<>();
        for (SiteBackend b : backends) {
            String before = seen.putIfAbsent(b.name(), b.path());
            if (before != null) {
                throw new IllegalArgumentException(b.path() + ".name: '" + b.name() + "' is used by " + before
                        + " already; backend names must be unique");
            }
        }
        checkUrl(server.toString()).ifPresent(problem -> {
            throw new IllegalArgumentException("server: " + problem);
        });
    }

    // ------------------------------------------------------------------------------------------------ loading

    /**
     * Reads a site file, with overrides from the process environment.
     *
     * @throws InvalidAgentConfigException when the file cannot be read or is wrong
     */
    public static AgentConfig load(Path file) {
        return load(file, System.getenv());
    }

    /** Reads a site file with overrides from {@code env} ({@code QFED_SERVER}, {@code QFED_TOKEN}, …). */
    public static AgentConfig load(Path file, Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidAgentConfigException(file + ": cannot read the site file: "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.toString()));
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), dir == null ? Path.of(".").toAbsolutePath() : dir, env);
    }

    /**
     * Parses site YAML.
     *
     * @param source        the name messages use (the file name)
     * @param baseDirectory where relative paths resolve
     * @param env           the environment ({@code QFED_SERVER}, {@code QFED_TOKEN}, {@code QFED_TOKEN_FILE})
     */
    public static AgentConfig parse(String yaml, String source, Path baseDirectory, Map<String, String> env) {
        return new Reader(source, baseDirectory, env).read(yaml);
    }

    /** Parses a duration as the site file writes it: {@code 500ms}, {@code 20s}, {@code 2m}, {@code 1h}. */
    public static Optional<Duration> parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        });
    }

    /** What is wrong with a broker URL, if anything. */
    static Optional<String> checkUrl(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return Optional.of("'" + text + "' is not a URL: " + e.getReason());
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            return Optional.of("'" + text + "' must be an http:// or https:// URL, e.g. https://broker.example.org");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("'" + text + "' has no host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            return Optional.of("'" + text + "' must not have a query, fragment or user info");
        }
        if (text.endsWith("/")) {
            return Optional.of("'" + text + "' must not end with /");
        }
        return Optional.empty();
    }

    private static URI normalizeUrl(String text) {
        String t = text.strip();
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return URI.create(t);
    }

    static String defaultName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "";
        }
        String cleaned = host.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
        if (cleaned.isEmpty()) {
            cleaned = "agent";
        }
        return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
    }

    // ------------------------------------------------------------------------------------------------ builder

    /** An option bag for configurations made in code (tests, {@code qfed dev}). */
    public static Builder builder(URI server, AgentToken token) {
        return new Builder(server, token);
    }

    /** Builds an {@link AgentConfig} without a file; defaults as in the site file. */
    public static final class Builder {
        private final URI server;
        private final AgentToken token;
        private String name = defaultName();
        private Duration pollWait = DEFAULT_POLL_WAIT;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private Duration backoffInitial = DEFAULT_BACKOFF_INITIAL;
        private Duration backoffMax = DEFAULT_BACKOFF_MAX;
        private final List<SiteBackend> backends = new ArrayList<>();
        private Path baseDirectory = Path.of("").toAbsolutePath();

        private Builder(URI server, AgentToken token) {
            this.server = Objects.requireNonNull(server, "server");
            this.token = Objects.requireNonNull(token, "token");
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder pollWait(Duration pollWait) {
            this.pollWait = pollWait;
            return this;
        }

        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
            return this;
        }

        public Builder backoff(Duration initial, Duration max) {
            this.backoffInitial = initial;
            this.backoffMax = max;
            return this;
        }

        public Builder baseDirectory(Path baseDirectory) {
            this.baseDirectory = baseDirectory;
            return this;
        }

        /** Adds a backend; {@code maxConcurrent} jobs at once. */
        public Builder backend(String name, String type, int maxConcurrent, Map<String, Object> config) {
            backends.add(new SiteBackend(name, type, Optional.of(maxConcurrent), config,
                    "backends[" + backends.size() + "]"));
            return this;
        }

        /**
         * @throws IllegalArgumentException when a value is out of range (the message names the key)
         */
        public AgentConfig build() {
            return new AgentConfig(server, token, name, pollWait, drainTimeout, backoffInitial, backoffMax, backends,
                    baseDirectory, "(built in code)");
        }
    }

    // ------------------------------------------------------------------------------------------------ parsing

    /** Walks the YAML tree, naming every problem by its key path. */
    private static final class Reader {
        private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL) // `key:` has no value; `key: ''` is empty text
                        .build())
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();
        private static final List<String> TOP_KEYS = List.of("server", "token", "token_file", "name", "poll_wait",
                "drain_timeout", "backoff", "backends");
        private static final List<String> BACKOFF_KEYS = List.of("initial", "max");
        private static final List<String> BACKEND_KEYS = List.of("name", "type", "max_concurrent", "config");

        private final String source;
        private final Path baseDirectory;
        private final Map<String, String> env;

        Reader(String source, Path baseDirectory, Map<String, String> env) {
            this.source = source;
            this.baseDirectory = baseDirectory;
            this.env = env;
        }

        AgentConfig read(String yaml) {
            JsonNode root;
            try {
                root = YAML.readTree(yaml);
            } catch (JsonProcessingException e) {
                var loc = e.getLocation();
                String where = loc == null || loc.getLineNr() < 1 ? "" : loc.getLineNr() + ":" + loc.getColumnNr() + ": ";
                throw new InvalidAgentConfigException(source + ":" + (where.isEmpty() ? " " : where)
                        + "not valid YAML: " + e.getOriginalMessage());
            }
            if (root == null || root.isMissingNode() || root.isNull()) {
                throw error("", "the file is empty; it needs at least server, a token and backends");
            }
            requireObject(root, "", "the site file must be a map of keys (server, token_file, backends, …)");
            requireKnownKeys(root, "", TOP_KEYS);

            String serverText = env.containsKey("QFED_SERVER") && !env.get("QFED_SERVER").isBlank()
                    ? env.get("QFED_SERVER") : text(root, "server").orElseThrow(() -> error("server",
                    "is required (the broker's URL, e.g. https://broker.example.org), or set QFED_SERVER"));
            String serverKey = env.containsKey("QFED_SERVER") && !env.get("QFED_SERVER").isBlank()
                    ? "QFED_SERVER" : "server";
            String stripped = serverText.strip().replaceAll("/+$", "");
            checkUrl(stripped).ifPresent(p -> {
                throw error(serverKey, p);
            });

            AgentToken token = token(root);
            String name = text(root, "name").orElseGet(AgentConfig::defaultName);
            if (!NAME.matcher(name).matches()) {
                throw error("name", "'" + name + "' must be 1 to 64 letters, digits or ._- and start with a "
                        + "letter or digit");
            }
            Duration pollWait = duration(root, "poll_wait", "poll_wait", Duration.ofSeconds(1), Duration.ofMinutes(10))
                    .orElse(DEFAULT_POLL_WAIT);
            Duration drain = duration(root, "drain_timeout", "drain_timeout", Duration.ZERO, Duration.ofHours(24))
                    .orElse(DEFAULT_DRAIN_TIMEOUT);
            Duration initial = DEFAULT_BACKOFF_INITIAL;
            Duration max = DEFAULT_BACKOFF_MAX;
            JsonNode backoff = root.get("backoff");
            if (backoff != null) {
                requireObject(backoff, "backoff", "must be a map with initial and max, e.g. {initial: 500ms, max: 30s}");
                requireKnownKeys(backoff, "backoff", BACKOFF_KEYS);
                initial = duration(backoff, "initial", "backoff.initial", Duration.ofMillis(1), Duration.ofMinutes(10))
                        .orElse(initial);
                max = duration(backoff, "max", "backoff.max", Duration.ofMillis(1), Duration.ofHours(1)).orElse(max);
                if (max.compareTo(initial) < 0) {
                    throw error("backoff.max", "must not be shorter than backoff.initial (" + format(initial) + ")");
                }
            }
            List<SiteBackend> backends = backends(root);
            return new AgentConfig(normalizeUrl(stripped), token, name, pollWait, drain, initial, max, backends,
                    baseDirectory, source);
        }

        private AgentToken token(JsonNode root) {
            String envToken = env.get("QFED_TOKEN");
            if (envToken != null && !envToken.isBlank()) {
                return new AgentToken.Literal(envToken);
            }
            String envFile = env.get("QFED_TOKEN_FILE");
            if (envFile != null && !envFile.isBlank()) {
                return checkedFile(baseDirectory.resolve(envFile.strip()), "QFED_TOKEN_FILE");
            }
            Optional<String> literal = text(root, "token");
            Optional<String> file = text(root, "token_file");
            if (literal.isPresent() && file.isPresent()) {
                throw error("token_file", "give either token or token_file, not both");
            }
            if (literal.isPresent()) {
                return new AgentToken.Literal(literal.get());
            }
            if (file.isPresent()) {
                return checkedFile(baseDirectory.resolve(file.get()).normalize(), "token_file");
            }
            throw error("token", "is required: set token or token_file (a file holding the agent's token), "
                    + "or QFED_TOKEN / QFED_TOKEN_FILE");
        }

        private AgentToken checkedFile(Path path, String key) {
            AgentToken.File token = new AgentToken.File(path);
            try {
                token.read();
            } catch (RuntimeException e) {
                throw error(key, e.getMessage());
            }
            return token;
        }

        private List<SiteBackend> backends(JsonNode root) {
            JsonNode list = root.get("backends");
            if (list == null) {
                throw error("backends", "is required: list the backends this site offers");
            }
            if (!list.isArray() || list.isEmpty()) {
                throw error("backends", "must be a list of at least one backend (name, type, config)");
            }
            List<SiteBackend> out = new ArrayList<>();
            Map<String, String> seen = new HashMap<>();
            for (int i = 0; i < list.size(); i++) {
                String path = "backends[" + i + "]";
                JsonNode b = list.get(i);
                requireObject(b, path, "must be a map with name, type and config");
                requireKnownKeys(b, path, BACKEND_KEYS);
                String name = text(b, "name", path + ".name").orElseThrow(() -> error(path + ".name", "is required"));
                if (!NAME.matcher(name).matches()) {
                    throw error(path + ".name", "'" + name + "' must be 1 to 64 letters, digits or ._- and start "
                            + "with a letter or digit");
                }
                String before = seen.putIfAbsent(name, path);
                if (before != null) {
                    throw error(path + ".name", "'" + name + "' is used by " + before + " already; backend names "
                            + "must be unique");
                }
                String type = text(b, "type", path + ".type").orElseThrow(() -> error(path + ".type",
                        "is required (e.g. emulator)"));
                if (!TYPE.matcher(type).matches()) {
                    throw error(path + ".type", "'" + type + "' is not a backend type (lower case letters, digits "
                            + "and -)");
                }
                Optional<Integer> maxConcurrent = Optional.empty();
                JsonNode mc = b.get("max_concurrent");
                if (mc != null) {
                    if (!mc.isIntegralNumber() || !mc.canConvertToInt() || mc.intValue() < 1
                            || mc.intValue() > MAX_CONCURRENT_LIMIT) {
                        throw error(path + ".max_concurrent", "must be an integer from 1 to " + MAX_CONCURRENT_LIMIT
                                + ", got " + show(mc));
                    }
                    maxConcurrent = Optional.of(mc.intValue());
                }
                Map<String, Object> config = Map.of();
                JsonNode c = b.get("config");
                if (c != null) {
                    requireObject(c, path + ".config", "must be a map of the backend type's settings");
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) plain(c, path + ".config");
                    config = m;
                }
                out.add(new SiteBackend(name, type, maxConcurrent, config, path));
            }
            return out;
        }

        /** The YAML value as plain Java values, refusing nulls. */
        private Object plain(JsonNode node, String path) {
            if (node.isObject()) {
                Map<String, Object> m = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    m.put(e.getKey(), plain(e.getValue(), path + "." + e.getKey()));
                }
                return m;
            }
            if (node.isArray()) {
                List<Object> l = new ArrayList<>();
                for (int i = 0; i < node.size(); i++) {
                    l.add(plain(node.get(i), path + "[" + i + "]"));
                }
                return l;
            }
            if (node.isNull()) {
                throw error(path, "has no value; give one or leave the key out");
            }
            if (node.isInt()) {
                return node.intValue();
            }
            if (node.isLong()) {
                return node.longValue();
            }
            if (node.isBigInteger()) {
                return node.bigIntegerValue();
            }
            if (node.isNumber()) {
                return node.doubleValue();
            }
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            return node.asText();
        }

        private Optional<String> text(JsonNode parent, String key) {
            return text(parent, key, key);
        }

        private Optional<String> text(JsonNode parent, String key, String path) {
            JsonNode v = parent.get(key);
            if (v == null) {
                return Optional.empty();
            }
            if (v.isNull()) {
                throw error(path, "has no value; give one or leave the key out");
            }
            if (!v.isTextual()) {
                throw error(path, "must be text, got " + show(v));
            }
            if (v.asText().isBlank()) {
                throw error(path, "must not be blank");
            }
            return Optional.of(v.asText());
        }

        private Optional<Duration> duration(JsonNode parent, String key, String path, Duration min, Duration max) {
            JsonNode v = parent.get(key);
            if (v == null) {
                return Optional.empty();
            }
            Optional<Duration> d = v.isTextual() ? parseDuration(v.asText()) : Optional.empty();
            if (d.isEmpty()) {
                throw error(path, "must be a duration with a unit, like 500ms, 20s, 2m or 1h; got " + show(v));
            }
            if (d.get().compareTo(min) < 0 || d.get().compareTo(max) > 0) {
                throw error(path, "must be from " + format(min) + " to " + format(max) + ", got " + v.asText());
            }
            return d;
        }

        private void requireObject(JsonNode node, String path, String problem) {
            if (!node.isObject()) {
                throw error(path, problem + "; got " + show(node));
            }
        }

        private void requireKnownKeys(JsonNode node, String path, List<String> known) {
            Set<String> allowed = Set.copyOf(known);
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!allowed.contains(key)) {
                    throw error(path.isEmpty() ? key : path + "." + key, "unknown key; expected one of "
                            + String.join(", ", known));
                }
            }
        }

        private InvalidAgentConfigException error(String path, String problem) {
            return InvalidAgentConfigException.at(source, path, problem);
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
    }

    static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
