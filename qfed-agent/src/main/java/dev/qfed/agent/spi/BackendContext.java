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

    /** A context that resolves paths against {@code baseDirectory} and uses the system UTC clock. */
    static BackendContext of(Path baseDirectory) {
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        return () -> baseDirectory;
    }
}
