package dev.qfed.cli.dev;

import dev.qfed.agent.AgentConfig;
import dev.qfed.agent.AgentToken;
import dev.qfed.agent.SiteAgent;
import dev.qfed.cli.server.ServerCommand;
import dev.qfed.emulator.noise.DeviceDescription;
import dev.qfed.server.QfedServer;
import dev.qfed.server.ServerConfig;
import dev.qfed.server.identity.DevIssuer;
import dev.qfed.server.identity.Role;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The composition root of {@code qfed dev}: a whole consortium in one process on embedded defaults. One broker (H2
 * in file mode under the data directory, the dev issuer whose key is kept there too, so jobs and tokens survive a
 * restart) and, for each of the {@link #MEMBERS}, a real {@link SiteAgent} that reaches the broker over HTTP on the
 * loopback interface exactly as a remote site would, offering one emulated backend.
 */
public final class DevConsortium implements AutoCloseable {

    /**
     * A member of the dev consortium and the backend its site offers.
     *
     * @param name    the member's name (tokens act for it)
     * @param region  where the member's site is, in the agent's name so that logs and agent lists show it
     * @param backend the backend's name in the consortium
     * @param device  the bundled device description whose size and calibration the emulator uses
     */
    public record Member(String name, String region, String backend, String device) {
        public Member {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(backend, "backend");
            Objects.requireNonNull(device, "device");
        }

        /** The site agent's name: member and region, e.g. {@code aurora-eu-north}. */
        public String agentName() {
            return name + "-" + region;
        }

        /** The qubits of the device. */
        public int qubits() {
            return DeviceDescription.example(device).numQubits();
        }
    }

    /** Three members, each with a backend of a different size and noise. */
    public static final List<Member> MEMBERS = List.of(
            new Member("aurora", "eu-north", "aurora-lownoise-5", "low-noise-5"),
            new Member("borealis", "us-east", "borealis-noisy-20", "noisy-20"),
            new Member("cygnus", "ap-southeast", "cygnus-heavyhex-27", "heavy-hex-27"));

    /** The first port tried when none is given. */
    public static final int DEFAULT_PORT = 8080;
    /** How long an agent may take to register before {@code qfed dev} gives up. */
    private static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(60);
    /**
     * How long Ctrl-C lets running jobs finish; a job still running then is handed back and runs again after a
     * restart. Short, because a person is waiting for the prompt.
     */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(3);
    /** Agents' tokens last as long as the dev issuer allows: a dev consortium may run for days. */
    private static final Duration AGENT_TOKEN_TTL = Duration.ofDays(30);

    private final QfedServer server;
    private final List<SiteAgent> agents;
    private final Path dataDir;

    private DevConsortium(QfedServer server, List<SiteAgent> agents, Path dataDir) {
        this.server = server;
        this.agents = agents;
        this.dataDir = dataDir;
    }

    /**
     * Starts the broker and the members' agents and waits until every agent has registered its backend.
     *
     * @param port 0 picks a free port
     * @throws dev.qfed.cli.server.PortInUseException when the port is taken
     */
    public static DevConsortium start(Path dataDir, int port) {
        Set<String> members = new LinkedHashSet<>();
        MEMBERS.forEach(m -> members.add(m.name()));
        ServerConfig config = ServerConfig.builder(dataDir.toAbsolutePath())
                .host("127.0.0.1")
                .port(port)
                .devMode(true)
                .devMembers(members)
                .build();
        QfedServer server = ServerCommand.start(config);
        List<SiteAgent> agents = new ArrayList<>();
        DevConsortium consortium = new DevConsortium(server, agents, dataDir.toAbsolutePath());
        try {
            DevIssuer issuer = server.devIssuer().orElseThrow();
            for (Member m : MEMBERS) {
                String token = issuer.mint(m.name(), m.agentName(), Set.of(Role.AGENT), AGENT_TOKEN_TTL);
                AgentConfig site = AgentConfig.builder(server.baseUri(), new AgentToken.Literal(token))
                        .name(m.agentName())
                        .pollWait(Duration.ofSeconds(10))
                        .drainTimeout(DRAIN_TIMEOUT)
                        .backoff(Duration.ofMillis(200), Duration.ofSeconds(5))
                        .baseDirectory(dataDir.toAbsolutePath())
                        .backend(m.backend(), "emulator", 2, Map.of("device", m.device()))
                        .build();
                agents.add(SiteAgent.start(site));
            }
            for (int i = 0; i < agents.size(); i++) {
                if (!agents.get(i).awaitRegistered(REGISTRATION_TIMEOUT)) {
                    throw new IllegalStateException("the agent of " + MEMBERS.get(i).name() + " did not register with "
                            + "the broker within " + REGISTRATION_TIMEOUT.toSeconds() + " s"
                            + agents.get(i).failure().map(f -> ": " + f).orElse(""));
                }
            }
            return consortium;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            consortium.close();
            throw new IllegalStateException("interrupted while the agents registered", e);
        } catch (RuntimeException e) {
            consortium.close();
            throw e;
        }
    }

    /** The broker's URL, {@code http://127.0.0.1:PORT}. */
    public URI uri() {
        return server.baseUri();
    }

    /** The port the broker listens on. */
    public int port() {
        return server.port();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Drains the agents together (running jobs get {@link #DRAIN_TIMEOUT}), then stops the broker. */
    @Override
    public void close() {
        List<Thread> draining = agents.stream().map(a -> Thread.ofVirtual().start(a::close)).toList();
        for (Thread t : draining) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        server.close();
    }
}
