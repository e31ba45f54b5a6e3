package dev.qfed.agent.spi;

import java.util.Objects;

/**
 * A backend's {@code config:} section is wrong. The message is {@code KEY: PROBLEM}, with the key relative to the
 * section ({@code threads}, {@code device}); the agent prefixes the backend's path in the site file, giving e.g.
 * {@code site.yaml: backends[0].config.threads: must be an integer from 1 to 1024, got 0}.
 */
public final class InvalidBackendConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String problem;

    /**
     * @param key     the offending key, relative to the {@code config:} section; empty for the section as a whole
     * @param problem what is wrong and what is allowed
     */
    public InvalidBackendConfigException(String key, String problem) {
        super(key.isEmpty() ? problem : key + ": " + problem);
        this.key = Objects.requireNonNull(key, "key");
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** The offending key relative to the section, empty for the section as a whole. */
    public String key() {
        return key;
    }

    /** What is wrong, without the key. */
    public String problem() {
        return problem;
    }
}
