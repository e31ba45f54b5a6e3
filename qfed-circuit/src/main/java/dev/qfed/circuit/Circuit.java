package dev.qfed.circuit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable quantum circuit: the IR every front end produces and every backend consumes.
 *
 * <p>Qubits are numbered 0…n−1 across {@code qregs} in declaration order (the first register's bit 0 is qubit 0),
 * and classical bits likewise across {@code cregs}. That is Qiskit's order: the amplitude index of a state is
 * Σ bit(qᵢ)·2ⁱ, and a classical bit string lists all classical bits with bit 0 rightmost.
 *
 * <p>User-defined gates, loops and constants are expanded by the front end; what remains is gates of the
 * {@link StandardGate standard library} (possibly with {@link GateModifier modifiers}), declared opaque gates,
 * measurements, resets, barriers and classically conditioned blocks. Gate parameters are constants except where
 * they mention an {@link InputParameter input}, bound with {@link #bind(Map)} before a run.
 */
public record Circuit(List<Register> qregs, List<Register> cregs, List<InputParameter> inputs,
                      List<Operation> operations) {

    public Circuit {
        qregs = List.copyOf(qregs);
        cregs = List.copyOf(cregs);
        inputs = List.copyOf(inputs);
        operations = List.copyOf(operations);
        Set<String> names = new HashSet<>();
        for (Register r : qregs) {
            requireUniqueName(names, r.name());
        }
        for (Register r : cregs) {
            requireUniqueName(names, r.name());
        }
        for (InputParameter p : inputs) {
            requireUniqueName(names, p.name());
        }
        int nq = qregs.stream().mapToInt(Register::size).sum();
        int nc = cregs.stream().mapToInt(Register::size).sum();
        checkIndices(operations, nq, nc);
    }

    public int numQubits() {
        return qregs.stream().mapToInt(Register::size).sum();
    }

    public int numClbits() {
        return cregs.stream().mapToInt(Register::size).sum();
    }

    /** The inputs still to be bound: those declared and mentioned by no bound value yet. */
    public Set<String> unboundParameters() {
        Set<String> names = new java.util.TreeSet<>();
        collectParameters(operations, names);
        return names;
    }

    /**
     * This circuit with the named inputs replaced by values; bound inputs are dropped from {@link #inputs()}.
     *
     * @throws IllegalArgumentException when a name is not an input of this circuit
     */
    public Circuit bind(Map<String, Double> values) {
        Set<String> declared = new HashSet<>();
        inputs.forEach(p -> declared.add(p.name()));
        for (String name : values.keySet()) {
            if (!declared.contains(name)) {
                throw new IllegalArgumentException("the circuit has no input named '" + name + "'"
                        + (declared.isEmpty() ? "" : "; its inputs are " + new java.util.TreeSet<>(declared)));
            }
        }
        List<InputParameter> remaining = inputs.stream().filter(p -> !values.containsKey(p.name())).toList();
        return new Circuit(qregs, cregs, remaining, bind(operations, values));
    }

    private static List<Operation> bind(List<Operation> ops, Map<String, Double> values) {
        List<Operation> out = new ArrayList<>(ops.size());
        for (Operation op : ops) {
            out.add(switch (op) {
                case GateOperation g -> new GateOperation(g.gate(),
                        g.params().stream().map(e -> e.bind(values)).toList(),
                        g.modifiers().stream().map(m -> m instanceof GateModifier.Power p
                                ? new GateModifier.Power(p.exponent().bind(values)) : m).toList(),
                        g.qubits());
                case Conditional c -> new Conditional(c.condition(), bind(c.then(), values),
                        bind(c.otherwise(), values));
                case Measure m -> m;
                case Reset r -> r;
                case Barrier b -> b;
            });
        }
        return out;
    }

    private static void collectParameters(List<Operation> ops, Set<String> names) {
        for (Operation op : ops) {
            switch (op) {
                case GateOperation g -> {
                    g.params().forEach(e -> names.addAll(e.parameters()));
                    g.modifiers().forEach(m -> {
                        if (m instanceof GateModifier.Power p) {
                            names.addAll(p.exponent().parameters());
                        }
                    });
                }
                case Conditional c -> {
                    collectParameters(c.then(), names);
                    collectParameters(c.otherwise(), names);
                }
                case Measure m -> { }
                case Reset r -> { }
                case Barrier b -> { }
            }
        }
    }

    private static void requireUniqueName(Set<String> names, String name) {
        if (!names.add(name)) {
            throw new IllegalArgumentException("name '" + name + "' is declared twice");
        }
    }

    private static void checkIndices(List<Operation> ops, int nq, int nc) {
        for (Operation op : ops) {
            switch (op) {
                case GateOperation g -> g.qubits().forEach(q -> checkQubit(q, nq));
                case Measure m -> {
                    checkQubit(m.qubit(), nq);
                    checkClbit(m.clbit(), nc);
                }
                case Reset r -> checkQubit(r.qubit(), nq);
                case Barrier b -> b.qubits().forEach(q -> checkQubit(q, nq));
                case Conditional c -> {
                    c.condition().clbits().forEach(b -> checkClbit(b, nc));
                    checkIndices(c.then(), nq, nc);
                    checkIndices(c.otherwise(), nq, nc);
                }
            }
        }
    }

    private static void checkQubit(int q, int nq) {
        if (q >= nq) {
            throw new IllegalArgumentException("qubit " + q + " is out of range: the circuit has " + nq + " qubit(s)");
        }
    }

    private static void checkClbit(int c, int nc) {
        if (c >= nc) {
            throw new IllegalArgumentException("classical bit " + c + " is out of range: the circuit has " + nc
                    + " bit(s)");
        }
    }
}
