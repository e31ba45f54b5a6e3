package dev.qfed.agent.spi;

import java.util.Map;

/**
 * Makes backends of one type. Implementations are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.qfed.agent.spi.BackendFactory} and give it a public no-argument constructor.
 *
 * <p>A factory is stateless; the agent calls {@link #create} once for each backend of its {@link #type()} in the
 * site configuration, at start-up, before it registers with the broker.
 */
public interface BackendFactory {
    /**
     * The value of {@code type:} in the site configuration that selects this factory, e.g. {@code emulator}.
     * Lower case letters, digits and hyphens; unique among the factories on the class path.
     */
    String type();

    /**
     * Makes a backend.
     *
     * @param name    the backend's name as configured; unique across the consortium, and what
     *                {@link Backend#describe()} must report
     * @param config  the backend's {@code config:} section: keys to plain values ({@link String}, {@link Integer},
     *                {@link Long}, {@link Double}, {@link Boolean}, {@link java.util.List}, {@link Map}); read it
     *                with {@link BackendConfig}, which refuses unknown keys
     * @param context what the agent offers its backends (where relative paths resolve, a clock, a logger)
     * @return a ready backend; the agent closes it when it stops
     * @throws InvalidBackendConfigException when the configuration is wrong; its key is relative to
     *                                       {@code config}, the agent prefixes the backend's path
     */
    Backend create(String name, Map<String, Object> config, BackendContext context);
}
