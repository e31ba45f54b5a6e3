package dev.qfed.emulator.fusion;

import java.util.List;

/**
 * The result of {@link GateFuser#fuse}: the gates to apply in order, and what fusion did.
 *
 * @param gates      the fused gates; each is one pass over the state
 * @param inputGates gates before fusion
 * @param merged     output gates that combine two or more input gates
 */
public record FusedCircuit(List<UnitaryGate> gates, int inputGates, int merged) {
    public FusedCircuit {
        gates = List.copyOf(gates);
    }

    /** Passes over the state: one per output gate. */
    public int passes() {
        return gates.size();
    }
}
