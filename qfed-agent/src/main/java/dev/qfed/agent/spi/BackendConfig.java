package dev.qfed.agent.spi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Typed, strict reading of a backend's {@code config:} section for {@link BackendFactory#create}. Every getter
 * remembers the key it read; {@link #requireNoOtherKeys()} then refuses whatever was not read, so a misspelt key
 * is an error rather than silently ignored. Errors are {@link InvalidBackendConfigException}s naming the key.
 *
 * <pre>{@code
 * BackendConfig c = BackendConfig.of(config);
 * String device = c.requiredString("device");
 * int threads = c.integer("threads", 1, 1024).orElse(4);
 * c.requireNoOtherKeys();
 * }</pre>
 */
public final class BackendConfig {
    private final Map<String, Object> values;
    private final Set<String> read = new LinkedHashSet<>();

    private BackendConfig(Map<String, Object> values) {
        this.values = new LinkedHashMap<>(values);
    }

    /** A reader over {@code config}. */
    public static BackendConfig of(Map<String, Object> config) {
        return new BackendConfig(Objects.requireNonNull(config, "config"));
    }

    /** Whether the key is present. Counts as reading it. */
    public boolean has(String key) {
        read.add(key);
        return values.containsKey(key);
    }

    /** A text value. */
    public Optional<String> string(String key) {
        read.add(key);
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s)) {
            throw wrongType(key, "text", v);
        }
        if (s.isBlank()) {
            throw new InvalidBackendConfigException(key, "must not be blank");
        }
        return Optional.of(s);
    }

    /** A text value that must be present. */
    public String requiredString(String key) {
        return string(key).orElseThrow(() -> new InvalidBackendConfigException(key, "is required"));
    }

    /** One of a fixed set of words (compared without regard to case); answers the allowed spelling. */
    public Optional<String> oneOf(String key, List<String> allowed) {
        Optional<String> v = string(key);
        if (v.isEmpty()) {
            return v;
        }
        for (String a : allowed) {
            if (a.equalsIgnoreCase(v.get())) {
                return Optional.of(a);
            }
        }
        throw new InvalidBackendConfigException(key, "must be one of " + String.join(", ", allowed) + ", got '"
                + v.get() + "'");
    }

    /** An integer in {@code [min, max]}. */
    public Optional<Integer> integer(String key, int min, int max) {
        return longValue(key, min, max).map(Long::intValue);
    }

    /** A long integer in {@code [min, max]}. */
    public Optional<Long> longValue(String key, long min, long max) {
        read.add(key);
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        long n;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            n = ((Number) v).longValue();
        } else if (v instanceof java.math.BigInteger) {
            throw range(key, min, max, v);
        } else {
            throw wrongType(key, "an integer", v);
        }
        if (n < min || n > max) {
            throw range(key, min, max, v);
        }
        return Optional.of(n);
    }

    /** A number (integers are accepted). */
    public Optional<Double> number(String key) {
        read.add(key);
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof Number n)) {
            throw wrongType(key, "a number", v);
        }
        return Optional.of(n.doubleValue());
    }

    /** A boolean ({@code true} or {@code false}). */
    public Optional<Boolean> bool(String key) {
        read.add(key);
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof Boolean b)) {
            throw wrongType(key, "true or false", v);
        }
        return Optional.of(b);
    }

    /** A file path; relative paths resolve against {@code baseDirectory}. */
    public Optional<Path> path(String key, Path baseDirectory) {
        return string(key).map(s -> {
            try {
                return baseDirectory.resolve(s).normalize();
            } catch (java.nio.file.InvalidPathException e) {
                throw new InvalidBackendConfigException(key, "is not a valid path: " + e.getMessage());
            }
        });
    }

    /** The raw value, for shapes the getters do not cover (lists, nested maps). */
    public Optional<Object> raw(String key) {
        read.add(key);
        return Optional.ofNullable(values.get(key));
    }

    /**
     * Fails when the section has keys no getter asked for.
     *
     * @throws InvalidBackendConfigException naming the first unknown key and the keys that were read
     */
    public void requireNoOtherKeys() {
        List<String> unknown = new ArrayList<>();
        for (String key : values.keySet()) {
            if (!read.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidBackendConfigException(unknown.get(0), "unknown key; known keys are "
                    + String.join(", ", read));
        }
    }

    private static InvalidBackendConfigException wrongType(String key, String expected, Object v) {
        return new InvalidBackendConfigException(key, "must be " + expected + ", got " + describe(v));
    }

    private static InvalidBackendConfigException range(String key, long min, long max, Object v) {
        String allowed = max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? "at least " + min
                : "from " + min + " to " + max;
        return new InvalidBackendConfigException(key, "must be an integer " + allowed + ", got " + v);
    }

    private static String describe(Object v) {
        return switch (v) {
            case String s -> "'" + s + "'";
            case List<?> l -> "a list";
            case Map<?, ?> m -> "a map";
            default -> String.valueOf(v);
        };
    }
}
