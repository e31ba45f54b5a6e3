package dev.qfed.emulator;

import dev.qfed.circuit.Barrier;
import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.Condition;
import dev.qfed.circuit.Conditional;
import dev.qfed.circuit.GateOperation;
import dev.qfed.circuit.InputParameter;
import dev.qfed.circuit.Measure;
import dev.qfed.circuit.Operation;
import dev.qfed.circuit.Register;
import dev.qfed.circuit.Reset;
import dev.qfed.circuit.StandardGate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Test circuits in a few lines: {@code CircuitBuilder.of(2, 2).h(0).cx(0, 1).measureAll().build()}. */
final class CircuitBuilder {
    private final int numQubits;
    private final int numClbits;
    private final List<Operation> ops = new ArrayList<>();
    private final List<InputParameter> inputs = new ArrayList<>();

    private CircuitBuilder(int numQubits, int numClbits) {
        this.numQubits = numQubits;
        this.numClbits = numClbits;
    }

    static CircuitBuilder of(int numQubits, int numClbits) {
        return new CircuitBuilder(numQubits, numClbits);
    }

    CircuitBuilder gate(StandardGate gate, List<Integer> qubits, double... params) {
        ops.add(GateOperation.of(gate, qubits, params));
        return this;
    }

    CircuitBuilder h(int q) {
        return gate(StandardGate.H, List.of(q));
    }

    CircuitBuilder x(int q) {
        return gate(StandardGate.X, List.of(q));
    }

    CircuitBuilder z(int q) {
        return gate(StandardGate.Z, List.of(q));
    }

    CircuitBuilder sx(int q) {
        return gate(StandardGate.SX, List.of(q));
    }

    CircuitBuilder rx(double theta, int q) {
        return gate(StandardGate.RX, List.of(q), theta);
    }

    CircuitBuilder ry(double theta, int q) {
        return gate(StandardGate.RY, List.of(q), theta);
    }

    CircuitBuilder cx(int c, int t) {
        return gate(StandardGate.CX, List.of(c, t));
    }

    CircuitBuilder measure(int q, int c) {
        ops.add(new Measure(q, c));
        return this;
    }

    /** Measures qubit i into clbit i for every qubit. */
    CircuitBuilder measureAll() {
        for (int q = 0; q < numQubits; q++) {
            measure(q, q);
        }
        return this;
    }

    CircuitBuilder reset(int q) {
        ops.add(new Reset(q));
        return this;
    }

    CircuitBuilder barrier(Integer... qubits) {
        ops.add(new Barrier(List.of(qubits)));
        return this;
    }

    CircuitBuilder op(Operation op) {
        ops.add(op);
        return this;
    }

    CircuitBuilder input(String name) {
        inputs.add(new InputParameter(name, InputParameter.Type.ANGLE));
        return this;
    }

    /** {@code if (clbits == value) { then }}. */
    CircuitBuilder when(List<Integer> clbits, long value, Consumer<CircuitBuilder> then) {
        CircuitBuilder body = new CircuitBuilder(numQubits, numClbits);
        then.accept(body);
        ops.add(new Conditional(new Condition(clbits, value), body.ops, List.of()));
        return this;
    }

    Circuit build() {
        return new Circuit(numQubits == 0 ? List.of() : List.of(Register.of("q", numQubits)),
                numClbits == 0 ? List.of() : List.of(Register.of("c", numClbits)), inputs, ops);
    }
}
