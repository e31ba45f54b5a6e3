package dev.qfed.circuit.qasm;

import dev.qfed.circuit.Expr;
import dev.qfed.circuit.GateModifier;
import dev.qfed.circuit.GateOperation;
import dev.qfed.circuit.StandardGate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * OpenQASM 3 {@code gate} definitions for the standard gates that {@code stdgates.inc} lacks, so a printed circuit
 * can still name them. Each body is written with stdgates gates, built-ins and modifiers and equals the gate's
 * library matrix exactly, global phase included (tests multiply the bodies out). Bodies refer to the formal
 * parameters as {@link Expr.Parameter}s and to the formal qubits by position.
 */
final class V3GateDefinitions {
    private static final List<String> QUBITS = List.of("a", "b", "c", "d", "e");

    /** A gate definition: formal parameter and qubit names, and the body. */
    record Definition(StandardGate gate, List<String> params, List<String> qubits, List<GateOperation> body) {
        Definition {
            params = List.copyOf(params);
            qubits = List.copyOf(qubits);
            body = List.copyOf(body);
        }
    }

    private V3GateDefinitions() {
    }

    /** The definition to print for a gate outside {@code stdgates.inc}; empty for stdgates gates and built-ins. */
    static Optional<Definition> of(StandardGate gate) {
        Builder b = switch (gate) {
            case U0 -> new Builder(gate, "gamma").call(StandardGate.U, c(0), c(0), c(0), 0);
            case LOWER_U -> new Builder(gate, "theta", "phi", "lambda")
                    .call(StandardGate.U, p("theta"), p("phi"), p("lambda"), 0);
            case SXDG -> new Builder(gate).modified(List.of(new GateModifier.Inverse()), StandardGate.SX, 0);
            case CU1 -> new Builder(gate, "lambda").call(StandardGate.CP, p("lambda"), 0, 1);
            case CU3 -> new Builder(gate, "theta", "phi", "lambda").op(new GateOperation(StandardGate.U,
                    List.of(p("theta"), p("phi"), p("lambda")), List.of(new GateModifier.Ctrl(1)), List.of(0, 1)));
            case CSX -> new Builder(gate).modified(List.of(new GateModifier.Ctrl(1)), StandardGate.SX, 0, 1);
            // H⊗H turns exp(−iθ/2 Z⊗Z) into exp(−iθ/2 X⊗X); cx·rz·cx is exp(−iθ/2 Z⊗Z) exactly
            case RXX -> new Builder(gate, "theta").call(StandardGate.H, 0).call(StandardGate.H, 1)
                    .call(StandardGate.CX, 0, 1).call(StandardGate.RZ, p("theta"), 1).call(StandardGate.CX, 0, 1)
                    .call(StandardGate.H, 0).call(StandardGate.H, 1);
            case RZZ -> new Builder(gate, "theta").call(StandardGate.CX, 0, 1).call(StandardGate.RZ, p("theta"), 1)
                    .call(StandardGate.CX, 0, 1);
            // Qiskit's own definitions (u2(0, π) is h exactly, u1(±π/4) is t / tdg exactly)
            case RCCX -> new Builder(gate).call(StandardGate.H, 2).call(StandardGate.T, 2).call(StandardGate.CX, 1, 2)
                    .call(StandardGate.TDG, 2).call(StandardGate.CX, 0, 2).call(StandardGate.T, 2)
                    .call(StandardGate.CX, 1, 2).call(StandardGate.TDG, 2).call(StandardGate.H, 2);
            case RC3X -> new Builder(gate).call(StandardGate.H, 3).call(StandardGate.T, 3).call(StandardGate.CX, 2, 3)
                    .call(StandardGate.TDG, 3).call(StandardGate.H, 3).call(StandardGate.CX, 0, 3)
                    .call(StandardGate.T, 3).call(StandardGate.CX, 1, 3).call(StandardGate.TDG, 3)
                    .call(StandardGate.CX, 0, 3).call(StandardGate.T, 3).call(StandardGate.CX, 1, 3)
                    .call(StandardGate.TDG, 3).call(StandardGate.H, 3).call(StandardGate.T, 3)
                    .call(StandardGate.CX, 2, 3).call(StandardGate.TDG, 3).call(StandardGate.H, 3);
            case C3X -> new Builder(gate).modified(List.of(new GateModifier.Ctrl(3)), StandardGate.X, 0, 1, 2, 3);
            case C3SQRTX -> new Builder(gate).modified(List.of(new GateModifier.Ctrl(3)), StandardGate.SX,
                    0, 1, 2, 3);
            case C4X -> new Builder(gate).modified(List.of(new GateModifier.Ctrl(4)), StandardGate.X, 0, 1, 2, 3, 4);
            default -> null;
        };
        return Optional.ofNullable(b).map(Builder::build);
    }

    private static Expr c(double v) {
        return Expr.constant(v);
    }

    private static Expr p(String name) {
        return new Expr.Parameter(name);
    }

    private static final class Builder {
        private final StandardGate gate;
        private final List<String> params;
        private final List<GateOperation> body = new ArrayList<>();

        Builder(StandardGate gate, String... params) {
            this.gate = gate;
            this.params = List.of(params);
        }

        Builder call(StandardGate g, int... qubits) {
            return op(new GateOperation(g, List.of(), List.of(), boxed(qubits)));
        }

        Builder call(StandardGate g, Expr p0, int... qubits) {
            return op(new GateOperation(g, List.of(p0), List.of(), boxed(qubits)));
        }

        Builder call(StandardGate g, Expr p0, Expr p1, Expr p2, int... qubits) {
            return op(new GateOperation(g, List.of(p0, p1, p2), List.of(), boxed(qubits)));
        }

        Builder modified(List<GateModifier> modifiers, StandardGate g, int... qubits) {
            return op(new GateOperation(g, List.of(), modifiers, boxed(qubits)));
        }

        Builder op(GateOperation op) {
            body.add(op);
            return this;
        }

        Definition build() {
            return new Definition(gate, params, QUBITS.subList(0, gate.numQubits()), body);
        }

        private static List<Integer> boxed(int... qubits) {
            return java.util.Arrays.stream(qubits).boxed().toList();
        }
    }
}
