package dev.qfed.circuit.qasm;

import dev.qfed.circuit.Barrier;
import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.Condition;
import dev.qfed.circuit.Conditional;
import dev.qfed.circuit.Expr;
import dev.qfed.circuit.Gate;
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
import dev.qfed.circuit.qasm.V3GateDefinitions.Definition;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Prints a {@link Circuit} as OpenQASM 2.0 or 3 text that the front end parses back to an equal circuit.
 *
 * <p>Constants print with {@link Double#toString(double)}, the shortest text that parses back to the same double;
 * OpenQASM's float grammar accepts its forms ({@code 1.0E-5}, {@code -0.0}). Symbolic expressions are
 * parenthesised so that any reasonable precedence reading gives the same tree: negations and negative constants
 * are always bracketed when they are an operand. OpenQASM 2 cannot express everything the IR can hold; what it
 * cannot say is refused with an {@link IllegalArgumentException} naming the operation, never silently changed.
 * Standard gates that {@code stdgates.inc} lacks are printed in OpenQASM 3 by name, with a {@code gate} definition
 * at the top whose body has exactly the gate's matrix.
 */
public final class QasmPrinter {
    private static final Pattern V2_IDENTIFIER = Pattern.compile("[a-z][A-Za-z0-9_]*");
    private static final Pattern V3_IDENTIFIER = Pattern.compile(
            "[_\\p{Lu}\\p{Ll}\\p{Lt}\\p{Lm}\\p{Lo}\\p{Nl}][_\\p{Lu}\\p{Ll}\\p{Lt}\\p{Lm}\\p{Lo}\\p{Nl}0-9]*");
    private static final Set<String> V2_RESERVED = Set.of("OPENQASM", "include", "qreg", "creg", "gate", "opaque",
            "barrier", "measure", "reset", "if", "pi", "sin", "cos", "tan", "exp", "ln", "sqrt", "U", "CX");
    private static final Set<String> V3_RESERVED = Set.of("OPENQASM", "include", "defcalgrammar", "def", "cal",
            "defcal", "gate", "extern", "box", "let", "break", "continue", "if", "else", "end", "return", "for",
            "while", "in", "switch", "case", "default", "nop", "pragma", "input", "output", "const", "readonly",
            "mutable", "qreg", "qubit", "creg", "bool", "bit", "int", "uint", "float", "angle", "complex", "array",
            "void", "duration", "stretch", "gphase", "inv", "pow", "ctrl", "negctrl", "durationof", "delay", "reset",
            "measure", "barrier", "true", "false", "im", "pi", "π", "tau", "τ", "euler", "ℇ", "U", "sin", "cos",
            "tan", "exp", "ln", "sqrt", "arcsin", "arccos", "arctan", "mod", "popcount", "rotl", "rotr", "real",
            "imag", "sizeof", "CX", "phase", "cphase", "opaque");
    private static final Set<Expr.Function> V2_FUNCTIONS = EnumSet.of(Expr.Function.SIN, Expr.Function.COS,
            Expr.Function.TAN, Expr.Function.EXP, Expr.Function.LN, Expr.Function.SQRT);

    // precedence of printed expressions, loosest first
    private static final int ADDITIVE = 1;
    private static final int MULTIPLICATIVE = 2;
    private static final int UNARY = 3;
    private static final int POWER = 4;
    private static final int ATOM = 5;

    private final Circuit circuit;
    private final boolean v3;
    private final String[] qubitNames;
    private final String[] clbitNames;
    private final StringBuilder out = new StringBuilder();

    private QasmPrinter(Circuit circuit, QasmVersion version) {
        this.circuit = circuit;
        this.v3 = version == QasmVersion.V3;
        this.qubitNames = bitNames(circuit.qregs(), circuit.numQubits());
        this.clbitNames = bitNames(circuit.cregs(), circuit.numClbits());
    }

    /**
     * The circuit as OpenQASM text of the given version.
     *
     * @throws IllegalArgumentException when the circuit uses something the dialect cannot express; the message
     *                                  names the operation (by its index in {@link Circuit#operations()}) and why
     */
    public static String print(Circuit circuit, QasmVersion version) {
        QasmPrinter p = new QasmPrinter(circuit, version);
        return p.v3 ? p.printV3() : p.printV2();
    }

    // ---------------------------------------------------------------- OpenQASM 2

    private String printV2() {
        if (!circuit.inputs().isEmpty()) {
            throw refuse("input parameter '" + circuit.inputs().get(0).name()
                    + "' needs OpenQASM 3 (OpenQASM 2 has no inputs); bind it first or print as OpenQASM 3");
        }
        Set<String> globalNames = new HashSet<>();
        for (Register r : concat(circuit.qregs(), circuit.cregs())) {
            if (r.scalar()) {
                throw refuse("register '" + r.name() + "' is a single (scalar) qubit or bit, which OpenQASM 2 cannot"
                        + " declare; use a register of size 1");
            }
            checkIdentifier(r.name(), "register");
            globalNames.add(r.name());
        }
        Map<String, OpaqueGate> opaques = new LinkedHashMap<>();
        checkV2(circuit.operations(), "operations", false, opaques);
        for (OpaqueGate g : opaques.values()) {
            if (globalNames.contains(g.qasmName())) {
                throw refuse("opaque gate '" + g.qasmName() + "' has the name of a register; rename one of them");
            }
        }
        out.append("OPENQASM 2.0;\ninclude \"qelib1.inc\";\n");
        for (OpaqueGate g : opaques.values()) {
            out.append("opaque ").append(g.qasmName());
            if (g.numParams() > 0) {
                out.append('(').append(String.join(",", formalNames("p", g.numParams()))).append(')');
            }
            out.append(' ').append(String.join(",", formalNames("q", g.numQubits()))).append(";\n");
        }
        for (Register r : circuit.qregs()) {
            out.append("qreg ").append(r.name()).append('[').append(r.size()).append("];\n");
        }
        for (Register r : circuit.cregs()) {
            out.append("creg ").append(r.name()).append('[').append(r.size()).append("];\n");
        }
        for (Operation op : circuit.operations()) {
            if (op instanceof Conditional c) {
                String prefix = "if(" + wholeRegister(c.condition()).name() + "==" + c.condition().value() + ") ";
                for (Operation inner : c.then()) {
                    if (isEmptyBarrier(inner)) {
                        continue;
                    }
                    out.append(prefix).append(statement(inner)).append('\n');
                }
            } else if (!isEmptyBarrier(op)) {
                out.append(statement(op)).append('\n');
            }
        }
        return out.toString();
    }

    private void checkV2(List<Operation> ops, String path, boolean conditioned, Map<String, OpaqueGate> opaques) {
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            String where = path + "[" + i + "]";
            switch (op) {
                case GateOperation g -> {
                    if (!g.modifiers().isEmpty()) {
                        throw refuse(where, op, "gate modifiers (ctrl, negctrl, inv, pow) need OpenQASM 3");
                    }
                    if (g.gate() == StandardGate.GPHASE) {
                        throw refuse(where, op, "OpenQASM 2 has no gphase");
                    }
                    if (g.gate() instanceof OpaqueGate o) {
                        if (GateLibrary.qelib1().stream().anyMatch(s -> s.qasmName().equals(o.qasmName()))
                                || o.qasmName().equals("U") || o.qasmName().equals("CX")) {
                            throw refuse(where, op, "the opaque gate has the name of a qelib1.inc gate");
                        }
                        checkIdentifier(o.qasmName(), "opaque gate");
                        OpaqueGate seen = opaques.putIfAbsent(o.qasmName(), o);
                        if (seen != null && !seen.equals(o)) {
                            throw refuse(where, op, "opaque gate '" + o.qasmName() + "' is used with "
                                    + o.numParams() + " parameter(s) and " + o.numQubits() + " qubit(s) here but "
                                    + seen.numParams() + " and " + seen.numQubits() + " elsewhere");
                        }
                    }
                    for (Expr e : g.params()) {
                        checkV2Expression(e, where, op);
                    }
                }
                case Measure m -> { }
                case Reset r -> { }
                case Barrier b -> {
                    if (conditioned) {
                        throw refuse(where, op, "OpenQASM 2 cannot condition a barrier");
                    }
                }
                case Conditional c -> {
                    if (conditioned) {
                        throw refuse(where, op, "OpenQASM 2 has no nested conditionals");
                    }
                    if (!c.otherwise().isEmpty()) {
                        throw refuse(where, op, "OpenQASM 2 has no else branch");
                    }
                    if (wholeRegister(c.condition()) == null) {
                        throw refuse(where, op, "OpenQASM 2 can only compare a whole classical register, in"
                                + " order, with an integer");
                    }
                    Set<Integer> read = new HashSet<>(c.condition().clbits());
                    for (int j = 0; j < c.then().size() - 1; j++) {
                        if (c.then().get(j) instanceof Measure m && read.contains(m.clbit())) {
                            throw refuse(where, op, "the measurement into " + clbitNames[m.clbit()]
                                    + " changes the condition for the operations after it; OpenQASM 2 prints one"
                                    + " 'if' per operation, which would re-read it");
                        }
                    }
                    checkV2(c.then(), where + ".then", true, opaques);
                }
            }
        }
    }

    private void checkV2Expression(Expr e, String where, Operation op) {
        if (!e.parameters().isEmpty()) {
            throw refuse(where, op, "parameter " + expression(e, Function.identity()).text()
                    + " mentions an input, which needs OpenQASM 3; bind it first");
        }
        switch (e) {
            case Expr.Call c -> {
                if (!V2_FUNCTIONS.contains(c.function())) {
                    throw refuse(where, op, "OpenQASM 2 has no function " + c.function().qasmName());
                }
                checkV2Expression(c.argument(), where, op);
            }
            case Expr.Negate n -> checkV2Expression(n.operand(), where, op);
            case Expr.Binary b -> {
                checkV2Expression(b.left(), where, op);
                checkV2Expression(b.right(), where, op);
            }
            case Expr.Constant c -> { }
            case Expr.Parameter p -> { }
        }
    }

    // ---------------------------------------------------------------- OpenQASM 3

    private String printV3() {
        Set<String> globalNames = new HashSet<>();
        for (Register r : concat(circuit.qregs(), circuit.cregs())) {
            checkIdentifier(r.name(), "register");
            globalNames.add(r.name());
        }
        for (InputParameter p : circuit.inputs()) {
            checkIdentifier(p.name(), "input");
            globalNames.add(p.name());
        }
        Set<StandardGate> defined = EnumSet.noneOf(StandardGate.class);
        checkV3(circuit.operations(), "operations", defined);
        for (StandardGate g : defined) {
            if (globalNames.contains(g.qasmName())) {
                throw refuse("the circuit uses gate " + g.qasmName() + ", which needs a gate definition, but a"
                        + " register or input has that name; rename it");
            }
        }
        for (String name : globalNames) {
            if (GateLibrary.stdgates().stream().anyMatch(g -> g.qasmName().equals(name))) {
                throw refuse("register or input '" + name + "' has the name of a stdgates.inc gate; rename it");
            }
        }
        out.append("OPENQASM 3.0;\ninclude \"stdgates.inc\";\n");
        for (StandardGate g : defined) {
            printDefinition(V3GateDefinitions.of(g).orElseThrow(), globalNames);
        }
        for (InputParameter p : circuit.inputs()) {
            out.append("input ").append(p.type() == InputParameter.Type.ANGLE ? "angle" : "float").append(' ')
                    .append(p.name()).append(";\n");
        }
        for (Register r : circuit.qregs()) {
            out.append(r.scalar() ? "qubit " : "qubit[" + r.size() + "] ").append(r.name()).append(";\n");
        }
        for (Register r : circuit.cregs()) {
            out.append(r.scalar() ? "bit " : "bit[" + r.size() + "] ").append(r.name()).append(";\n");
        }
        printBlockV3(circuit.operations(), "");
        return out.toString();
    }

    private void checkV3(List<Operation> ops, String path, Set<StandardGate> defined) {
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            String where = path + "[" + i + "]";
            switch (op) {
                case GateOperation g -> {
                    if (g.gate() instanceof OpaqueGate) {
                        throw refuse(where, op, "OpenQASM 3 has no opaque gate declarations; print as OpenQASM 2");
                    }
                    StandardGate s = (StandardGate) g.gate();
                    if (V3GateDefinitions.of(s).isPresent()) {
                        defined.add(s);
                    }
                }
                case Conditional c -> {
                    Condition cond = c.condition();
                    if (wholeRegister(cond) == null && cond.clbits().size() != 1) {
                        throw refuse(where, op, "a condition must read one bit or one whole classical register in"
                                + " order");
                    }
                    checkV3(c.then(), where + ".then", defined);
                    checkV3(c.otherwise(), where + ".otherwise", defined);
                }
                case Measure m -> { }
                case Reset r -> { }
                case Barrier b -> { }
            }
        }
    }

    private void printDefinition(Definition d, Set<String> globalNames) {
        // formals must not shadow the circuit's own names
        Map<String, String> params = new HashMap<>();
        for (String p : d.params()) {
            params.put(p, fresh(p, globalNames));
        }
        List<String> qubits = d.qubits().stream().map(q -> fresh(q, globalNames)).toList();
        out.append("gate ").append(d.gate().qasmName());
        if (!d.params().isEmpty()) {
            out.append('(').append(String.join(", ", d.params().stream().map(params::get).toList())).append(')');
        }
        out.append(' ').append(String.join(", ", qubits)).append(" {\n");
        for (GateOperation op : d.body()) {
            out.append("  ").append(gateCall(op, qubits::get, n -> params.getOrDefault(n, n))).append('\n');
        }
        out.append("}\n");
    }

    private static String fresh(String name, Set<String> taken) {
        String candidate = name;
        while (taken.contains(candidate)) {
            candidate = candidate + "_";
        }
        return candidate;
    }

    private void printBlockV3(List<Operation> ops, String indent) {
        for (Operation op : ops) {
            if (op instanceof Conditional c) {
                out.append(indent).append("if (").append(conditionV3(c.condition())).append(") {\n");
                printBlockV3(c.then(), indent + "  ");
                out.append(indent).append('}');
                if (!c.otherwise().isEmpty()) {
                    out.append(" else {\n");
                    printBlockV3(c.otherwise(), indent + "  ");
                    out.append(indent).append('}');
                }
                out.append('\n');
            } else if (!isEmptyBarrier(op)) {
                out.append(indent).append(statement(op)).append('\n');
            }
        }
    }

    private String describe(Condition c) {
        if (c.clbits().size() == 1 || wholeRegister(c) != null) {
            return conditionV3(c);
        }
        return "bits " + c.clbits().stream().map(b -> clbitNames[b]).toList() + " == " + c.value();
    }

    private String conditionV3(Condition c) {
        if (c.clbits().size() == 1) {
            return (c.value() == 1 ? "" : "!") + clbitNames[c.clbits().get(0)];
        }
        return wholeRegister(c).name() + " == " + c.value();
    }

    // ---------------------------------------------------------------- statements and expressions

    private String statement(Operation op) {
        return switch (op) {
            case GateOperation g -> gateCall(g, q -> qubitNames[q], Function.identity());
            case Measure m -> v3 ? clbitNames[m.clbit()] + " = measure " + qubitNames[m.qubit()] + ";"
                    : "measure " + qubitNames[m.qubit()] + " -> " + clbitNames[m.clbit()] + ";";
            case Reset r -> "reset " + qubitNames[r.qubit()] + ";";
            case Barrier b -> "barrier "
                    + String.join(v3 ? ", " : ",", b.qubits().stream().map(q -> qubitNames[q]).toList()) + ";";
            case Conditional c -> "if (" + describe(c.condition()) + ") { … }";
        };
    }

    private String gateCall(GateOperation g, java.util.function.IntFunction<String> qubit,
                            Function<String, String> parameterName) {
        StringBuilder s = new StringBuilder();
        for (GateModifier m : g.modifiers()) {
            s.append(switch (m) {
                case GateModifier.Ctrl c -> c.count() == 1 ? "ctrl" : "ctrl(" + c.count() + ")";
                case GateModifier.NegCtrl c -> c.count() == 1 ? "negctrl" : "negctrl(" + c.count() + ")";
                case GateModifier.Inverse i -> "inv";
                case GateModifier.Power p -> "pow(" + expression(p.exponent(), parameterName).text() + ")";
            }).append(" @ ");
        }
        s.append(gateName(g.gate()));
        if (!g.params().isEmpty()) {
            s.append('(').append(String.join(v3 ? ", " : ",",
                    g.params().stream().map(e -> expression(e, parameterName).text()).toList())).append(')');
        }
        if (!g.qubits().isEmpty()) {
            s.append(' ').append(String.join(v3 ? ", " : ",", g.qubits().stream().map(qubit::apply).toList()));
        }
        return s.append(';').toString();
    }

    private static String gateName(Gate gate) {
        // the IR resolved the aliases CX / phase / cphase; cx, p, cp are the names both includes define
        return gate.qasmName();
    }

    private record Printed(String text, int level) {
    }

    private Printed expression(Expr e, Function<String, String> parameterName) {
        return switch (e) {
            case Expr.Constant c -> {
                String text = Double.toString(c.value());
                yield new Printed(text, text.startsWith("-") ? UNARY : ATOM);
            }
            case Expr.Parameter p -> new Printed(parameterName.apply(p.name()), ATOM);
            case Expr.Call c -> new Printed(c.function().qasmName() + "("
                    + expression(c.argument(), parameterName).text() + ")", ATOM);
            case Expr.Negate n -> new Printed("-" + operand(expression(n.operand(), parameterName), ATOM), UNARY);
            case Expr.Binary b -> {
                Printed l = expression(b.left(), parameterName);
                Printed r = expression(b.right(), parameterName);
                yield switch (b.op()) {
                    case ADD, SUBTRACT -> new Printed(operand(l, ADDITIVE) + " " + b.op().symbol() + " "
                            + operand(r, MULTIPLICATIVE), ADDITIVE);
                    case MULTIPLY, DIVIDE -> new Printed(operand(l, MULTIPLICATIVE) + " " + b.op().symbol() + " "
                            + operand(r, POWER), MULTIPLICATIVE);
                    // associativity of ** / ^ differs between readers: bracket both sides unless atomic
                    case POWER -> new Printed(operand(l, ATOM) + (v3 ? " ** " : " ^ ") + operand(r, ATOM), POWER);
                };
            }
        };
    }

    /** The operand bracketed unless it binds at least as tight as {@code minLevel}; unary operands always are. */
    private static String operand(Printed p, int minLevel) {
        return p.level() >= minLevel && p.level() != UNARY ? p.text() : "(" + p.text() + ")";
    }

    /** A barrier over no qubits orders nothing; OpenQASM 3's bare {@code barrier;} would mean all qubits. */
    private static boolean isEmptyBarrier(Operation op) {
        return op instanceof Barrier b && b.qubits().isEmpty();
    }

    // ---------------------------------------------------------------- names and errors

    private static String[] bitNames(List<Register> registers, int total) {
        String[] names = new String[total];
        int i = 0;
        for (Register r : registers) {
            for (int k = 0; k < r.size(); k++) {
                names[i++] = r.scalar() ? r.name() : r.name() + "[" + k + "]";
            }
        }
        return names;
    }

    /** The classical register whose bits, in order, are exactly the condition's; null when there is none. */
    private Register wholeRegister(Condition c) {
        int start = 0;
        for (Register r : circuit.cregs()) {
            if (c.clbits().size() == r.size() && c.clbits().get(0) == start) {
                boolean inOrder = true;
                for (int k = 0; k < r.size(); k++) {
                    inOrder &= c.clbits().get(k) == start + k;
                }
                if (inOrder && !(v3 && r.scalar())) {
                    return r;
                }
            }
            start += r.size();
        }
        return null;
    }

    private void checkIdentifier(String name, String what) {
        boolean valid = (v3 ? V3_IDENTIFIER : V2_IDENTIFIER).matcher(name).matches();
        if (!valid) {
            throw refuse(what + " name '" + name + "' is not an OpenQASM " + dialect() + " identifier"
                    + (v3 ? "" : " (a lower-case letter, then letters, digits or _)"));
        }
        if ((v3 ? V3_RESERVED : V2_RESERVED).contains(name)) {
            throw refuse(what + " name '" + name + "' is reserved in OpenQASM " + dialect() + "; rename it");
        }
    }

    private static List<String> formalNames(String prefix, int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(prefix + i);
        }
        return names;
    }

    private String dialect() {
        return v3 ? "3" : "2";
    }

    private IllegalArgumentException refuse(String why) {
        return new IllegalArgumentException("cannot print the circuit as OpenQASM " + dialect() + ": " + why);
    }

    private IllegalArgumentException refuse(String where, Operation op, String why) {
        return new IllegalArgumentException("cannot print " + where + " `" + statement(op) + "` as OpenQASM "
                + dialect() + ": " + why);
    }

    private static List<Register> concat(List<Register> a, List<Register> b) {
        List<Register> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
