package dev.qfed.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one circuit of a job measured. A job's results list one per circuit, in the order the circuits were
 * submitted (the index in the list is the circuit's index).
 *
 * @param name   the circuit's {@link CircuitSpec#name() name}, when it was submitted with one, so that a client can
 *               match results to circuits by name instead of by position
 * @param counts outcome bit string (all classical bits in declaration order, bit 0 rightmost) to how many shots
 *               gave it
 * @param memory each shot's bit string in shot order, when the backend reports it
 */
public record CircuitResult(Optional<String> name, @JsonProperty(required = true) Map<String, Long> counts,
                           Optional<List<String>> memory) {
    public CircuitResult {
        name = Checks.optional(name);
        counts = Checks.map(Checks.present(counts, "counts"), "counts");
        counts.forEach((bits, n) -> Checks.nonNegative(n, "counts[" + bits + "]"));
        memory = Checks.optional(memory).map(m -> Checks.list(m, "memory"));
    }

    /** Sum of the counts: the shots this circuit ran. */
    public long shots() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Counts of an unnamed circuit, without memory. */
    public static CircuitResult of(Map<String, Long> counts) {
        return new CircuitResult(Optional.empty(), counts, Optional.empty());
    }

    /** Counts of the circuit named {@code name} (when it has one), without memory. */
    public static CircuitResult of(Optional<String> name, Map<String, Long> counts) {
        return new CircuitResult(name, counts, Optional.empty());
    }
}
