package dev.qfed.emulator;

import dev.qfed.circuit.Barrier;
import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.ComplexMatrix;
import dev.qfed.circuit.Conditional;
import dev.qfed.circuit.GateOperation;
import dev.qfed.circuit.Measure;
import dev.qfed.circuit.Operation;
import dev.qfed.circuit.Reset;
import dev.qfed.emulator.noise.GateNoise;
import dev.qfed.emulator.noise.NoiseModel;
import dev.qfed.emulator.noise.ReadoutError;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The exact distribution of a noisy circuit, from density matrices and Kraus channels rather than trajectories:
 * one unnormalised density matrix per value of the classical bits (a classical-quantum state), so measurements,
 * readout errors, resets and conditionals are all exact. For a few qubits only.
 */
final class DensityMatrixReference {
    private static final ComplexMatrix I = ComplexMatrix.identity(2);
    private static final ComplexMatrix X = ComplexMatrix.of(2, new double[] {0, 0, 1, 0, 1, 0, 0, 0});
    private static final ComplexMatrix Y = ComplexMatrix.of(2, new double[] {0, 0, 0, -1, 0, 1, 0, 0});
    private static final ComplexMatrix Z = ComplexMatrix.of(2, new double[] {1, 0, 0, 0, 0, 0, -1, 0});
    private static final ComplexMatrix P0 = ComplexMatrix.of(2, new double[] {1, 0, 0, 0, 0, 0, 0, 0});
    private static final ComplexMatrix P1 = ComplexMatrix.of(2, new double[] {0, 0, 0, 0, 0, 0, 1, 0});
    private static final ComplexMatrix LOWER = ComplexMatrix.of(2, new double[] {0, 0, 1, 0, 0, 0, 0, 0}); // |0⟩⟨1|

    private final int n;
    private final int numClbits;
    private final NoiseModel noise;

    private DensityMatrixReference(int n, int numClbits, NoiseModel noise) {
        this.n = n;
        this.numClbits = numClbits;
        this.noise = noise;
    }

    /** P(bit string) of {@code circuit} run on a device with {@code noise}. */
    static Map<String, Double> distribution(Circuit circuit, NoiseModel noise) {
        DensityMatrixReference ref = new DensityMatrixReference(circuit.numQubits(), circuit.numClbits(), noise);
        int dim = 1 << circuit.numQubits();
        double[] zero = new double[2 * dim * dim];
        zero[0] = 1;
        Map<String, ComplexMatrix> state = new TreeMap<>();
        state.put("0".repeat(circuit.numClbits()), ComplexMatrix.of(dim, zero));
        state = ref.apply(circuit.operations(), state);
        Map<String, Double> out = new TreeMap<>();
        state.forEach((key, rho) -> {
            double p = 0;
            for (int i = 0; i < dim; i++) {
                p += rho.re(i, i);
            }
            if (p > 1e-15) {
                out.merge(key, p, Double::sum);
            }
        });
        return out;
    }

    private Map<String, ComplexMatrix> apply(List<Operation> ops, Map<String, ComplexMatrix> state) {
        for (Operation op : ops) {
            Map<String, ComplexMatrix> next = new TreeMap<>();
            for (Map.Entry<String, ComplexMatrix> e : state.entrySet()) {
                step(op, e.getKey(), e.getValue(), next);
            }
            state = next;
        }
        return state;
    }

    private void step(Operation op, String key, ComplexMatrix rho, Map<String, ComplexMatrix> next) {
        switch (op) {
            case GateOperation g -> {
                ComplexMatrix u = UnitaryOracle.embed(g.matrix(), g.qubits(), n);
                ComplexMatrix out = u.multiply(rho).multiply(u.adjoint());
                int[] qubits = g.qubits().stream().mapToInt(Integer::intValue).toArray();
                add(next, key, gateNoise(out, noise.gate(g.gate().qasmName(), qubits)));
            }
            case Measure m -> {
                ComplexMatrix r0 = sandwich(single(P0, m.qubit()), rho);
                ComplexMatrix r1 = sandwich(single(P1, m.qubit()), rho);
                ReadoutError r = noise.readout(m.qubit());
                add(next, withBit(key, m.clbit(), 0), plus(scale(r0, 1 - r.p1Given0()), scale(r1, r.p0Given1())));
                add(next, withBit(key, m.clbit(), 1), plus(scale(r0, r.p1Given0()), scale(r1, 1 - r.p0Given1())));
            }
            case Reset r -> add(next, key, plus(sandwich(single(P0, r.qubit()), rho),
                    sandwich(single(LOWER, r.qubit()), rho)));
            case Barrier b -> add(next, key, rho);
            case Conditional c -> {
                long value = 0;
                for (int j = 0; j < c.condition().clbits().size(); j++) {
                    int bit = key.charAt(numClbits - 1 - c.condition().clbits().get(j)) - '0';
                    value |= (long) bit << j;
                }
                Map<String, ComplexMatrix> branch = new TreeMap<>(Map.of(key, rho));
                branch = apply(value == c.condition().value() ? c.then() : c.otherwise(), branch);
                branch.forEach((k, v) -> add(next, k, v));
            }
        }
    }

    /** Depolarizing on the gate's qubits, then amplitude damping and dephasing on each. */
    private ComplexMatrix gateNoise(ComplexMatrix rho, GateNoise g) {
        int[] qubits = g.qubits();
        int k = qubits.length;
        if (g.depolarizing() > 0) {
            ComplexMatrix sum = null;
            int paulis = 1 << (2 * k);
            for (int which = 1; which < paulis; which++) {
                ComplexMatrix p = ComplexMatrix.identity(1 << n);
                for (int j = 0; j < k; j++) {
                    ComplexMatrix single = switch ((which >> (2 * j)) & 3) {
                        case 1 -> X;
                        case 2 -> Y;
                        case 3 -> Z;
                        default -> I;
                    };
                    p = single(single, qubits[j]).multiply(p);
                }
                ComplexMatrix term = sandwich(p, rho);
                sum = sum == null ? term : plus(sum, term);
            }
            rho = plus(scale(rho, 1 - g.depolarizing()), scale(sum, g.depolarizing() / (paulis - 1)));
        }
        for (int j = 0; j < k; j++) {
            double gamma = g.gamma(j);
            ComplexMatrix k0 = ComplexMatrix.of(2, new double[] {1, 0, 0, 0, 0, 0, Math.sqrt(1 - gamma), 0});
            ComplexMatrix k1 = ComplexMatrix.of(2, new double[] {0, 0, Math.sqrt(gamma), 0, 0, 0, 0, 0});
            rho = plus(sandwich(single(k0, qubits[j]), rho), sandwich(single(k1, qubits[j]), rho));
            double pz = g.phaseFlip(j);
            rho = plus(scale(rho, 1 - pz), scale(sandwich(single(Z, qubits[j]), rho), pz));
        }
        return rho;
    }

    private ComplexMatrix single(ComplexMatrix m, int qubit) {
        return UnitaryOracle.embed(m, List.of(qubit), n);
    }

    private static ComplexMatrix sandwich(ComplexMatrix k, ComplexMatrix rho) {
        return k.multiply(rho).multiply(k.adjoint());
    }

    private static ComplexMatrix plus(ComplexMatrix a, ComplexMatrix b) {
        double[] out = a.data().clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += b.data()[i];
        }
        return ComplexMatrix.of(a.dim(), out);
    }

    private static ComplexMatrix scale(ComplexMatrix a, double s) {
        double[] out = a.data().clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= s;
        }
        return ComplexMatrix.of(a.dim(), out);
    }

    private static void add(Map<String, ComplexMatrix> map, String key, ComplexMatrix rho) {
        map.merge(key, rho, DensityMatrixReference::plus);
    }

    private String withBit(String key, int clbit, int value) {
        char[] c = key.toCharArray();
        c[numClbits - 1 - clbit] = (char) ('0' + value);
        return new String(c);
    }
}
