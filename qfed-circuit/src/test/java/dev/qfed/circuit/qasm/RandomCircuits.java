package dev.qfed.circuit.qasm;

import dev.qfed.circuit.Barrier;
import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.Condition;
import dev.qfed.circuit.Conditional;
import dev.qfed.circuit.Expr;
import dev.qfed.circuit.GateLibrary;
import dev.qfed.circuit.GateModifier;
import dev.qfed.circuit.GateOperation;
import dev.qfed.circuit.InputParameter;
import dev.qfed.circuit.Measure;
import dev.qfed.circuit.OpaqueGate;
import dev.qfed.circuit.Operation;
import dev.qfed.circuit.Register;
import dev.qfed.circuit.Reset;
import dev.qfed.circuit.StandardGate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;

/**
 * Seeded random circuits over each dialect's native vocabulary, in the normal form the front end produces:
 * constant sub-expressions are folded, so every subtree without an input is a single {@link Expr.Constant}.
 */
final class RandomCircuits {
    private static final List<StandardGate> V2_GATES;
    private static final List<StandardGate> V3_GATES;
    private static final List<OpaqueGate> OPAQUE = List.of(new OpaqueGate("magic", 1, 2),
            new OpaqueGate("blob", 0, 1));

    static {
        List<StandardGate> v2 = new ArrayList<>(GateLibrary.qelib1());
        v2.add(StandardGate.U);
        Collections.sort(v2);
        V2_GATES = List.copyOf(v2);
        List<StandardGate> v3 = new ArrayList<>(GateLibrary.stdgates());
        v3.add(StandardGate.U);
        v3.add(StandardGate.GPHASE);
        Collections.sort(v3);
        V3_GATES = List.copyOf(v3);
    }

    private final Random random;
    private final boolean v3;
    private final int numQubits;
    private final List<Register> qregs = new ArrayList<>();
    private final List<Register> cregs = new ArrayList<>();
    private final List<InputParameter> inputs = new ArrayList<>();

    private RandomCircuits(long seed, boolean v3) {
        this.random = new Random(seed);
        this.v3 = v3;
        List<String> qnames = List.of("q", "r", "anc");
        int total = 0;
        for (int i = 0; i < 1 + random.nextInt(3) && total < 6; i++) {
            boolean scalar = v3 && random.nextInt(3) == 0;
            int size = scalar ? 1 : Math.min(1 + random.nextInt(3), 6 - total);
            qregs.add(new Register(qnames.get(i), size, scalar));
            total += size;
        }
        numQubits = total;
        List<String> cnames = List.of("c", "m");
        for (int i = 0; i < 1 + random.nextInt(2); i++) {
            boolean scalar = v3 && random.nextInt(3) == 0;
            cregs.add(new Register(cnames.get(i), scalar ? 1 : 1 + random.nextInt(4), scalar));
        }
        if (v3) {
            if (random.nextBoolean()) {
                inputs.add(new InputParameter("theta", InputParameter.Type.ANGLE));
            }
            if (random.nextBoolean()) {
                inputs.add(new InputParameter("amp", InputParameter.Type.FLOAT));
            }
        }
    }

    /** OpenQASM 2: qelib1 gates and U, opaque gates, measure, reset, barrier, one-operation register ifs. */
    static Circuit v2(long seed) {
        return new RandomCircuits(seed, false).circuit();
    }

    /**
     * OpenQASM 3: stdgates, U and gphase with random modifiers, inputs in symbolic parameters and exponents,
     * scalar registers, measure, reset, barrier, nested if / else on registers and single bits.
     */
    static Circuit v3(long seed) {
        return new RandomCircuits(seed, true).circuit();
    }

    private Circuit circuit() {
        int count = 3 + random.nextInt(10);
        List<Operation> ops = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ops.add(operation(0));
        }
        return new Circuit(qregs, cregs, inputs, ops);
    }

    private Operation operation(int depth) {
        int roll = random.nextInt(100);
        if (roll < 60) {
            return v3 ? gateV3() : gateV2();
        } else if (roll < 70) {
            return new Measure(random.nextInt(numQubits), random.nextInt(numClbits()));
        } else if (roll < 75) {
            return new Reset(random.nextInt(numQubits));
        } else if (roll < 80 && depth == 0) {
            return new Barrier(distinctQubits(1 + random.nextInt(numQubits)));
        } else if (depth < (v3 ? 2 : 1)) {
            return conditional(depth);
        }
        return v3 ? gateV3() : gateV2();
    }

    private Conditional conditional(int depth) {
        Condition condition;
        List<Register> whole = cregs.stream().filter(r -> !r.scalar()).toList();
        if (!v3 || (!whole.isEmpty() && random.nextBoolean())) {
            Register r = whole.get(random.nextInt(whole.size()));
            int start = 0;
            for (Register other : cregs) {
                if (other == r) {
                    break;
                }
                start += other.size();
            }
            List<Integer> bits = new ArrayList<>();
            for (int k = 0; k < r.size(); k++) {
                bits.add(start + k);
            }
            condition = new Condition(bits, random.nextInt(1 << r.size()));
        } else {
            condition = new Condition(List.of(random.nextInt(numClbits())), random.nextInt(2));
        }
        if (!v3) {
            // one statement: a gate, a measurement or a reset
            int roll = random.nextInt(10);
            Operation body = roll < 7 ? gateV2() : roll < 9
                    ? new Measure(random.nextInt(numQubits), random.nextInt(numClbits()))
                    : new Reset(random.nextInt(numQubits));
            return new Conditional(condition, List.of(body), List.of());
        }
        List<Operation> then = new ArrayList<>();
        for (int i = 0; i < 1 + random.nextInt(3); i++) {
            then.add(operation(depth + 1));
        }
        List<Operation> otherwise = new ArrayList<>();
        if (random.nextBoolean()) {
            for (int i = 0; i < 1 + random.nextInt(2); i++) {
                otherwise.add(operation(depth + 1));
            }
        }
        return new Conditional(condition, then, otherwise);
    }

    private GateOperation gateV2() {
        if (random.nextInt(20) == 0) {
            OpaqueGate g = OPAQUE.get(random.nextInt(OPAQUE.size()));
            if (g.numQubits() <= numQubits) {
                return new GateOperation(g, constants(g.numParams()), List.of(), distinctQubits(g.numQubits()));
            }
        }
        StandardGate g = pick(V2_GATES, numQubits);
        return new GateOperation(g, constants(g.numParams()), List.of(), distinctQubits(g.numQubits()));
    }

    private GateOperation gateV3() {
        StandardGate g = pick(V3_GATES, numQubits);
        List<GateModifier> modifiers = new ArrayList<>();
        int spare = numQubits - g.numQubits();
        if (random.nextInt(10) < 4) {
            for (int i = 0; i < 1 + random.nextInt(3); i++) {
                int kind = random.nextInt(4);
                if (kind < 2 && spare > 0) {
                    int n = 1 + random.nextInt(Math.min(spare, 2));
                    spare -= n;
                    modifiers.add(kind == 0 ? new GateModifier.Ctrl(n) : new GateModifier.NegCtrl(n));
                } else if (kind == 2) {
                    modifiers.add(new GateModifier.Inverse());
                } else {
                    modifiers.add(new GateModifier.Power(exponent()));
                }
            }
        }
        List<Expr> params = new ArrayList<>();
        for (int i = 0; i < g.numParams(); i++) {
            params.add(parameter());
        }
        int width = g.numQubits() + modifiers.stream().mapToInt(GateModifier::addedQubits).sum();
        return new GateOperation(g, params, modifiers, distinctQubits(width));
    }

    private Expr exponent() {
        if (!inputs.isEmpty() && random.nextInt(4) == 0) {
            return symbolic(2);
        }
        double[] common = {0.5, 2.0, -1.0, 0.25, 3.0};
        return Expr.constant(random.nextBoolean() ? common[random.nextInt(common.length)]
                : random.nextDouble() * 4 - 2);
    }

    private Expr parameter() {
        return !inputs.isEmpty() && random.nextInt(10) < 4 ? symbolic(3) : constant();
    }

    /** An expression that mentions an input in every non-leaf subtree. */
    private Expr symbolic(int depth) {
        if (depth == 0 || random.nextInt(4) == 0) {
            return new Expr.Parameter(inputs.get(random.nextInt(inputs.size())).name());
        }
        return switch (random.nextInt(4)) {
            case 0 -> new Expr.Negate(symbolic(depth - 1));
            case 1 -> new Expr.Call(Expr.Function.values()[random.nextInt(Expr.Function.values().length)],
                    symbolic(depth - 1));
            default -> {
                Expr.BinaryOp op = Expr.BinaryOp.values()[random.nextInt(Expr.BinaryOp.values().length)];
                Expr sym = symbolic(depth - 1);
                Expr other = random.nextBoolean() ? symbolic(depth - 1) : nonZeroConstant();
                yield random.nextBoolean() || op == Expr.BinaryOp.DIVIDE && other.isConstant()
                        ? new Expr.Binary(op, sym, other) : new Expr.Binary(op, other, sym);
            }
        };
    }

    private Expr nonZeroConstant() {
        Expr c = constant();
        return ((Expr.Constant) c).value() == 0 ? Expr.constant(1.5) : c;
    }

    private Expr constant() {
        return switch (random.nextInt(8)) {
            case 0 -> Expr.constant(-0.0);
            case 1 -> Expr.constant(random.nextGaussian() * 1e-5);
            case 2 -> Expr.constant(random.nextInt(7) - 3);
            case 3 -> Expr.constant(Math.PI * (random.nextInt(9) - 4) / 4);
            case 4 -> Expr.constant(random.nextGaussian() * 1e22);
            default -> Expr.constant((random.nextDouble() * 2 - 1) * 2 * Math.PI);
        };
    }

    private List<Expr> constants(int n) {
        List<Expr> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(constant());
        }
        return out;
    }

    private StandardGate pick(List<StandardGate> gates, int maxQubits) {
        StandardGate g;
        do {
            g = gates.get(random.nextInt(gates.size()));
        } while (g.numQubits() > maxQubits);
        return g;
    }

    private List<Integer> distinctQubits(int n) {
        List<Integer> all = new ArrayList<>();
        for (int q = 0; q < numQubits; q++) {
            all.add(q);
        }
        Collections.shuffle(all, random);
        return List.copyOf(all.subList(0, n));
    }

    private int numClbits() {
        return cregs.stream().mapToInt(Register::size).sum();
    }

    static EnumSet<StandardGate> v3Vocabulary() {
        return EnumSet.copyOf(V3_GATES);
    }
}
