package dev.qfed.server.agents;

import dev.qfed.api.AgentRegistration;
import dev.qfed.api.Backend;
import dev.qfed.api.BackendRegistration;
import dev.qfed.api.ErrorCode;
import dev.qfed.api.RegisterAgentRequest;
import dev.qfed.server.ApiException;
import dev.qfed.server.ServerConfig;
import dev.qfed.server.agents.AgentStore.AgentRow;
import dev.qfed.server.backends.BackendCatalog;
import dev.qfed.server.backends.BackendStore;
import dev.qfed.server.backends.BackendStore.BackendRow;
import dev.qfed.server.identity.Principal;
import dev.qfed.server.identity.Role;
import dev.qfed.server.store.Ids;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Agents and the backends they offer. An agent acts for the member its token names, and only that member's
 * backends: a backend name is the member's once registered, and another member's agent cannot take it over.
 */
public final class AgentService {
    private static final Logger LOG = LoggerFactory.getLogger(AgentService.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern GATE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,31}");
    private static final int MAX_BACKENDS = 64;
    private static final int MAX_QUBITS = 100_000;
    private static final int MAX_KNOWN = 10_000;

    private final Jdbi jdbi;
    private final AgentStore agents;
    private final BackendStore backends;
    private final BackendCatalog catalog;
    private final Ids ids;
    private final Clock clock;
    private final ServerConfig config;
    /**
     * Agents by id, as {@link #agentOf} found or {@link #register} wrote them, so that an agent's every lease poll
     * and report does not read its row. Sound across replicas because what callers use of the row never changes for
     * an id (its member and name; agents are not deleted); version and last-seen time may be stale here.
     */
    private final Map<String, AgentRow> known = new ConcurrentHashMap<>();

    public AgentService(Jdbi jdbi, AgentStore agents, BackendStore backends, BackendCatalog catalog, Ids ids,
                        Clock clock, ServerConfig config) {
        this.jdbi = jdbi;
        this.agents = agents;
        this.backends = backends;
        this.catalog = catalog;
        this.ids = ids;
        this.clock = clock;
        this.config = config;
    }

    /** Registers (or re-registers) an agent and replaces the list of backends it offers. */
    public AgentRegistration register(Principal caller, RegisterAgentRequest request) {
        requireAgent(caller);
        validate(request);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        AgentRow agent = jdbi.inTransaction(h -> {
            agents.ensureMember(h, caller.member(), now);
            AgentRow row = agents.findByName(h, caller.member(), request.name()).orElse(null);
            if (row == null) {
                row = new AgentRow(ids.next(), caller.member(), request.name(), request.version(), now, now);
                agents.insert(h, row);
            } else {
                agents.update(h, row.id(), request.version(), now);
            }
            for (BackendRegistration b : request.backends()) {
                Optional<String> owner = backends.lockOwner(h, b.name());
                if (owner.isPresent() && !owner.get().equals(caller.member())) {
                    throw ApiException.field(ErrorCode.BACKEND_NAME_TAKEN, "backends", "backend name '" + b.name()
                            + "' belongs to member " + owner.get() + "; choose another name");
                }
                BackendRow backend = new BackendRow(b.name(), caller.member(), Optional.of(row.id()), b.numQubits(),
                        b.nativeGates(), b.effectiveSupportedGates(), b.description(), now, Optional.of(now));
                if (owner.isPresent()) {
                    backends.update(h, backend);
                } else {
                    backends.insert(h, backend);
                }
            }
            backends.detachOthers(h, row.id(), request.backends().stream().map(BackendRegistration::name).toList());
            return row;
        });
        remember(agent);
        catalog.refresh();
        Set<String> mine = new HashSet<>(request.backends().stream().map(BackendRegistration::name).toList());
        List<Backend> offered = catalog.list().stream().filter(b -> mine.contains(b.name())).toList();
        LOG.atInfo().addKeyValue("agent_id", agent.id()).addKeyValue("member", caller.member())
                .addKeyValue("backends", mine).log("agent registered");
        return new AgentRegistration(agent.id(), caller.member(), request.name(), offered,
                config.leaseDuration().toMillis(), config.heartbeatInterval().toMillis());
    }

    /** The caller's agent; another member's agent does not exist for the caller. */
    public AgentRow agentOf(Principal caller, String agentId) {
        requireAgent(caller);
        return Optional.ofNullable(known.get(agentId))
                .or(() -> jdbi.withHandle(h -> agents.find(h, agentId)).map(this::remember))
                .filter(a -> a.member().equals(caller.member()))
                .orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND, "there is no agent " + agentId
                        + " of member " + caller.member() + "; register first with POST /v1/agents/register"));
    }

    private AgentRow remember(AgentRow agent) {
        if (known.size() >= MAX_KNOWN) {
            known.clear(); // agents are few; this only bounds memory however many register over the years
        }
        known.put(agent.id(), agent);
        return agent;
    }

    public static void requireAgent(Principal caller) {
        if (!caller.has(Role.AGENT)) {
            throw ApiException.of(ErrorCode.FORBIDDEN, "this call is for site agents: the token of " + caller.user()
                    + " (member " + caller.member() + ") lacks the AGENT role");
        }
    }

    private static void validate(RegisterAgentRequest request) {
        requireName(request.name(), "name");
        if (request.backends().size() > MAX_BACKENDS) {
            throw ApiException.field(ErrorCode.LIMIT_EXCEEDED, "backends", "an agent may offer at most "
                    + MAX_BACKENDS + " backends");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < request.backends().size(); i++) {
            BackendRegistration b = request.backends().get(i);
            String field = "backends[" + i + "]";
            requireName(b.name(), field + ".name");
            if (!seen.add(b.name())) {
                throw ApiException.field(ErrorCode.INVALID_REQUEST, field + ".name", "backend '" + b.name()
                        + "' is listed twice");
            }
            if (b.numQubits() < 1 || b.numQubits() > MAX_QUBITS) {
                throw ApiException.field(ErrorCode.INVALID_REQUEST, field + ".num_qubits", "num_qubits must be "
                        + "between 1 and " + MAX_QUBITS + ", got " + b.numQubits());
            }
            if (b.effectiveSupportedGates().isEmpty()) {
                throw ApiException.field(ErrorCode.INVALID_REQUEST, field + ".native_gates",
                        "give the backend's native_gates (and supported_gates if it accepts more)");
            }
            for (String g : b.nativeGates()) {
                requireGate(g, field + ".native_gates");
            }
            for (String g : b.supportedGates()) {
                requireGate(g, field + ".supported_gates");
            }
            if (String.join(",", b.supportedGates()).length() > 4000 || String.join(",", b.nativeGates()).length() > 2000) {
                throw ApiException.field(ErrorCode.LIMIT_EXCEEDED, field, "too many gate names");
            }
            if (b.description().map(d -> d.length() > 1000).orElse(false)) {
                throw ApiException.field(ErrorCode.INVALID_REQUEST, field + ".description",
                        "a description may have at most 1000 characters");
            }
        }
    }

    private static void requireName(String value, String field) {
        if (!NAME.matcher(value).matches()) {
            throw ApiException.field(ErrorCode.INVALID_REQUEST, field, field + " '" + value
                    + "' must be 1 to 64 letters, digits or ._- and start with a letter or digit");
        }
    }

    private static void requireGate(String gate, String field) {
        if (!GATE.matcher(gate).matches()) {
            throw ApiException.field(ErrorCode.INVALID_REQUEST, field, "'" + gate + "' is not an OpenQASM gate name");
        }
    }
}
