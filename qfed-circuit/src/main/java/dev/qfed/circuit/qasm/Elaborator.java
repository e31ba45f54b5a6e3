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
import dev.qfed.circuit.qasm.Ast.Stmt;
import dev.qfed.circuit.qasm.Scope.Symbol;
import dev.qfed.circuit.qasm.Value.Sym;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Gives the parsed program its meaning and builds the {@link Circuit}: resolves names, checks types and arity,
 * folds constants, unrolls loops, expands user gates (pushing modifiers into their bodies), broadcasts over
 * registers and follows includes. It takes statements from the parser one at a time, so the first error in
 * source order is the one reported.
 */
final class Elaborator {
    private static final Set<String> QELIB1_NAMES = GateLibrary.qelib1().stream().map(StandardGate::qasmName)
            .collect(Collectors.toUnmodifiableSet());
    private static final Set<String> STDGATES_NAMES;

    static {
        Set<String> names = new HashSet<>();
        GateLibrary.stdgates().forEach(g -> names.add(g.qasmName()));
        names.addAll(List.of("CX", "phase", "cphase"));
        STDGATES_NAMES = Set.copyOf(names);
    }

    private final ParseLimits limits;
    private final Budget budget;
    private final Includes includes;
    private final Scope global = Scope.global();
    private final List<Register> qregs = new ArrayList<>();
    private final List<Register> cregs = new ArrayList<>();
    private final List<Scope.QubitRegister> qubitRegisters = new ArrayList<>();
    private final List<Scope.BitRegister> bitRegisters = new ArrayList<>();
    private final List<InputParameter> inputs = new ArrayList<>();
    private final List<Operation> operations = new ArrayList<>();
    private final Deque<Parser> parsers = new ArrayDeque<>();
    private QasmVersion version;
    private boolean headerless;
    private Evaluator evaluator;
    private int numQubits;
    private int numClbits;

    private Elaborator(ParseLimits limits, Includes includes) {
        this.limits = limits;
        this.budget = new Budget(limits);
        this.includes = includes;
    }

    /** Elaborates a whole program; {@code includes} knows where the root file lives. */
    static Circuit elaborate(SourceText root, Includes includes, ParseLimits limits) throws QasmException {
        Elaborator e = new Elaborator(limits, includes);
        try {
            return e.run(root);
        } catch (StackOverflowError overflow) {
            // The depth guards keep the default limits well inside a default thread stack; this is the backstop
            // for generous limits on a small stack. Nothing outlives the failed parse, so unwinding is safe.
            Pos at = e.parsers.isEmpty() ? new Pos(root, 1, 1) : e.parsers.peek().position();
            throw at.limit("the program nests too deeply for this thread's stack; lower "
                    + "ParseLimits.maxNestingDepth (now " + limits.maxNestingDepth() + ") or give the parsing "
                    + "thread a larger stack");
        }
    }

    private Circuit run(SourceText root) throws QasmException {
        Parser parser = new Parser(root, limits);
        version = parser.readHeader(Optional.empty());
        headerless = parser.headerless();
        evaluator = new Evaluator(limits, version, budget);
        if (version == QasmVersion.V2) {
            global.declare("U", new Scope.LibraryGate("U", StandardGate.U, "the language"));
            global.declare("CX", new Scope.LibraryGate("CX", StandardGate.CX, "the language"));
        } else {
            global.declare("U", new Scope.LibraryGate("U", StandardGate.U, "the language"));
            global.declare("gphase", new Scope.LibraryGate("gphase", StandardGate.GPHASE, "the language"));
        }
        runFile(parser);
        return new Circuit(qregs, cregs, inputs, operations);
    }

    private void runFile(Parser parser) throws QasmException {
        parsers.push(parser);
        for (Optional<Stmt> s = parser.next(); s.isPresent(); s = parser.next()) {
            statement(s.get(), global, operations::add);
        }
        parsers.pop();
    }

    // ---- statements --------------------------------------------------------------------------------------

    private void statement(Stmt stmt, Scope scope, Consumer<Operation> out) throws QasmException {
        budget.step(stmt.pos());
        if (!scope.isGlobal()) {
            String what = switch (stmt) {
                case Ast.Include i -> "an include";
                case Ast.RegisterDecl r -> "a register declaration";
                case Ast.InputDecl i -> "an input declaration";
                case Ast.GateDef g -> "a gate definition";
                case Ast.OpaqueDef o -> "an opaque declaration";
                default -> null;
            };
            if (what != null) {
                throw stmt.pos().semantic(what + " must be at global scope, not inside a block");
            }
        }
        switch (stmt) {
            case Ast.Include i -> include(i);
            case Ast.RegisterDecl r -> declareRegister(r);
            case Ast.ConstDecl c -> declareConst(c, scope);
            case Ast.InputDecl i -> declareInput(i);
            case Ast.GateDef g -> defineGate(g);
            case Ast.OpaqueDef o -> defineOpaque(o);
            case Ast.GateCall c -> gateCall(c, scope, out);
            case Ast.MeasureStmt m -> measure(m, scope, out);
            case Ast.ResetStmt r -> reset(r, scope, out);
            case Ast.BarrierStmt b -> barrier(b, scope, out);
            case Ast.IfStmt i -> ifStatement(i, scope, out);
            case Ast.ForStmt f -> forStatement(f, scope, out);
        }
    }

    private void include(Ast.Include inc) throws QasmException {
        switch (inc.path()) {
            case "qelib1.inc" -> {
                if (version != QasmVersion.V2) {
                    throw inc.pos().semantic("qelib1.inc is the OpenQASM 2 library; in OpenQASM 3 write "
                            + "include \"stdgates.inc\";" + (headerless
                            ? " (without an OPENQASM header a file is OpenQASM 3; start an OpenQASM 2 file with "
                            + "'OPENQASM 2.0;')" : ""));
                }
                includeLibrary(inc, GateLibrary.qelib1().stream().map(StandardGate::qasmName).toList());
            }
            case "stdgates.inc" -> {
                if (version != QasmVersion.V3) {
                    throw inc.pos().semantic("stdgates.inc is the OpenQASM 3 library; in OpenQASM 2 write "
                            + "include \"qelib1.inc\";");
                }
                List<String> names = new ArrayList<>(GateLibrary.stdgates().stream().map(StandardGate::qasmName)
                        .toList());
                names.addAll(List.of("CX", "phase", "cphase"));
                includeLibrary(inc, names);
            }
            default -> {
                Parser parser = new Parser(includes.open(inc), limits);
                parser.readHeader(Optional.of(version));
                runFile(parser);
                includes.close();
            }
        }
    }

    private void includeLibrary(Ast.Include inc, List<String> names) throws QasmException {
        for (String name : names) {
            StandardGate gate = StandardGate.byName(name).orElseThrow();
            Symbol existing = global.own(name);
            if (existing instanceof Scope.LibraryGate lg && lg.gate() == gate) {
                continue; // included twice, or a built-in the library repeats
            }
            if (existing != null) {
                throw inc.pos().semantic(inc.path() + " defines gate '" + name + "', which is already declared"
                        + where(existing) + " as a " + existing.kind() + "; rename that declaration");
            }
            global.declare(name, new Scope.LibraryGate(name, gate, inc.path()));
        }
    }

    private void declareGlobal(String name, Pos pos, Symbol symbol) throws QasmException {
        Symbol existing = global.own(name);
        if (existing != null) {
            throw duplicate(name, pos, existing);
        }
        global.declare(name, symbol);
    }

    private QasmException duplicate(String name, Pos pos, Symbol existing) {
        if (existing instanceof Scope.LibraryGate lg) {
            return pos.semantic("'" + name + "' is already defined as a gate by " + lg.origin()
                    + "; choose another name");
        }
        return pos.semantic("'" + name + "' is already declared" + where(existing) + " as a " + existing.kind()
                + "; choose another name");
    }

    private static String where(Symbol s) {
        return s.declared().map(p -> " at " + p.source().name() + ":" + p.line()).orElse("");
    }

    private void declareRegister(Ast.RegisterDecl d) throws QasmException {
        boolean qubit = d.kind() == Ast.RegisterKind.QUBIT;
        String what = qubit ? "qubits" : "classical bits";
        int size = 1;
        if (d.size().isPresent()) {
            Ast.Expr e = d.size().get();
            Value v = evaluator.eval(e, global);
            int declared = qubit ? numQubits : numClbits;
            if (v instanceof Value.Real r && r.value() == Math.rint(r.value()) && r.value() > limits.maxQubits()) {
                throw tooMany(e.start(), what, Evaluator.format(r.value()), declared);
            }
            long n = evaluator.integer(e, global, "the register size");
            if (n < 1) {
                throw e.start().semantic("a register needs at least one " + (qubit ? "qubit" : "bit") + ", got " + n);
            }
            if (n > limits.maxQubits() - declared) {
                throw tooMany(e.start(), what, Long.toString(n), declared);
            }
            size = (int) n;
        } else if ((qubit ? numQubits : numClbits) >= limits.maxQubits()) {
            throw tooMany(d.namePos(), what, "1", qubit ? numQubits : numClbits);
        }
        Register reg = new Register(d.name(), size, d.size().isEmpty());
        if (qubit) {
            Scope.QubitRegister sym = new Scope.QubitRegister(reg, numQubits, Optional.of(d.namePos()));
            declareGlobal(d.name(), d.namePos(), sym);
            qregs.add(reg);
            qubitRegisters.add(sym);
            numQubits += size;
        } else {
            Scope.BitRegister sym = new Scope.BitRegister(reg, numClbits, Optional.of(d.namePos()));
            declareGlobal(d.name(), d.namePos(), sym);
            cregs.add(reg);
            bitRegisters.add(sym);
            numClbits += size;
        }
        if (d.initialMeasure().isPresent()) {
            measure(new Ast.MeasureStmt(d.initialMeasure().get(), new Ast.Operand(d.name(), Optional.empty(),
                    d.namePos()), d.pos()), global, operations::add);
        }
    }

    private QasmException tooMany(Pos pos, String what, String adding, int declared) {
        return pos.limit("declaring " + adding + " more " + what + " (after " + declared + ") exceeds the limit of "
                + limits.maxQubits() + " " + what + " (ParseLimits.maxQubits)");
    }

    private void declareConst(Ast.ConstDecl c, Scope scope) throws QasmException {
        Value v = evaluator.eval(c.value(), scope);
        String what = "the value of const '" + c.name() + "'";
        if (v instanceof Sym s) {
            throw evaluator.notConstant(c.value().start(), s, what);
        }
        Value typed = switch (c.type()) {
            case INT, UINT -> {
                if (!(v instanceof Value.Int i)) {
                    throw c.value().start().semantic(what + " must be an integer, got "
                            + (v instanceof Value.Real r ? Evaluator.format(r.value()) : "a " + v.typeName()));
                }
                if (c.type() == Ast.ScalarType.UINT && i.value() < 0) {
                    throw c.value().start().semantic(what + " must not be negative for a uint, got " + i.value());
                }
                yield v;
            }
            case FLOAT, ANGLE -> switch (v) {
                case Value.Int i -> new Value.Real(i.value());
                case Value.Real r -> r;
                default -> throw c.value().start().semantic(what + " must be a number, got a " + v.typeName());
            };
            case BOOL -> {
                if (!(v instanceof Value.Bool)) {
                    throw c.value().start().semantic(what + " must be a bool, got a " + v.typeName());
                }
                yield v;
            }
        };
        Symbol sym = new Scope.Constant(typed, "constant", Optional.of(c.namePos()));
        if (scope.isGlobal()) {
            declareGlobal(c.name(), c.namePos(), sym);
        } else if (scope.own(c.name()) != null) {
            throw duplicate(c.name(), c.namePos(), scope.own(c.name()));
        } else {
            scope.declare(c.name(), sym);
        }
    }

    private void declareInput(Ast.InputDecl d) throws QasmException {
        InputParameter p = new InputParameter(d.name(), d.type() == Ast.ScalarType.ANGLE
                ? InputParameter.Type.ANGLE : InputParameter.Type.FLOAT);
        declareGlobal(d.name(), d.namePos(), new Scope.Input(p, Optional.of(d.namePos())));
        inputs.add(p);
    }

    private void defineOpaque(Ast.OpaqueDef o) throws QasmException {
        if (global.own(o.name()) != null) {
            throw duplicate(o.name(), o.namePos(), global.own(o.name()));
        }
        checkDistinct(o.name(), o.params(), o.qubits());
        global.declare(o.name(), new Scope.Opaque(new OpaqueGate(o.name(), o.params().size(), o.qubits().size()),
                Optional.of(o.namePos())));
    }

    private static void checkDistinct(String gate, List<Ast.Param> params, List<Ast.Param> qubits)
            throws QasmException {
        Set<String> seen = new HashSet<>();
        for (Ast.Param p : params) {
            if (!seen.add(p.name())) {
                throw p.pos().semantic("'" + p.name() + "' is declared twice in gate '" + gate + "'");
            }
        }
        for (Ast.Param p : qubits) {
            if (!seen.add(p.name())) {
                throw p.pos().semantic("'" + p.name() + "' is declared twice in gate '" + gate + "'");
            }
        }
    }

    // ---- gate definitions --------------------------------------------------------------------------------

    private void defineGate(Ast.GateDef g) throws QasmException {
        if (global.own(g.name()) != null) {
            throw duplicate(g.name(), g.namePos(), global.own(g.name()));
        }
        checkDistinct(g.name(), g.params(), g.qubits());
        // Check the body once with each parameter standing for itself; calls then only substitute values.
        Scope body = global.gateBody();
        for (Ast.Param p : g.params()) {
            body.declare(p.name(), new Scope.Constant(new Sym(new Expr.Parameter(p.name()), 1, 1,
                    "gate parameter '" + p.name() + "'", false), "gate parameter",
                    Optional.of(p.pos())));
        }
        for (int i = 0; i < g.qubits().size(); i++) {
            body.declare(g.qubits().get(i).name(), new Scope.GateQubit(i, Optional.of(g.qubits().get(i).pos())));
        }
        List<GateDefinition.BodyOp> ops = new ArrayList<>();
        long size = 0;
        int depth = 0;
        for (Stmt s : g.body()) {
            budget.step(s.pos());
            switch (s) {
                case Ast.GateCall c -> {
                    Scope.GateSymbol callee = resolveGate(c.name(), c.namePos(), g.name());
                    List<GateModifier> mods = modifiers(c, body, callee);
                    List<Value> params = params(c, body, callee);
                    checkQubitCount(c, callee, mods);
                    List<Integer> qubits = new ArrayList<>();
                    for (Ast.Operand o : c.qubits()) {
                        int q = gateQubit(o, body, g.name());
                        if (qubits.contains(q)) {
                            throw o.pos().semantic("qubit '" + o.name() + "' is used twice in this gate call");
                        }
                        qubits.add(q);
                    }
                    ops.add(new GateDefinition.Call(callee, c, qubits));
                    size = Budget.saturatedAdd(size, callSize(callee, mods));
                    if (callee instanceof Scope.UserGate u) {
                        depth = Math.max(depth, u.definition().depth());
                    }
                }
                case Ast.BarrierStmt b when version == QasmVersion.V2 -> {
                    LinkedHashSet<Integer> qubits = new LinkedHashSet<>();
                    for (Ast.Operand o : b.qubits()) {
                        qubits.add(gateQubit(o, body, g.name()));
                    }
                    ops.add(new GateDefinition.Barrier(List.copyOf(qubits)));
                    size = Budget.saturatedAdd(size, 1);
                }
                default -> throw s.pos().semantic("a gate body may contain only gate calls"
                        + (version == QasmVersion.V2 ? " (U, CX and defined gates) and barrier"
                        : " (with modifiers) and gphase") + "; move this statement out of gate '" + g.name() + "'");
            }
        }
        if (depth + 1 > limits.maxNestingDepth()) {
            throw g.namePos().limit("gate definitions nest more than " + limits.maxNestingDepth()
                    + " levels deep (ParseLimits.maxNestingDepth)");
        }
        GateDefinition def = new GateDefinition(g.name(), g.params().stream().map(Ast.Param::name).toList(),
                g.qubits().size(), List.copyOf(ops), size, depth + 1, g.namePos());
        global.declare(g.name(), new Scope.UserGate(def, Optional.of(g.namePos())));
    }

    private static int gateQubit(Ast.Operand o, Scope body, String gate) throws QasmException {
        Symbol sym = body.lookup(o.name());
        if (!(sym instanceof Scope.GateQubit q)) {
            if (sym instanceof Scope.QubitRegister || sym instanceof Scope.BitRegister) {
                throw o.pos().semantic("register '" + o.name() + "' cannot be used inside a gate body; "
                        + "pass its qubits to gate '" + gate + "' as arguments");
            }
            throw o.pos().semantic(sym == null ? "undefined qubit '" + o.name() + "' in gate '" + gate + "'"
                    : "'" + o.name() + "' is a " + sym.kind() + ", not a qubit argument of gate '" + gate + "'");
        }
        if (o.index().isPresent()) {
            throw o.index().get().pos().semantic("qubit argument '" + o.name()
                    + "' is a single qubit and cannot be indexed");
        }
        return q.index();
    }

    private Scope.GateSymbol resolveGate(String name, Pos pos, String defining) throws QasmException {
        if (name.equals(defining)) {
            throw pos.semantic("recursive gate definition: gate '" + name + "' calls itself; a gate body may call "
                    + "only gates defined before it");
        }
        Symbol sym = global.lookup(name);
        if (sym instanceof Scope.GateSymbol g) {
            return g;
        }
        if (sym != null) {
            throw pos.semantic("'" + name + "' is a " + sym.kind() + ", not a gate");
        }
        if (version == QasmVersion.V2 && QELIB1_NAMES.contains(name)) {
            throw pos.semantic("undefined gate '" + name + "'; add include \"qelib1.inc\";");
        }
        if (version == QasmVersion.V3 && STDGATES_NAMES.contains(name)) {
            throw pos.semantic("undefined gate '" + name + "'; add include \"stdgates.inc\";");
        }
        Optional<Pos> later = parsers.peek().findLaterGateDefinition(name);
        if (later.isPresent()) {
            throw pos.semantic("gate '" + name + "' is used before it is defined (at line " + later.get().line()
                    + "); move its definition above this use");
        }
        if (version == QasmVersion.V3 && QELIB1_NAMES.contains(name)) {
            throw pos.semantic("undefined gate '" + name + "': it is in OpenQASM 2's qelib1.inc but not in "
                    + "stdgates.inc; define it with a 'gate' definition");
        }
        throw pos.semantic("undefined gate '" + name + "'");
    }

    /** Operations one call expands to: 1 for a library or opaque gate, the body's size times |k| per pow(k). */
    private static long callSize(Scope.GateSymbol callee, List<GateModifier> mods) {
        if (!(callee instanceof Scope.UserGate u)) {
            return 1;
        }
        long size = u.definition().size();
        for (GateModifier m : mods) {
            if (m instanceof GateModifier.Power p) {
                size = Budget.saturatedMultiply(size, Math.abs(repetitions(p)));
            }
        }
        return size;
    }

    /** The integer exponent of a pow modifier on a user gate, already checked to be whole. */
    private static long repetitions(GateModifier.Power p) {
        double k = ((Expr.Constant) p.exponent()).value();
        return Math.abs(k) > 1e15 ? (k > 0 ? Long.MAX_VALUE / 2 : -(Long.MAX_VALUE / 2)) : (long) k;
    }

    private List<GateModifier> modifiers(Ast.GateCall c, Scope scope, Scope.GateSymbol callee)
            throws QasmException {
        List<GateModifier> mods = new ArrayList<>(c.modifiers().size());
        for (Ast.Modifier m : c.modifiers()) {
            mods.add(switch (m.kind()) {
                case CTRL, NEGCTRL -> {
                    int n = 1;
                    if (m.argument().isPresent()) {
                        Ast.Expr arg = m.argument().get();
                        long count = evaluator.integer(arg, scope, "the number of control qubits");
                        if (count < 1 || count > limits.maxQubits()) {
                            throw arg.start().semantic("the number of control qubits must be between 1 and the "
                                    + "qubit limit " + limits.maxQubits() + ", got " + count);
                        }
                        n = (int) count;
                    }
                    yield m.kind() == Ast.ModifierKind.CTRL ? new GateModifier.Ctrl(n) : new GateModifier.NegCtrl(n);
                }
                case INV -> new GateModifier.Inverse();
                case POW -> power(m, scope, callee);
            });
        }
        return mods;
    }

    private GateModifier power(Ast.Modifier m, Scope scope, Scope.GateSymbol callee) throws QasmException {
        Ast.Expr arg = m.argument().orElseThrow();
        Value v = evaluator.eval(arg, scope);
        if (!(callee instanceof Scope.UserGate)) {
            return new GateModifier.Power(Evaluator.toExpr(v, arg.start(), "the pow exponent"));
        }
        String what = "the exponent of pow on user-defined gate '" + callee.name() + "'";
        double k = switch (v) {
            case Value.Int i -> i.value();
            case Value.Real r -> r.value();
            case Value.Bool b -> throw arg.start().semantic(what + " must be a number, got a bool");
            case Sym s when s.fromInput() -> throw evaluator.notConstant(arg.start(), s, what);
            case Sym s -> throw m.pos().unsupported("pow with a symbolic exponent (" + s.origin()
                    + ") on user-defined gate '" + callee.name() + "' is not supported yet; use an integer constant");
        };
        if (k != Math.rint(k)) {
            throw m.pos().unsupported("pow(" + Evaluator.format(k) + ") on user-defined gate '" + callee.name()
                    + "' is not supported yet: only integer powers of user-defined gates are");
        }
        return new GateModifier.Power(Expr.constant(k));
    }

    private List<Value> params(Ast.GateCall c, Scope scope, Scope.GateSymbol callee) throws QasmException {
        if (c.params().size() != callee.numParams()) {
            throw c.namePos().semantic("gate '" + c.name() + "' takes " + callee.numParams() + " parameter"
                    + (callee.numParams() == 1 ? "" : "s") + ", got " + c.params().size());
        }
        List<Value> values = new ArrayList<>(c.params().size());
        for (Ast.Expr e : c.params()) {
            Value v = evaluator.eval(e, scope);
            if (v instanceof Value.Bool) {
                throw e.start().semantic("a gate parameter must be a number, got a bool");
            }
            values.add(v);
        }
        return values;
    }

    private static void checkQubitCount(Ast.GateCall c, Scope.GateSymbol callee, List<GateModifier> mods)
            throws QasmException {
        int controls = mods.stream().mapToInt(GateModifier::addedQubits).sum();
        int expected = callee.numQubits() + controls;
        if (c.qubits().size() != expected) {
            String detail = controls == 0 ? "" : " (" + controls + " control" + (controls == 1 ? "" : "s")
                    + " and " + callee.numQubits() + " for the gate)";
            throw c.namePos().semantic("gate '" + c.name() + "' takes " + expected + " qubit argument"
                    + (expected == 1 ? "" : "s") + detail + ", got " + c.qubits().size());
        }
    }

    // ---- gate calls and their expansion ------------------------------------------------------------------

    private void gateCall(Ast.GateCall c, Scope scope, Consumer<Operation> out) throws QasmException {
        Scope.GateSymbol callee = resolveGate(c.name(), c.namePos(), null);
        List<GateModifier> mods = modifiers(c, scope, callee);
        List<Value> params = params(c, scope, callee);
        checkQubitCount(c, callee, mods);
        List<Selection> args = new ArrayList<>(c.qubits().size());
        for (Ast.Operand o : c.qubits()) {
            args.add(select(o, scope, true, "a gate argument"));
        }
        int instances = broadcast(args, "gate call");
        budget.operations(Budget.saturatedMultiply(instances, callSize(callee, mods)), c.namePos());
        for (int k = 0; k < instances; k++) {
            List<Integer> qubits = new ArrayList<>(args.size());
            for (Selection s : args) {
                int q = s.at(k);
                if (qubits.contains(q)) {
                    throw s.operand().pos().semantic("qubit " + qubitName(q) + " is used twice in this gate call");
                }
                qubits.add(q);
            }
            if (callee instanceof Scope.UserGate u) {
                try {
                    expand(u.definition(), params, mods, 0, qubits, out);
                } catch (QasmException e) {
                    throw withContext(e, " (in the expansion of gate '" + c.name() + "' called at "
                            + c.namePos().source().name() + ":" + c.namePos().line() + ")");
                }
            } else {
                emit(callee, params, mods, qubits, out);
            }
        }
    }

    private static QasmException withContext(QasmException e, String context) {
        Diagnostic d = e.diagnostic();
        return new QasmException(e.kind(), new Diagnostic(d.file(), d.line(), d.column(), d.message() + context,
                d.sourceLine()));
    }

    private void emit(Scope.GateSymbol callee, List<Value> params, List<GateModifier> mods, List<Integer> qubits,
                      Consumer<Operation> out) throws QasmException {
        switch (callee) {
            case Scope.LibraryGate lg -> out.accept(new GateOperation(lg.gate(), exprs(params), mods, qubits));
            case Scope.Opaque o -> out.accept(new GateOperation(o.gate(), exprs(params), mods, qubits));
            case Scope.UserGate u -> expand(u.definition(), params, mods, 0, qubits, out);
        }
    }

    /** Parameter values, already checked to be numbers or symbolic. */
    private static List<Expr> exprs(List<Value> values) {
        List<Expr> out = new ArrayList<>(values.size());
        for (Value v : values) {
            out.add(switch (v) {
                case Value.Int i -> Expr.constant(i.value());
                case Value.Real r -> Expr.constant(r.value());
                case Sym s -> s.expr();
                case Value.Bool b -> throw new IllegalStateException("a bool gate parameter got past the check");
            });
        }
        return out;
    }

    /**
     * Expands a user gate under {@code mods[from..]} (outermost first) onto {@code qubits} (controls first).
     * Modifiers are pushed into the body: ctrl/negctrl prepend themselves and their control qubits to every
     * operation, inv reverses the body and prepends an inverse, pow(k) repeats it (|k| times, inverted if k < 0).
     */
    private void expand(GateDefinition def, List<Value> params, List<GateModifier> mods, int from,
                        List<Integer> qubits, Consumer<Operation> out) throws QasmException {
        if (from == mods.size()) {
            expandBody(def, params, qubits, out);
            return;
        }
        GateModifier m = mods.get(from);
        switch (m) {
            case GateModifier.Ctrl ctrl -> controlled(def, params, mods, from, qubits, ctrl.count(), m, out);
            case GateModifier.NegCtrl neg -> controlled(def, params, mods, from, qubits, neg.count(), m, out);
            case GateModifier.Inverse inv -> {
                List<Operation> inner = new ArrayList<>();
                expand(def, params, mods, from + 1, qubits, inner::add);
                for (int i = inner.size() - 1; i >= 0; i--) {
                    out.accept(prepend(inner.get(i), inv, List.of()));
                }
            }
            case GateModifier.Power p -> {
                long k = repetitions(p);
                List<Operation> inner = new ArrayList<>();
                expand(def, params, mods, from + 1, qubits, inner::add);
                if (k < 0) {
                    List<Operation> inverted = new ArrayList<>(inner.size());
                    for (int i = inner.size() - 1; i >= 0; i--) {
                        inverted.add(prepend(inner.get(i), new GateModifier.Inverse(), List.of()));
                    }
                    inner = inverted;
                }
                for (long r = 0; r < Math.abs(k); r++) {
                    inner.forEach(out); // records are immutable: repeating shares them
                }
            }
        }
    }

    private void controlled(GateDefinition def, List<Value> params, List<GateModifier> mods, int from,
                            List<Integer> qubits, int count, GateModifier m, Consumer<Operation> out)
            throws QasmException {
        List<Integer> controls = qubits.subList(0, count);
        expand(def, params, mods, from + 1, qubits.subList(count, qubits.size()),
                op -> out.accept(prepend(op, m, controls)));
    }

    private static Operation prepend(Operation op, GateModifier m, List<Integer> controls) {
        return switch (op) {
            case GateOperation g -> {
                List<GateModifier> mods = new ArrayList<>(g.modifiers().size() + 1);
                mods.add(m);
                mods.addAll(g.modifiers());
                List<Integer> qubits = new ArrayList<>(controls.size() + g.qubits().size());
                qubits.addAll(controls);
                qubits.addAll(g.qubits());
                yield new GateOperation(g.gate(), g.params(), mods, qubits);
            }
            // only OpenQASM 2 bodies hold barriers, and OpenQASM 2 has no modifiers
            default -> throw new IllegalStateException("cannot apply a modifier to " + op);
        };
    }

    private void expandBody(GateDefinition def, List<Value> params, List<Integer> qubits, Consumer<Operation> out)
            throws QasmException {
        Scope scope = global.gateBody();
        for (int i = 0; i < params.size(); i++) {
            scope.declare(def.params().get(i), new Scope.Constant(params.get(i), "parameter", Optional.empty()));
        }
        for (GateDefinition.BodyOp op : def.body()) {
            switch (op) {
                case GateDefinition.Barrier b -> out.accept(new Barrier(b.qubits().stream().map(qubits::get)
                        .toList()));
                case GateDefinition.Call c -> {
                    budget.step(c.source().pos());
                    List<GateModifier> mods = modifiers(c.source(), scope, c.callee());
                    List<Value> values = params(c.source(), scope, c.callee());
                    List<Integer> mapped = new ArrayList<>(c.qubits().size());
                    for (int q : c.qubits()) {
                        mapped.add(qubits.get(q));
                    }
                    emit(c.callee(), values, mods, mapped, out);
                }
            }
        }
    }

    // ---- measure, reset, barrier -------------------------------------------------------------------------

    private void measure(Ast.MeasureStmt m, Scope scope, Consumer<Operation> out) throws QasmException {
        Selection q = select(m.qubit(), scope, true, "measure");
        Selection c = select(m.target(), scope, false, "the measure target");
        if (q.size() != c.size()) {
            throw m.target().pos().semantic("measure needs as many bits as qubits: " + describe(q) + " has "
                    + q.size() + " qubit" + (q.size() == 1 ? "" : "s") + " but " + describe(c) + " has "
                    + c.size() + " bit" + (c.size() == 1 ? "" : "s"));
        }
        budget.operations(q.size(), m.pos());
        for (int i = 0; i < q.size(); i++) {
            out.accept(new Measure(q.at(i), c.at(i)));
        }
    }

    private void reset(Ast.ResetStmt r, Scope scope, Consumer<Operation> out) throws QasmException {
        Selection q = select(r.qubit(), scope, true, "reset");
        budget.operations(q.size(), r.pos());
        for (int i = 0; i < q.size(); i++) {
            out.accept(new Reset(q.at(i)));
        }
    }

    private void barrier(Ast.BarrierStmt b, Scope scope, Consumer<Operation> out) throws QasmException {
        LinkedHashSet<Integer> qubits = new LinkedHashSet<>();
        if (b.qubits().isEmpty()) {
            for (int q = 0; q < numQubits; q++) {
                qubits.add(q);
            }
        }
        for (Ast.Operand o : b.qubits()) {
            Selection s = select(o, scope, true, "barrier");
            for (int i = 0; i < s.size(); i++) {
                qubits.add(s.at(i));
            }
        }
        if (!qubits.isEmpty()) {
            budget.operations(1, b.pos());
            out.accept(new Barrier(List.copyOf(qubits)));
        }
    }

    // ---- operands ----------------------------------------------------------------------------------------

    /** Flat qubit or bit indices an operand denotes; {@code single} when it names one element, not a register. */
    private record Selection(Ast.Operand operand, int[] indices, boolean single) {
        int size() {
            return indices.length;
        }

        int at(int k) {
            return single ? indices[0] : indices[k];
        }
    }

    /** How many times a call runs when registers are broadcast: their common size, or 1 with none. */
    private static int broadcast(List<Selection> args, String what) throws QasmException {
        Selection first = null;
        for (Selection s : args) {
            if (s.single()) {
                continue;
            }
            if (first == null) {
                first = s;
            } else if (s.size() != first.size()) {
                throw s.operand().pos().semantic("registers in one " + what + " must have the same size: "
                        + describe(first) + " has " + first.size() + ", " + describe(s) + " has " + s.size());
            }
        }
        return first == null ? 1 : first.size();
    }

    private Selection select(Ast.Operand o, Scope scope, boolean qubit, String role) throws QasmException {
        budget.step(o.pos());
        Symbol sym = scope.lookup(o.name());
        Register reg;
        int offset;
        if (qubit && sym instanceof Scope.QubitRegister q) {
            reg = q.register();
            offset = q.offset();
        } else if (!qubit && sym instanceof Scope.BitRegister b) {
            reg = b.register();
            offset = b.offset();
        } else if (sym == null) {
            throw o.pos().semantic("undefined " + (qubit ? "qubit" : "classical") + " register '" + o.name() + "'");
        } else if (qubit && sym instanceof Scope.BitRegister) {
            throw o.pos().semantic("'" + o.name() + "' is a classical register, but " + role + " needs qubits");
        } else if (!qubit && sym instanceof Scope.QubitRegister) {
            throw o.pos().semantic("'" + o.name() + "' is a qubit register, but " + role
                    + " needs classical bits");
        } else {
            throw o.pos().semantic("'" + o.name() + "' is a " + sym.kind() + ", but " + role + " needs "
                    + (qubit ? "qubits" : "classical bits"));
        }
        if (o.index().isEmpty()) {
            int[] all = new int[reg.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = offset + i;
            }
            return new Selection(o, all, reg.scalar());
        }
        Ast.Index index = o.index().get();
        if (reg.scalar()) {
            throw index.pos().semantic("'" + o.name() + "' is a single " + (qubit ? "qubit" : "bit")
                    + " and cannot be indexed");
        }
        int[] local = indices(index, reg, scope);
        for (int i = 0; i < local.length; i++) {
            local[i] += offset;
        }
        return new Selection(o, local, index instanceof Ast.SingleIndex);
    }

    /** Register-local indices an index selects, negative ones (OpenQASM 3) counted from the end. */
    private int[] indices(Ast.Index index, Register reg, Scope scope) throws QasmException {
        return switch (index) {
            case Ast.SingleIndex s -> new int[] {element(s.index(), reg, scope)};
            case Ast.SetIndex s -> {
                int[] out = new int[s.elements().size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = element(s.elements().get(i), reg, scope);
                }
                yield out;
            }
            case Ast.RangeIndex r -> {
                long step = 1;
                if (r.step().isPresent()) {
                    step = evaluator.integer(r.step().get(), scope, "a slice step");
                    if (step == 0) {
                        throw r.step().get().start().semantic("a slice step must not be zero");
                    }
                }
                int start = r.start().isPresent() ? element(r.start().get(), reg, scope)
                        : step > 0 ? 0 : reg.size() - 1;
                int end = r.end().isPresent() ? element(r.end().get(), reg, scope) : step > 0 ? reg.size() - 1 : 0;
                long count = step > 0 ? (end >= start ? (end - start) / step + 1 : 0)
                        : (start >= end ? (start - end) / -step + 1 : 0);
                int[] out = new int[(int) count];
                for (int i = 0; i < out.length; i++) {
                    out[i] = (int) (start + i * step);
                }
                yield out;
            }
        };
    }

    private int element(Ast.Expr e, Register reg, Scope scope) throws QasmException {
        long i = evaluator.integer(e, scope, "an index");
        long resolved = i < 0 && version == QasmVersion.V3 ? i + reg.size() : i;
        if (resolved < 0 || resolved >= reg.size()) {
            throw e.start().semantic("index " + i + " out of range for register " + reg.name() + " of size "
                    + reg.size());
        }
        return (int) resolved;
    }

    /** How a message names an operand: {@code q}, {@code q[1]}, or {@code q[…]} for a slice. */
    private static String describe(Selection s) {
        Ast.Operand o = s.operand();
        if (o.index().isEmpty()) {
            return o.name();
        }
        if (o.index().get() instanceof Ast.SingleIndex i && i.index() instanceof Ast.IntLit l) {
            return o.name() + "[" + l.value() + "]";
        }
        return o.name() + "[…]";
    }

    private String qubitName(int flat) {
        for (Scope.QubitRegister r : qubitRegisters) {
            if (flat >= r.offset() && flat < r.offset() + r.register().size()) {
                return r.register().scalar() ? r.register().name()
                        : r.register().name() + "[" + (flat - r.offset()) + "]";
            }
        }
        return Integer.toString(flat);
    }

    // ---- control flow ------------------------------------------------------------------------------------

    /** A condition known at compile time, or a test of classical bits (inverted: run the else branch on true). */
    private sealed interface Test {
    }

    private record Static(boolean value) implements Test {
    }

    private record Dynamic(Condition condition, boolean inverted) implements Test {
    }

    private void ifStatement(Ast.IfStmt s, Scope scope, Consumer<Operation> out) throws QasmException {
        Test test = test(s.condition(), scope, false);
        if (test instanceof Static st) {
            Scope inner = scope.block();
            for (Stmt branch : st.value() ? s.then() : s.otherwise()) {
                statement(branch, inner, out);
            }
            return;
        }
        Dynamic d = (Dynamic) test;
        budget.operations(1, s.pos());
        List<Operation> then = block(s.then(), scope);
        List<Operation> otherwise = block(s.otherwise(), scope);
        out.accept(d.inverted() ? new Conditional(d.condition(), otherwise, then)
                : new Conditional(d.condition(), then, otherwise));
    }

    private List<Operation> block(List<Stmt> stmts, Scope scope) throws QasmException {
        List<Operation> ops = new ArrayList<>();
        Scope inner = scope.block();
        for (Stmt st : stmts) {
            statement(st, inner, ops::add);
        }
        return ops;
    }

    private Test test(Ast.Expr e, Scope scope, boolean negated) throws QasmException {
        budget.step(e.start());
        if (e instanceof Ast.Unary u && u.op() == Ast.UnaryOp.NOT) {
            return test(u.operand(), scope, !negated);
        }
        if (e instanceof Ast.Binary b && (b.op() == Ast.BinaryOp.EQUAL || b.op() == Ast.BinaryOp.NOT_EQUAL)) {
            boolean flip = negated ^ (b.op() == Ast.BinaryOp.NOT_EQUAL);
            if (isBits(b.left(), scope)) {
                return compare(b.left(), b.right(), scope, flip);
            }
            if (isBits(b.right(), scope)) {
                return compare(b.right(), b.left(), scope, flip);
            }
        }
        if (isBits(e, scope)) {
            int[] bits = bits(e, scope);
            if (bits.length == 1) {
                return new Dynamic(new Condition(List.of(bits[0]), negated ? 0 : 1), false);
            }
            return new Dynamic(condition(e, bits), !negated); // a register is true when it is not zero
        }
        Value v = evaluator.eval(e, scope);
        return switch (v) {
            case Value.Bool b -> new Static(b.value() ^ negated);
            case Sym s -> throw evaluator.notConstant(e.start(), s, "an if condition");
            default -> throw e.start().semantic("an if condition must be a bool or a test of classical bits, "
                    + "got " + (v instanceof Value.Int ? "an integer" : "a float"));
        };
    }

    private Test compare(Ast.Expr bitsExpr, Ast.Expr valueExpr, Scope scope, boolean inverted) throws QasmException {
        int[] bits = bits(bitsExpr, scope);
        Value v = evaluator.eval(valueExpr, scope);
        if (v instanceof Sym s) {
            throw evaluator.notConstant(valueExpr.start(), s, "the value a condition compares with");
        }
        if (bits.length == 1) {
            long bit = switch (v) {
                case Value.Bool b -> b.value() ? 1 : 0;
                case Value.Int i when i.value() == 0 || i.value() == 1 -> i.value();
                default -> throw valueExpr.start().semantic("a single bit compares with 0, 1, true or false, got "
                        + (v instanceof Value.Int i ? Long.toString(i.value()) : "a " + v.typeName()));
            };
            return new Dynamic(new Condition(List.of(bits[0]), inverted ? 1 - bit : bit), false);
        }
        if (!(v instanceof Value.Int i)) {
            throw valueExpr.start().semantic("a register compares with an integer, got a " + v.typeName());
        }
        Condition c = condition(bitsExpr, bits);
        if (i.value() < 0 || i.value() >= (1L << bits.length)) {
            throw valueExpr.start().semantic("condition value " + i.value() + " does not fit in the " + bits.length
                    + " bits of " + name(bitsExpr) + " (largest value " + ((1L << bits.length) - 1) + ")");
        }
        return new Dynamic(new Condition(c.clbits(), i.value()), inverted);
    }

    private static Condition condition(Ast.Expr e, int[] bits) throws QasmException {
        if (bits.length > 63) {
            throw e.start().unsupported("conditions on registers wider than 63 bits are not supported; "
                    + name(e) + " has " + bits.length);
        }
        List<Integer> list = new ArrayList<>(bits.length);
        for (int b : bits) {
            list.add(b);
        }
        return new Condition(list, 0);
    }

    private static String name(Ast.Expr e) {
        return e instanceof Ast.Ident id ? id.name() : e instanceof Ast.IndexedName n ? n.name() + "[…]" : "?";
    }

    /** Whether {@code e} names a register (classical or, to report it, quantum) or one of its bits. */
    private static boolean isBits(Ast.Expr e, Scope scope) {
        String name = e instanceof Ast.Ident id ? id.name() : e instanceof Ast.IndexedName n ? n.name() : null;
        Symbol sym = name == null ? null : scope.lookup(name);
        return sym instanceof Scope.BitRegister || sym instanceof Scope.QubitRegister;
    }

    private int[] bits(Ast.Expr e, Scope scope) throws QasmException {
        Ast.Operand o = switch (e) {
            case Ast.Ident id -> new Ast.Operand(id.name(), Optional.empty(), id.pos());
            case Ast.IndexedName n -> new Ast.Operand(n.name(), Optional.of(new Ast.SingleIndex(n.index(),
                    n.index().pos())), n.namePos());
            default -> throw new IllegalStateException();
        };
        return select(o, scope, false, "a condition").indices();
    }

    private void forStatement(Ast.ForStmt f, Scope scope, Consumer<Operation> out) throws QasmException {
        long start;
        long step;
        long count;
        long[] set = null;
        switch (f.over()) {
            case Ast.RangeIterable r -> {
                start = evaluator.integer(r.start(), scope, "the loop start");
                step = 1;
                if (r.step().isPresent()) {
                    step = evaluator.integer(r.step().get(), scope, "the loop step");
                    if (step == 0) {
                        throw r.step().get().start().semantic("the loop step must not be zero");
                    }
                }
                long end = evaluator.integer(r.end(), scope, "the loop end");
                BigInteger diff = BigInteger.valueOf(end).subtract(BigInteger.valueOf(start));
                if (diff.signum() != 0 && diff.signum() != Long.signum(step)) {
                    count = 0; // the end inclusive lies behind the start
                } else {
                    BigInteger n = diff.divide(BigInteger.valueOf(step)).add(BigInteger.ONE);
                    count = n.bitLength() < 63 ? n.longValue() : Long.MAX_VALUE;
                }
            }
            case Ast.SetIterable s -> {
                set = new long[s.elements().size()];
                for (int i = 0; i < set.length; i++) {
                    set[i] = evaluator.integer(s.elements().get(i), scope, "a loop value");
                }
                start = 0;
                step = 0;
                count = set.length;
            }
        }
        budget.iterations(count, f.pos());
        for (long k = 0; k < count; k++) {
            long value = set != null ? set[(int) k] : start + k * step;
            Scope body = scope.block();
            body.declare(f.variable(), new Scope.Constant(new Value.Int(value), "loop variable",
                    Optional.of(f.variablePos())));
            for (Stmt st : f.body()) {
                statement(st, body, out);
            }
        }
    }
}
