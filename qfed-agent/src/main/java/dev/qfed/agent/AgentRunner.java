package dev.qfed.agent;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Runs a site agent in the foreground until the process is told to stop: {@code qfed agent --config site.yaml}
 * calls {@link #run(Path, PrintStream)}. SIGTERM and SIGINT (Ctrl-C) drain the agent (see
 * {@link SiteAgent#close()}) before the process exits.
 *
 * <p>Exit codes, as the rest of the CLI: 0 after a drain, 2 usage, 3 invalid site file or a registration the
 * broker refused as invalid, 5 a registration the broker refused as not allowed (token without the AGENT role,
 * a backend name another member holds is 3).
 */
public final class AgentRunner {
    /** Exit code: stopped after a drain. */
    public static final int OK = 0;
    /** Exit code: wrong arguments. */
    public static final int USAGE = 2;
    /** Exit code: the site file is wrong, or the broker refused the registration as invalid. */
    public static final int INVALID_INPUT = 3;
    /** Exit code: the broker did not allow the registration (authentication or authorisation). */
    public static final int NOT_ALLOWED = 5;

    private AgentRunner() {
    }

    /**
     * Loads the site file (with {@code QFED_*} overrides from the environment), starts the agent and blocks until
     * it has stopped, draining it when the JVM shuts down.
     *
     * @param err where to print a one-line reason when the agent cannot start or is refused
     * @return the exit code
     */
    public static int run(Path configFile, PrintStream err) {
        AgentConfig config;
        SiteAgent agent;
        try {
            config = AgentConfig.load(configFile);
            agent = SiteAgent.start(config);
        } catch (InvalidAgentConfigException e) {
            err.println("qfed agent: " + e.getMessage());
            return INVALID_INPUT;
        } catch (IllegalStateException | IllegalArgumentException e) {
            err.println("qfed agent: " + e.getMessage());
            return INVALID_INPUT;
        }
        Thread hook = new Thread(agent::close, "qfed-agent-drain");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            agent.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            agent.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is what stopped the agent
        }
        if (agent.failure().isPresent()) {
            err.println("qfed agent: " + agent.failure().get());
            int status = agent.failureStatus();
            return status == 401 || status == 403 ? NOT_ALLOWED : INVALID_INPUT;
        }
        return OK;
    }

    /** {@code java -cp … dev.qfed.agent.AgentRunner --config site.yaml}. */
    public static void main(String[] args) {
        if (args.length != 2 || !args[0].equals("--config")) {
            System.err.println("usage: qfed agent --config SITE.yaml");
            System.exit(USAGE);
        }
        System.exit(run(Path.of(args[1]), System.err));
    }
}
