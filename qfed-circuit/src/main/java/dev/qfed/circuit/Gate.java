package dev.qfed.circuit;

/** What a {@link GateOperation} applies: a gate of the standard library or a declared opaque gate. */
public sealed interface Gate permits StandardGate, OpaqueGate {
    /** The name as written in OpenQASM. */
    String qasmName();

    int numQubits();

    int numParams();
}
