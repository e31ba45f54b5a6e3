package dev.qfed.circuit.qasm;

/** The OpenQASM dialects QFed reads and writes. */
public enum QasmVersion {
    V2, V3
}
