package dev.qfed.circuit.qasm;

import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.ComplexMatrix;
import dev.qfed.circuit.GateOperation;
import dev.qfed.circuit.Operation;

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
            acc = embed(g.matrix(), numQubits, g.qubits()).multiply(acc);
        }
        return acc;
    }

    /** Applies {@code gate} to {@code qubits} (gate bit j = qubit qubits[j]); a 1x1 gate scales everything. */
    static ComplexMatrix embed(ComplexMatrix gate, int n, List<Integer> qubits) {
        int dim = 1 << n;
        int k = qubits.size();
        double[] out = new double[2 * dim * dim];
        for (int col = 0; col < dim; col++) {
            int in = 0;
            int rest = col;
            for (int j = 0; j < k; j++) {
                in |= ((col >>> qubits.get(j)) & 1) << j;
                rest &= ~(1 << qubits.get(j));
            }
            for (int r = 0; r < (1 << k); r++) {
                int row = rest;
                for (int j = 0; j < k; j++) {
                    row |= ((r >>> j) & 1) << qubits.get(j);
                }
                out[2 * (row * dim + col)] += gate.re(r, in);
                out[2 * (row * dim + col) + 1] += gate.im(r, in);
            }
        }
        return ComplexMatrix.of(dim, out);
    }
}
