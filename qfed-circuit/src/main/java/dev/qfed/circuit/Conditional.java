package dev.qfed.circuit;

import java.util.List;
import java.util.Objects;

/** Runs {@code then} when the condition holds when reached, else {@code otherwise} (often empty). */
public record Conditional(Condition condition, List<Operation> then, List<Operation> otherwise)
        implements Operation {
    public Conditional {
        Objects.requireNonNull(condition, "condition");
        then = List.copyOf(then);
        otherwise = List.copyOf(otherwise);
    }
}
