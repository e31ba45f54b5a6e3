package dev.qfed.circuit;

/** Measures a qubit in the computational basis into a classical bit. */
public record Measure(int qubit, int clbit) implements Operation {
    public Measure {
        if (qubit < 0 || clbit < 0) {
            throw new IllegalArgumentException("qubit and clbit indices must be >= 0, got " + qubit + ", " + clbit);
        }
    }
}
