package dev.qfed.circuit;

import java.util.Objects;

/**
 * A declared register of qubits or classical bits. {@code scalar} marks OpenQASM 3's single {@code qubit q;} /
 * {@code bit c;}, referred to without an index; such a register has size 1.
 */
public record Register(String name, int size, boolean scalar) {
    public Register {
        Objects.requireNonNull(name, "name");
        if (size < 1) {
            throw new IllegalArgumentException("register " + name + " must have at least one bit, got " + size);
        }
        if (scalar && size != 1) {
            throw new IllegalArgumentException("scalar register " + name + " has size 1, got " + size);
        }
    }

    public static Register of(String name, int size) {
        return new Register(name, size, false);
    }
}
