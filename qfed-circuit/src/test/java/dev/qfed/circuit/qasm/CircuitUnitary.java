package dev.qfed.circuit.qasm;

import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.ComplexMatrix;
import dev.qfed.circuit.GateOperation;
import dev.qfed.circuit.Operation;
import dev.qfed.circuit.Unitaries;

import java.util.List;

/** Test helper: the unitary of a gate-only circuit or gate body, by embedding each operation's matrix. */
final class CircuitUnitary {
    private CircuitUnitary() {
    }

    static ComplexMatrix of(Circuit circuit) {
        return of(circuit.operations(), circuit.numQubits());
    }

    static ComplexMatrix of(List<? extends Operation> ops, int numQubits) {
        ComplexMatrix acc = ComplexMatrix.identity(1 << numQubits);
        for (Operation op : ops) {
            if (!(op instanceof GateOperation g)) {
                throw new IllegalArgumentException("not a gate: " + op);
            }
            acc = Unitaries.embed(g.matrix(), numQubits, g.qubits()).multiply(acc);
        }
        return acc;
    }
}
