package dev.qfed.emulator;

import dev.qfed.circuit.Barrier;
import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.ComplexMatrix;
import dev.qfed.circuit.GateOperation;
import dev.qfed.circuit.Measure;
import dev.qfed.circuit.Operation;
import java.util.ArrayList;
import java.util.List;

/**
 * Reference answers for small circuits (≤ 6 qubits), computed independently of the emulator's kernels: each gate's
 * full matrix ({@link GateOperation#matrix()}) is moved onto its qubits with a permutation and a Kronecker product,
 * and the circuit unitary is the product of those.
 */
final class UnitaryOracle {
    private UnitaryOracle() {
    }

    /** The circuit's unitary; measurements (which must be terminal) and barriers are skipped. */
    static ComplexMatrix unitary(Circuit circuit) {
        int n = circuit.numQubits();
        if (n > 6) {
            throw new IllegalArgumentException("the oracle handles at most 6 qubits");
        }
        ComplexMatrix u = ComplexMatrix.identity(1 << n);
        for (Operation op : circuit.operations()) {
            switch (op) {
                case GateOperation g -> u = embed(g.matrix(), g.qubits(), n).multiply(u);
                case Measure m -> { }
                case Barrier b -> { }
                default -> throw new IllegalArgumentException("the oracle handles gates only, got " + op);
            }
        }
        return u;
    }

    /** U|0…0⟩, interleaved. */
    static double[] statevector(Circuit circuit) {
        ComplexMatrix u = unitary(circuit);
        double[] out = new double[2 * u.dim()];
        for (int r = 0; r < u.dim(); r++) {
            out[2 * r] = u.re(r, 0);
            out[2 * r + 1] = u.im(r, 0);
        }
        return out;
    }

    /** {@code m} acting on {@code qubits} (matrix bit j = qubits[j]) of an n-qubit register: P†(I ⊗ m)P. */
    static ComplexMatrix embed(ComplexMatrix m, List<Integer> qubits, int n) {
        int k = qubits.size();
        List<Integer> order = new ArrayList<>(qubits); // new bit position j holds old qubit order[j]
        for (int q = 0; q < n; q++) {
            if (!qubits.contains(q)) {
                order.add(q);
            }
        }
        int dim = 1 << n;
        double[] p = new double[2 * dim * dim];
        for (int i = 0; i < dim; i++) {
            int moved = 0;
            for (int j = 0; j < n; j++) {
                moved |= ((i >> order.get(j)) & 1) << j;
            }
            p[2 * (moved * dim + i)] = 1;
        }
        ComplexMatrix perm = ComplexMatrix.of(dim, p);
        ComplexMatrix lifted = ComplexMatrix.identity(1 << (n - k)).kron(m);
        return perm.adjoint().multiply(lifted).multiply(perm);
    }
}
