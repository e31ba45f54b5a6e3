package dev.qfed.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one circuit of a job measured.
 *
 * @param counts outcome bit string (all classical bits in declaration order, bit 0 rightmost) to how many shots
 *               gave it
 * @param memory each shot's bit string in shot order, when the backend reports it
 */
public record CircuitResult(@JsonProperty(required = true) Map<String, Long> counts, Optional<List<String>> memory) {
    public CircuitResult {
        counts = Checks.map(Checks.present(counts, "counts"), "counts");
        counts.forEach((bits, n) -> Checks.nonNegative(n, "counts[" + bits + "]"));
        memory = Checks.optional(memory).map(m -> Checks.list(m, "memory"));
    }

    /** Sum of the counts: the shots this circuit ran. */
    public long shots() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public static CircuitResult of(Map<String, Long> counts) {
        return new CircuitResult(counts, Optional.empty());
    }
}
