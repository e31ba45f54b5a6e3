package dev.qfed.emulator;

import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.Expr;
import dev.qfed.circuit.GateModifier;
import dev.qfed.circuit.GateOperation;
import dev.qfed.circuit.Register;
import dev.qfed.circuit.StandardGate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Seeded random circuits over every standard gate, with inv, pow, ctrl and negctrl modifiers. */
final class RandomCircuits {
    private RandomCircuits() {
    }

    static Circuit unitary(long seed, int numQubits, int numGates) {
        Random rnd = new Random(seed);
        List<StandardGate> gates = new ArrayList<>();
        for (StandardGate g : StandardGate.values()) {
            if (g.numQubits() <= numQubits) {
                gates.add(g);
            }
        }
        List<dev.qfed.circuit.Operation> ops = new ArrayList<>();
        for (int i = 0; i < numGates; i++) {
            ops.add(randomGate(rnd, gates.get(rnd.nextInt(gates.size())), numQubits));
        }
        return new Circuit(List.of(Register.of("q", numQubits)), List.of(), List.of(), ops);
    }

    static GateOperation randomGate(Random rnd, StandardGate gate, int numQubits) {
        List<Expr> params = new ArrayList<>();
        for (int p = 0; p < gate.numParams(); p++) {
            params.add(Expr.constant(rnd.nextDouble(-2 * Math.PI, 2 * Math.PI)));
        }
        List<GateModifier> modifiers = new ArrayList<>();
        int free = numQubits - gate.numQubits();
        if (rnd.nextInt(4) == 0) {
            modifiers.add(new GateModifier.Inverse());
        }
        if (rnd.nextInt(5) == 0) {
            double k = rnd.nextBoolean() ? rnd.nextInt(-3, 4) : rnd.nextDouble(-2, 2);
            modifiers.add(new GateModifier.Power(Expr.constant(k)));
        }
        if (free > 0 && rnd.nextInt(3) == 0) {
            int c = 1 + rnd.nextInt(Math.min(2, free));
            modifiers.add(rnd.nextBoolean() ? new GateModifier.Ctrl(c) : new GateModifier.NegCtrl(c));
            free -= c;
        }
        if (free > 0 && rnd.nextInt(6) == 0) {
            modifiers.add(new GateModifier.NegCtrl(1));
        }
        Collections.shuffle(modifiers, rnd);
        int width = gate.numQubits() + modifiers.stream().mapToInt(GateModifier::addedQubits).sum();
        List<Integer> qubits = new ArrayList<>();
        for (int q = 0; q < numQubits; q++) {
            qubits.add(q);
        }
        Collections.shuffle(qubits, rnd);
        return new GateOperation(gate, params, modifiers, qubits.subList(0, width));
    }
}
