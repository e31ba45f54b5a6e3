package dev.qfed.circuit;

import java.util.Objects;

/** An OpenQASM 3 {@code input angle name;} or {@code input float name;}, bound when the circuit runs. */
public record InputParameter(String name, Type type) {
    public enum Type {
        ANGLE, FLOAT
    }

    public InputParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
