package dev.qfed.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Optional;

/**
 * A backend an agent offers, in {@code POST /v1/agents/register}.
 *
 * @param name           unique across the consortium; a name another member registered is refused
 * @param nativeGates    the gates the device executes natively
 * @param supportedGates the OpenQASM gate names a circuit may use (the agent transpiles them to native gates);
 *                       empty means the native gates
 */
public record BackendRegistration(@JsonProperty(required = true) String name,
                                  @JsonProperty(required = true) int numQubits,
                                  List<String> nativeGates, List<String> supportedGates,
                                  Optional<String> description) {
    public BackendRegistration {
        name = Checks.text(name, "name");
        nativeGates = Checks.list(nativeGates, "native_gates");
        supportedGates = Checks.list(supportedGates, "supported_gates");
        description = Checks.optional(description);
    }

    /** The supported gates, defaulting to the native ones. */
    public List<String> effectiveSupportedGates() {
        return supportedGates.isEmpty() ? nativeGates : supportedGates;
    }
}
