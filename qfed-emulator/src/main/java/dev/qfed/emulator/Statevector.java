package dev.qfed.emulator;

import java.util.Arrays;

/**
 * The final state of an ideal circuit. Amplitude i (index = Σ bit(qᵢ)·2ⁱ, Qiskit's order) is
 * {@code amplitudes[2i] + i·amplitudes[2i+1]}. The array is handed out without copying (it can be large): do not
 * modify it.
 */
public record Statevector(int numQubits, double[] amplitudes) {
    public Statevector {
        if (numQubits < 0 || numQubits > 30 || amplitudes.length != (2L << numQubits)) {
            throw new IllegalArgumentException("a statevector of " + numQubits + " qubits has " + (2L << numQubits)
                    + " doubles, got " + amplitudes.length);
        }
    }

    /** |amplitude i|². */
    public double probability(int index) {
        double re = amplitudes[2 * index];
        double im = amplitudes[2 * index + 1];
        return re * re + im * im;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Statevector s && s.numQubits == numQubits && Arrays.equals(s.amplitudes, amplitudes);
    }

    @Override
    public int hashCode() {
        return 31 * numQubits + Arrays.hashCode(amplitudes);
    }

    @Override
    public String toString() {
        return "Statevector[numQubits=" + numQubits + (numQubits <= 4 ? ", amplitudes=" + Arrays.toString(amplitudes)
                : "") + "]";
    }
}
