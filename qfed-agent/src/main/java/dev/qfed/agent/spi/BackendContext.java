package dev.qfed.agent.spi;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * What the agent offers a backend it creates. An interface so that it can grow without breaking adapters: new
 * methods come with defaults.
 */
public interface BackendContext {
    /** The folder relative paths in the backend's configuration resolve against: the site configuration's. */
    Path baseDirectory();

    /** The clock to time executions and stamp metadata with. */
    default Clock clock() {
        return Clock.systemUTC();
    }

    /** A logger for the backend named {@code name}: {@code dev.qfed.agent.backend.<name>}. */
    default System.Logger logger(String name) {
        return System.getLogger("dev.qfed.agent.backend." + name);
    }

    /**
     * How many executions the site runs on this backend at once (its {@code max_concurrent}); a backend that can
     * run several sizes its resources by it (the agent never runs more, and caps it by the description's own limit).
     */
    default int maxConcurrent() {
        return 1;
    }

    /** A context that resolves paths against {@code baseDirectory} and uses the system UTC clock. */
    static BackendContext of(Path baseDirectory) {
        return of(baseDirectory, 1);
    }

    /** Like {@link #of(Path)} for a backend the site runs {@code maxConcurrent} executions on at once. */
    static BackendContext of(Path baseDirectory, int maxConcurrent) {
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, got " + maxConcurrent);
        }
        return new BackendContext() {
            @Override
            public Path baseDirectory() {
                return baseDirectory;
            }

            @Override
            public int maxConcurrent() {
                return maxConcurrent;
            }
        };
    }
}
