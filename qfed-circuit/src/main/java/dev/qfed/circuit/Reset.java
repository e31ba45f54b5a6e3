package dev.qfed.circuit;

/** Resets a qubit to |0⟩. */
public record Reset(int qubit) implements Operation {
    public Reset {
        if (qubit < 0) {
            throw new IllegalArgumentException("qubit index must be >= 0, got " + qubit);
        }
    }
}
