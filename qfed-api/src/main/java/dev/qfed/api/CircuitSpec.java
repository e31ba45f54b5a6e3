package dev.qfed.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;
import java.util.Optional;

/**
 * One circuit of a job, as submitted and as handed to the agent.
 *
 * @param qasm       OpenQASM 2.0 or 3 source text (the version is read from its {@code OPENQASM} header)
 * @param name       an optional label, echoed in results
 * @param parameters values of the circuit's OpenQASM 3 {@code input} parameters; every input needs one
 */
public record CircuitSpec(@JsonProperty(required = true) String qasm, Optional<String> name,
                          Map<String, Double> parameters) {
    public CircuitSpec {
        qasm = Checks.text(qasm, "qasm");
        name = Checks.optional(name);
        parameters = Checks.map(parameters, "parameters");
    }

    /** A circuit without name or parameters. */
    public static CircuitSpec of(String qasm) {
        return new CircuitSpec(qasm, Optional.empty(), Map.of());
    }
}
