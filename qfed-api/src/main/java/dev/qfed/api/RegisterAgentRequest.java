package dev.qfed.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Optional;

/**
 * Body of {@code POST /v1/agents/register}. Registering again with the same name (same member) returns the same
 * agent id and replaces its list of backends; backends left out stay known but go offline.
 *
 * @param name    the agent's name, unique within its member (for example the host name)
 * @param version the agent's software version, for operators
 */
public record RegisterAgentRequest(@JsonProperty(required = true) String name,
                                   @JsonProperty(required = true) List<BackendRegistration> backends,
                                   Optional<String> version) {
    public RegisterAgentRequest {
        name = Checks.text(name, "name");
        backends = Checks.list(Checks.present(backends, "backends"), "backends");
        version = Checks.optional(version);
    }
}
