package dev.qfed.agent.spi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One circuit of a job as submitted.
 *
 * @param qasm       OpenQASM 2.0 or 3 text; includes other than the standard libraries are not allowed (the text
 *                   came over the network)
 * @param name       the submitter's label, for messages
 * @param parameters values of the circuit's OpenQASM 3 {@code input} parameters
 */
public record CircuitSource(String qasm, Optional<String> name, Map<String, Double> parameters) {
    public CircuitSource {
        Objects.requireNonNull(qasm, "qasm");
        Objects.requireNonNull(name, "name");
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** A circuit without name and parameters. */
    public static CircuitSource of(String qasm) {
        return new CircuitSource(qasm, Optional.empty(), Map.of());
    }

    /** A circuit with parameter values and no name. */
    public static CircuitSource of(String qasm, Map<String, Double> parameters) {
        return new CircuitSource(qasm, Optional.empty(), parameters);
    }
}
