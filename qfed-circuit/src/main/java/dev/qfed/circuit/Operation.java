package dev.qfed.circuit;

/**
 * One step of a circuit. Qubits and classical bits are flat indices in declaration order across all registers
 * (see {@link Circuit}).
 */
public sealed interface Operation permits GateOperation, Measure, Reset, Barrier, Conditional {
}
