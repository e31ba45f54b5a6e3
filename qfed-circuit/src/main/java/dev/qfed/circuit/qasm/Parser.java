package dev.qfed.circuit.qasm;

import dev.qfed.circuit.qasm.Ast.Expr;
import dev.qfed.circuit.qasm.Ast.Stmt;
import dev.qfed.circuit.qasm.Token.Kind;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Recursive-descent parser for OpenQASM 2.0 and the OpenQASM 3 subset, one top-level statement at a time so the
 * elaborator can interleave its work (and report errors in source order). Every recursion goes through
 * {@link #enter}, bounded by {@link ParseLimits#maxNestingDepth()}, so hostile nesting ends in a LIMIT error
 * rather than a StackOverflowError.
 */
final class Parser {
    private static final Set<String> RESERVED_2 = Set.of("OPENQASM", "include", "qreg", "creg", "gate", "opaque",
            "barrier", "measure", "reset", "if", "pi", "sin", "cos", "tan", "exp", "ln", "sqrt");
    private static final Set<String> RESERVED_3 = Set.of("OPENQASM", "include", "defcalgrammar", "def", "cal",
            "defcal", "gate", "extern", "box", "let", "break", "continue", "if", "else", "end", "return", "for",
            "while", "in", "switch", "case", "default", "input", "output", "const", "readonly", "mutable", "qreg",
            "qubit", "creg", "bool", "bit", "int", "uint", "float", "angle", "complex", "array", "void",
            "duration", "stretch", "gphase", "inv", "pow", "ctrl", "negctrl", "durationof", "delay", "reset",
            "measure", "barrier", "true", "false", "pi", "π", "tau", "τ", "euler", "ℇ", "sin", "cos", "tan", "exp",
            "ln", "sqrt", "arcsin", "arccos", "arctan");
    private static final Map<String, dev.qfed.circuit.Expr.Function> FUNCTIONS_2 = Map.of(
            "sin", dev.qfed.circuit.Expr.Function.SIN, "cos", dev.qfed.circuit.Expr.Function.COS,
            "tan", dev.qfed.circuit.Expr.Function.TAN, "exp", dev.qfed.circuit.Expr.Function.EXP,
            "ln", dev.qfed.circuit.Expr.Function.LN, "sqrt", dev.qfed.circuit.Expr.Function.SQRT);
    private static final Map<String, dev.qfed.circuit.Expr.Function> FUNCTIONS_3;

    static {
        var m = new java.util.HashMap<>(FUNCTIONS_2);
        m.put("arcsin", dev.qfed.circuit.Expr.Function.ARCSIN);
        m.put("arccos", dev.qfed.circuit.Expr.Function.ARCCOS);
        m.put("arctan", dev.qfed.circuit.Expr.Function.ARCTAN);
        FUNCTIONS_3 = Map.copyOf(m);
    }

    private static final Set<String> MODIFIERS = Set.of("ctrl", "negctrl", "inv", "pow");
    private static final Set<String> CLASSICAL_TYPES = Set.of("int", "uint", "float", "angle", "bool",
            "complex");

    private final SourceText source;
    private final Lexer lexer;
    private final ParseLimits limits;
    private final List<Token> lookahead = new ArrayList<>(4);
    private Token previous;
    private QasmVersion version;
    private boolean headerless;
    private int depth;

    Parser(SourceText source, ParseLimits limits) {
        this.source = source;
        this.lexer = new Lexer(source);
        this.limits = limits;
    }

    /**
     * Reads the {@code OPENQASM} header if there is one and fixes the version: the header's, else
     * {@code inherited} (an included file follows its includer), else OpenQASM 3 as the 3.0 specification says.
     */
    QasmVersion readHeader(Optional<QasmVersion> inherited) throws QasmException {
        if (!peek().isWord("OPENQASM")) {
            version = inherited.orElse(QasmVersion.V3);
            headerless = inherited.isEmpty();
            return version;
        }
        advance();
        Token number = peek();
        if (!number.is(Kind.INT) && !number.is(Kind.REAL)) {
            throw expected("a version number after OPENQASM, such as 2.0 or 3.0");
        }
        advance();
        QasmVersion declared = switch (number.text()) {
            case "2", "2.0" -> QasmVersion.V2;
            case "3", "3.0", "3.1", "3.2" -> QasmVersion.V3;
            default -> throw number.pos().unsupported("OpenQASM version " + number.text()
                    + " is not supported; write 'OPENQASM 2.0;' or 'OPENQASM 3.0;'");
        };
        if (inherited.isPresent() && inherited.get() != declared) {
            throw number.pos().semantic("this included file declares OpenQASM " + number.text()
                    + " but the file including it is OpenQASM " + (inherited.get() == QasmVersion.V2 ? "2.0" : "3")
                    + "; both must use the same version");
        }
        expect(Kind.SEMI, "after the OPENQASM header");
        version = declared;
        return version;
    }

    /** Whether the version is OpenQASM 3 only because a root file has no header. */
    boolean headerless() {
        return headerless;
    }

    /** The next top-level statement, empty at the end of the file. */
    Optional<Stmt> next() throws QasmException {
        if (peek().is(Kind.EOF)) {
            return Optional.empty();
        }
        return Optional.of(statement());
    }

    /**
     * After an error about a gate used before its definition: whether the rest of this file defines it, and
     * where. Parse errors further on are ignored; the caller reports its own error either way.
     */
    Optional<Pos> findLaterGateDefinition(String name) {
        try {
            for (Optional<Stmt> s = next(); s.isPresent(); s = next()) {
                if (s.get() instanceof Ast.GateDef g && g.name().equals(name)) {
                    return Optional.of(g.namePos());
                }
                if (s.get() instanceof Ast.OpaqueDef g && g.name().equals(name)) {
                    return Optional.of(g.namePos());
                }
            }
        } catch (QasmException e) {
            // what follows does not parse; the original error stands
        }
        return Optional.empty();
    }

    /** Where the parser is: the last token read, for errors found without a better place. */
    Pos position() {
        return previous != null ? previous.pos() : lookahead.isEmpty() ? new Pos(source, 1, 1) : lookahead.get(0).pos();
    }

    // ---- statements --------------------------------------------------------------------------------------

    private Stmt statement() throws QasmException {
        return version == QasmVersion.V2 ? statement2() : statement3();
    }

    private Stmt statement2() throws QasmException {
        Token t = peek();
        if (t.is(Kind.IDENT)) {
            switch (t.text()) {
                case "include" -> {
                    return include();
                }
                case "qreg", "creg" -> {
                    advance();
                    Token name = expectName("register");
                    expect(Kind.LBRACKET, "after the register name");
                    Expr size = integerLiteral2("register size");
                    expect(Kind.RBRACKET, "after the register size");
                    expectSemi();
                    return new Ast.RegisterDecl(t.text().equals("qreg") ? Ast.RegisterKind.QUBIT
                            : Ast.RegisterKind.BIT, name.text(), Optional.of(size), Optional.empty(), t.pos(),
                            name.pos());
                }
                case "gate" -> {
                    return gateDefinition();
                }
                case "opaque" -> {
                    return opaque();
                }
                case "measure" -> {
                    return measureArrow();
                }
                case "reset" -> {
                    advance();
                    Ast.Operand q = operand();
                    expectSemi();
                    return new Ast.ResetStmt(q, t.pos());
                }
                case "barrier" -> {
                    advance();
                    List<Ast.Operand> qs = operandList();
                    expectSemi();
                    return new Ast.BarrierStmt(qs, t.pos());
                }
                case "if" -> {
                    return if2();
                }
                case "OPENQASM" -> throw t.pos().syntax("the OPENQASM header must be the first statement");
                default -> {
                    if (!RESERVED_2.contains(t.text())) {
                        return gateCall(List.of(), t.pos());
                    }
                }
            }
        }
        throw t.pos().syntax("unexpected " + t.describe() + ": expected a statement");
    }

    private Stmt if2() throws QasmException {
        Token ifToken = advance();
        expect(Kind.LPAREN, "after 'if'");
        Token reg = expectName("classical register");
        Token eq = peek();
        expect(Kind.EQ, "in an OpenQASM 2 condition, which has the form 'if (creg == integer)'");
        Expr value = integerLiteral2("condition value");
        expect(Kind.RPAREN, "after the condition");
        Token op = peek();
        Stmt body;
        if (op.isWord("measure")) {
            body = measureArrow();
        } else if (op.isWord("reset")) {
            advance();
            Ast.Operand q = operand();
            expectSemi();
            body = new Ast.ResetStmt(q, op.pos());
        } else if (op.is(Kind.IDENT) && !RESERVED_2.contains(op.text())) {
            body = gateCall(List.of(), op.pos());
        } else {
            throw op.pos().syntax("an OpenQASM 2 'if' applies to one gate call, measure or reset, found "
                    + op.describe());
        }
        Expr cond = new Ast.Binary(Ast.BinaryOp.EQUAL, new Ast.Ident(reg.text(), reg.pos()), value, eq.pos());
        return new Ast.IfStmt(cond, List.of(body), List.of(), ifToken.pos());
    }

    private Stmt statement3() throws QasmException {
        Token t = peek();
        switch (t.kind()) {
            case AT -> throw t.pos().unsupported("annotations are not supported yet; remove the '@…' line");
            case PRAGMA -> throw t.pos().unsupported("pragmas are not supported yet; remove the '#pragma' line");
            case HARDWARE_QUBIT -> throw t.pos().unsupported(
                    "physical qubits such as " + t.text() + " are not supported yet; declare 'qubit[n] q;' and use q[i]");
            case IDENT -> {
            }
            default -> throw t.pos().syntax("unexpected " + t.describe() + ": expected a statement");
        }
        String w = t.text();
        switch (w) {
            case "include" -> {
                return include();
            }
            case "qubit", "bit" -> {
                return register3();
            }
            case "qreg", "creg" -> {
                advance();
                Token name = expectName("register");
                expect(Kind.LBRACKET, "after the register name");
                Expr size = expression();
                expect(Kind.RBRACKET, "after the register size");
                expectSemi();
                return new Ast.RegisterDecl(w.equals("qreg") ? Ast.RegisterKind.QUBIT : Ast.RegisterKind.BIT,
                        name.text(), Optional.of(size), Optional.empty(), t.pos(), name.pos());
            }
            case "const" -> {
                return constDeclaration();
            }
            case "input" -> {
                return inputDeclaration();
            }
            case "gate" -> {
                return gateDefinition();
            }
            case "measure" -> {
                return measureArrow();
            }
            case "reset" -> {
                advance();
                Ast.Operand q = operand();
                expectSemi();
                return new Ast.ResetStmt(q, t.pos());
            }
            case "barrier" -> {
                advance();
                List<Ast.Operand> qs = peek().is(Kind.SEMI) ? List.of() : operandList();
                expectSemi();
                return new Ast.BarrierStmt(qs, t.pos());
            }
            case "if" -> {
                return if3();
            }
            case "for" -> {
                return for3();
            }
            case "OPENQASM" -> throw t.pos().syntax("the OPENQASM header must be the first statement");
            case "else" -> throw t.pos().syntax("'else' without a matching 'if'");
            case "opaque" -> throw t.pos().unsupported(
                    "'opaque' is not supported in OpenQASM 3; define the gate with 'gate' instead");
            case "output" -> throw t.pos().unsupported("'output' declarations are not supported yet; "
                    + "measured bits are returned anyway");
            case "def" -> throw t.pos().unsupported("subroutines ('def') are not supported yet; "
                    + "use a 'gate' definition for unitary code");
            case "extern" -> throw t.pos().unsupported("'extern' functions are not supported yet");
            case "defcal", "cal", "defcalgrammar" -> throw t.pos().unsupported(
                    "pulse-level calibration ('" + w + "') is not supported yet");
            case "while" -> throw t.pos().unsupported("'while' loops are not supported yet; "
                    + "use a 'for' loop over a constant range");
            case "break", "continue" -> throw t.pos().unsupported("'" + w + "' is not supported yet");
            case "switch" -> throw t.pos().unsupported("'switch' is not supported yet; use if/else");
            case "box", "delay" -> throw t.pos().unsupported("timing ('" + w + "') is not supported yet");
            case "duration", "stretch" -> throw t.pos().unsupported("'" + w + "' (timing) is not supported yet");
            case "let" -> throw t.pos().unsupported("aliases ('let') are not supported yet");
            case "array" -> throw t.pos().unsupported("arrays are not supported yet");
            case "return", "end" -> throw t.pos().unsupported("'" + w + "' is not supported yet");
            case "pragma" -> throw t.pos().unsupported("pragmas are not supported yet; remove the 'pragma' line");
            case "readonly", "mutable", "void", "case", "default", "in" ->
                    throw t.pos().syntax("unexpected '" + w + "': expected a statement");
            default -> {
            }
        }
        if (CLASSICAL_TYPES.contains(w)) {
            throw t.pos().unsupported("classical variables ('" + w + "') are not supported yet; only 'const' "
                    + "declarations, 'input angle'/'input float' and bit registers are");
        }
        if (MODIFIERS.contains(w) || w.equals("gphase")) {
            return gateCall3();
        }
        if (RESERVED_3.contains(w)) {
            throw t.pos().syntax("unexpected '" + w + "': expected a statement");
        }
        Token after = peek(1);
        if (after.is(Kind.LBRACKET) || after.is(Kind.ASSIGN) || after.is(Kind.COMPOUND_ASSIGN)) {
            return assignment();
        }
        return gateCall3();
    }

    private Stmt register3() throws QasmException {
        Token t = advance();
        Optional<Expr> size = Optional.empty();
        if (peek().is(Kind.LBRACKET)) {
            advance();
            size = Optional.of(expression());
            expect(Kind.RBRACKET, "after the register size");
        }
        Token name = expectName(t.text().equals("qubit") ? "qubit register" : "bit register");
        Optional<Ast.Operand> measured = Optional.empty();
        if (peek().is(Kind.ASSIGN) && t.text().equals("bit")) {
            Token assign = advance();
            if (!peek().isWord("measure")) {
                throw assign.pos().unsupported("initialising bits with a value is not supported yet; "
                        + "only 'bit c = measure q;' is");
            }
            advance();
            measured = Optional.of(operand());
        }
        expectSemi();
        return new Ast.RegisterDecl(t.text().equals("qubit") ? Ast.RegisterKind.QUBIT : Ast.RegisterKind.BIT,
                name.text(), size, measured, t.pos(), name.pos());
    }

    private Ast.ScalarType scalarType(Token t, String keyword) throws QasmException {
        Ast.ScalarType type = switch (t.text()) {
            case "int" -> Ast.ScalarType.INT;
            case "uint" -> Ast.ScalarType.UINT;
            case "float" -> Ast.ScalarType.FLOAT;
            case "angle" -> Ast.ScalarType.ANGLE;
            case "bool" -> Ast.ScalarType.BOOL;
            case "bit", "complex", "duration", "stretch", "array", "qubit" -> throw t.pos().unsupported(
                    "'" + keyword + "' of type '" + t.text() + "' is not supported yet");
            default -> throw t.pos().syntax("expected a type (int, uint, float, angle or bool) after '" + keyword
                    + "', found " + t.describe());
        };
        if (peek().is(Kind.LBRACKET)) { // a width, such as float[64]: values are held in full precision
            advance();
            expression();
            expect(Kind.RBRACKET, "after the type width");
        }
        return type;
    }

    private Stmt constDeclaration() throws QasmException {
        Token kw = advance();
        Ast.ScalarType type = scalarType(advance(), "const");
        Token name = expectName("constant");
        expect(Kind.ASSIGN, "after the constant's name: a const needs a value");
        Expr value = expression();
        expectSemi();
        return new Ast.ConstDecl(type, name.text(), value, kw.pos(), name.pos());
    }

    private Stmt inputDeclaration() throws QasmException {
        Token kw = advance();
        Token typeToken = advance();
        Ast.ScalarType type = scalarType(typeToken, "input");
        if (type != Ast.ScalarType.ANGLE && type != Ast.ScalarType.FLOAT) {
            throw typeToken.pos().unsupported("inputs of type '" + typeToken.text()
                    + "' are not supported yet; use 'input angle' or 'input float'");
        }
        Token name = expectName("input");
        if (peek().is(Kind.ASSIGN)) {
            throw peek().pos().syntax("an input has no value in the program; it is bound when the circuit runs");
        }
        expectSemi();
        return new Ast.InputDecl(type, name.text(), kw.pos(), name.pos());
    }

    private Stmt assignment() throws QasmException {
        Token name = advance();
        Optional<Ast.Index> index = Optional.empty();
        if (peek().is(Kind.LBRACKET)) {
            index = Optional.of(index());
        }
        Token op = peek();
        if (op.is(Kind.ASSIGN) && peek(1).isWord("measure")) {
            advance();
            Token measure = advance();
            Ast.Operand qubit = operand();
            expectSemi();
            return new Ast.MeasureStmt(qubit, new Ast.Operand(name.text(), index, name.pos()), measure.pos());
        }
        if (op.is(Kind.ASSIGN) || op.is(Kind.COMPOUND_ASSIGN)) {
            throw name.pos().unsupported("assignments to classical variables are not supported yet; only "
                    + "'c = measure q;' is");
        }
        throw expected("'=' in an assignment");
    }

    private Stmt include() throws QasmException {
        Token kw = advance();
        Token path = peek();
        if (!path.is(Kind.STRING)) {
            throw expected("a file name in quotes after 'include'");
        }
        advance();
        expectSemi();
        return new Ast.Include(path.text().substring(1, path.text().length() - 1), path.pos());
    }

    private Stmt gateDefinition() throws QasmException {
        Token kw = advance();
        Token name = expectName("gate");
        List<Ast.Param> params = peek().is(Kind.LPAREN) ? parenthesisedNames() : List.of();
        List<Ast.Param> qubits = names("qubit argument");
        Token open = peek();
        expect(Kind.LBRACE, "to open the gate body");
        enter(open.pos());
        List<Stmt> body = new ArrayList<>();
        while (!peek().is(Kind.RBRACE)) {
            if (peek().is(Kind.EOF)) {
                throw open.pos().syntax("the gate body opened here is never closed; add '}'");
            }
            body.add(statement());
        }
        advance();
        leave();
        return new Ast.GateDef(name.text(), params, qubits, body, kw.pos(), name.pos());
    }

    private Stmt opaque() throws QasmException {
        Token kw = advance();
        Token name = expectName("gate");
        List<Ast.Param> params = peek().is(Kind.LPAREN) ? parenthesisedNames() : List.of();
        List<Ast.Param> qubits = names("qubit argument");
        expectSemi();
        return new Ast.OpaqueDef(name.text(), params, qubits, kw.pos(), name.pos());
    }

    private List<Ast.Param> parenthesisedNames() throws QasmException {
        advance();
        List<Ast.Param> names = new ArrayList<>();
        if (!peek().is(Kind.RPAREN)) {
            names.addAll(names("parameter"));
        }
        expect(Kind.RPAREN, "after the parameter names");
        return names;
    }

    private List<Ast.Param> names(String what) throws QasmException {
        List<Ast.Param> names = new ArrayList<>();
        do {
            if (!names.isEmpty()) {
                advance();
            }
            Token n = expectName(what);
            names.add(new Ast.Param(n.text(), n.pos()));
        } while (peek().is(Kind.COMMA));
        return names;
    }

    private Stmt measureArrow() throws QasmException {
        Token kw = advance();
        Ast.Operand qubit = operand();
        if (!peek().is(Kind.ARROW)) {
            if (version == QasmVersion.V3 && peek().is(Kind.SEMI)) {
                throw kw.pos().unsupported("a measure without a target bit is not supported yet; write "
                        + "'c = measure q;' or 'measure q -> c;'");
            }
            throw expected("'->' and a classical target after the measured qubits");
        }
        advance();
        Ast.Operand target = operand();
        expectSemi();
        return new Ast.MeasureStmt(qubit, target, kw.pos());
    }

    private Stmt if3() throws QasmException {
        Token kw = advance();
        expect(Kind.LPAREN, "after 'if'");
        Expr condition = expression();
        expect(Kind.RPAREN, "after the condition");
        List<Stmt> then = blockOrStatement();
        List<Stmt> otherwise = List.of();
        if (peek().isWord("else")) {
            advance();
            otherwise = blockOrStatement();
        }
        return new Ast.IfStmt(condition, then, otherwise, kw.pos());
    }

    private Stmt for3() throws QasmException {
        Token kw = advance();
        Token first = peek();
        if (first.is(Kind.IDENT) && (first.text().equals("int") || first.text().equals("uint"))) {
            advance();
            if (peek().is(Kind.LBRACKET)) {
                advance();
                expression();
                expect(Kind.RBRACKET, "after the type width");
            }
        } else if (first.is(Kind.IDENT) && (CLASSICAL_TYPES.contains(first.text()) || first.text().equals("bit"))) {
            throw first.pos().unsupported("for loops over '" + first.text()
                    + "' values are not supported yet; loop over integers");
        }
        Token var = expectName("loop variable");
        Token in = peek();
        if (!in.isWord("in")) {
            throw expected("'in' after the loop variable");
        }
        advance();
        Token open = peek();
        Ast.Iterable over;
        if (open.is(Kind.LBRACKET)) {
            advance();
            Expr start = expression();
            expect(Kind.COLON, "in the range: a loop range is [start:end] or [start:step:end]");
            Expr second = expression();
            Optional<Expr> step = Optional.empty();
            Expr end = second;
            if (peek().is(Kind.COLON)) {
                advance();
                step = Optional.of(second);
                end = expression();
            }
            expect(Kind.RBRACKET, "to close the range");
            over = new Ast.RangeIterable(start, step, end, open.pos());
        } else if (open.is(Kind.LBRACE)) {
            over = new Ast.SetIterable(bracedList(), open.pos());
        } else if (open.is(Kind.IDENT)) {
            throw open.pos().unsupported("for loops over a register or array are not supported yet; loop over "
                    + "a range such as [0:n-1]");
        } else {
            throw expected("a range such as [0:3] or a set such as {1, 2} after 'in'");
        }
        List<Stmt> body = blockOrStatement();
        return new Ast.ForStmt(var.text(), var.pos(), over, body, kw.pos());
    }

    private List<Stmt> blockOrStatement() throws QasmException {
        Token open = peek();
        enter(open.pos());
        List<Stmt> body = new ArrayList<>();
        if (open.is(Kind.LBRACE)) {
            advance();
            while (!peek().is(Kind.RBRACE)) {
                if (peek().is(Kind.EOF)) {
                    throw open.pos().syntax("the block opened here is never closed; add '}'");
                }
                body.add(statement());
            }
            advance();
        } else {
            body.add(statement());
        }
        leave();
        return body;
    }

    // ---- gate calls and operands -------------------------------------------------------------------------

    /** OpenQASM 2 gate call, or the part of an OpenQASM 3 one after its modifiers. */
    private Stmt gateCall(List<Ast.Modifier> modifiers, Pos start) throws QasmException {
        Token name = advance();
        List<Expr> params = List.of();
        if (peek().is(Kind.LPAREN)) {
            advance();
            params = peek().is(Kind.RPAREN) ? List.of() : expressionList();
            expect(Kind.RPAREN, "after the gate parameters");
        }
        if (peek().is(Kind.LBRACKET) && version == QasmVersion.V3) {
            throw peek().pos().unsupported("duration designators on gate calls are not supported yet");
        }
        List<Ast.Operand> qubits = List.of();
        if (!peek().is(Kind.SEMI) || version == QasmVersion.V2) {
            qubits = operandList();
        }
        expectSemi();
        return new Ast.GateCall(modifiers, name.text(), params, qubits, start, name.pos());
    }

    private Stmt gateCall3() throws QasmException {
        Pos start = peek().pos();
        List<Ast.Modifier> modifiers = new ArrayList<>();
        while (peek().is(Kind.IDENT) && MODIFIERS.contains(peek().text())) {
            Token kw = advance();
            Ast.ModifierKind kind = switch (kw.text()) {
                case "ctrl" -> Ast.ModifierKind.CTRL;
                case "negctrl" -> Ast.ModifierKind.NEGCTRL;
                case "inv" -> Ast.ModifierKind.INV;
                default -> Ast.ModifierKind.POW;
            };
            Optional<Expr> argument = Optional.empty();
            if (peek().is(Kind.LPAREN) && kind != Ast.ModifierKind.INV) {
                advance();
                argument = Optional.of(expression());
                expect(Kind.RPAREN, "after the modifier's argument");
            } else if (kind == Ast.ModifierKind.POW) {
                throw expected("'(' and an exponent after 'pow'");
            }
            expect(Kind.AT, "after the gate modifier");
            modifiers.add(new Ast.Modifier(kind, argument, kw.pos()));
            if (modifiers.size() > limits.maxNestingDepth()) {
                throw kw.pos().limit("more than " + limits.maxNestingDepth()
                        + " gate modifiers on one call (ParseLimits.maxNestingDepth)");
            }
        }
        Token name = peek();
        if (!name.is(Kind.IDENT) || (RESERVED_3.contains(name.text()) && !name.text().equals("gphase"))) {
            throw expected("a gate name");
        }
        return gateCall(modifiers, start);
    }

    private List<Ast.Operand> operandList() throws QasmException {
        List<Ast.Operand> list = new ArrayList<>();
        list.add(operand());
        while (peek().is(Kind.COMMA)) {
            advance();
            list.add(operand());
        }
        return list;
    }

    private Ast.Operand operand() throws QasmException {
        Token t = peek();
        if (t.is(Kind.HARDWARE_QUBIT)) {
            throw t.pos().unsupported("physical qubits such as " + t.text()
                    + " are not supported yet; declare 'qubit[n] q;' and use q[i]");
        }
        Token name = expectName("register or qubit");
        Optional<Ast.Index> index = Optional.empty();
        if (peek().is(Kind.LBRACKET)) {
            if (version == QasmVersion.V2) {
                Token open = advance();
                Expr i = integerLiteral2("index");
                expect(Kind.RBRACKET, "after the index");
                index = Optional.of(new Ast.SingleIndex(i, open.pos()));
            } else {
                index = Optional.of(index());
            }
        }
        return new Ast.Operand(name.text(), index, name.pos());
    }

    /** {@code [i]}, {@code [a:b]}, {@code [a:s:b]} (bounds optional) or {@code [{i, j}]}. */
    private Ast.Index index() throws QasmException {
        Token open = advance();
        Ast.Index index;
        if (peek().is(Kind.LBRACE)) {
            index = new Ast.SetIndex(bracedList(), open.pos());
        } else {
            Optional<Expr> first = peek().is(Kind.COLON) ? Optional.empty() : Optional.of(expression());
            if (!peek().is(Kind.COLON)) {
                index = new Ast.SingleIndex(first.orElseThrow(), first.get().pos());
            } else {
                advance();
                Optional<Expr> second = peek().is(Kind.COLON) || peek().is(Kind.RBRACKET) ? Optional.empty()
                        : Optional.of(expression());
                if (peek().is(Kind.COLON)) {
                    advance();
                    Optional<Expr> third = peek().is(Kind.RBRACKET) ? Optional.empty() : Optional.of(expression());
                    index = new Ast.RangeIndex(first, second, third, open.pos());
                } else {
                    index = new Ast.RangeIndex(first, Optional.empty(), second, open.pos());
                }
            }
        }
        if (peek().is(Kind.COMMA)) {
            throw peek().pos().unsupported("multi-dimensional indexing is not supported");
        }
        expect(Kind.RBRACKET, "to close the index");
        return index;
    }

    private List<Expr> bracedList() throws QasmException {
        advance();
        List<Expr> list = expressionList();
        expect(Kind.RBRACE, "to close the set");
        return list;
    }

    private List<Expr> expressionList() throws QasmException {
        List<Expr> list = new ArrayList<>();
        list.add(expression());
        while (peek().is(Kind.COMMA)) {
            advance();
            list.add(expression());
        }
        return list;
    }

    // ---- expressions -------------------------------------------------------------------------------------

    private Expr expression() throws QasmException {
        enter(peek().pos());
        Expr left = additive();
        while (version == QasmVersion.V3 && (peek().is(Kind.EQ) || peek().is(Kind.NE))) {
            Token op = advance();
            Expr right = additive();
            left = checkDepth(new Ast.Binary(op.is(Kind.EQ) ? Ast.BinaryOp.EQUAL : Ast.BinaryOp.NOT_EQUAL,
                    left, right, op.pos()));
        }
        refuseOperator(peek());
        leave();
        return left;
    }

    private void refuseOperator(Token op) throws QasmException {
        switch (op.kind()) {
            case CARET -> {
                if (version == QasmVersion.V3) {
                    throw op.pos().unsupported("'^' is bitwise XOR in OpenQASM 3, which is not supported yet; "
                            + "for a power write '**'");
                }
            }
            case LT, LE, GT, GE -> throw op.pos().unsupported("comparison " + op.describe()
                    + " is not supported yet; conditions test equality ('==', '!=') or single bits");
            case AMPAMP, PIPEPIPE -> throw op.pos().unsupported("logical operator " + op.describe()
                    + " is not supported yet; nest 'if' statements instead");
            case AMP, PIPE, TILDE, SHL, SHR -> throw op.pos().unsupported("bitwise operator " + op.describe()
                    + " is not supported yet");
            case PERCENT -> throw op.pos().unsupported("the remainder operator '%' is not supported yet");
            case EQ, NE -> throw op.pos().syntax("comparison " + op.describe()
                    + " is only allowed in an OpenQASM 2 'if (creg == value)'");
            case STARSTAR -> {
                if (version == QasmVersion.V2) {
                    throw op.pos().syntax("'**' is not OpenQASM 2; write '^' for a power");
                }
            }
            default -> {
            }
        }
    }

    private Expr additive() throws QasmException {
        Expr left = multiplicative();
        while (peek().is(Kind.PLUS) || peek().is(Kind.MINUS)) {
            Token op = advance();
            Expr right = multiplicative();
            left = checkDepth(new Ast.Binary(op.is(Kind.PLUS) ? Ast.BinaryOp.ADD : Ast.BinaryOp.SUBTRACT, left,
                    right, op.pos()));
        }
        return left;
    }

    private Expr multiplicative() throws QasmException {
        Expr left = unary();
        while (peek().is(Kind.STAR) || peek().is(Kind.SLASH)) {
            Token op = advance();
            Expr right = unary();
            left = checkDepth(new Ast.Binary(op.is(Kind.STAR) ? Ast.BinaryOp.MULTIPLY : Ast.BinaryOp.DIVIDE, left,
                    right, op.pos()));
        }
        return left;
    }

    private Expr unary() throws QasmException {
        Token t = peek();
        if (t.is(Kind.MINUS) || t.is(Kind.PLUS) || (t.is(Kind.BANG) && version == QasmVersion.V3)) {
            advance();
            enter(t.pos());
            Expr operand = unary();
            leave();
            if (t.is(Kind.PLUS)) {
                return operand;
            }
            return checkDepth(new Ast.Unary(t.is(Kind.MINUS) ? Ast.UnaryOp.NEGATE : Ast.UnaryOp.NOT, operand,
                    t.pos()));
        }
        if (t.is(Kind.TILDE)) {
            refuseOperator(t);
        }
        return power();
    }

    private Expr power() throws QasmException {
        Expr base = primary();
        Token op = peek();
        if ((version == QasmVersion.V2 && op.is(Kind.CARET)) || (version == QasmVersion.V3 && op.is(Kind.STARSTAR))) {
            advance();
            enter(op.pos());
            Expr exponent = unary(); // right-associative: 2^3^2 = 2^(3^2); 2^-1 allowed
            leave();
            return checkDepth(new Ast.Binary(Ast.BinaryOp.POWER, base, exponent, op.pos()));
        }
        return base;
    }

    private Expr primary() throws QasmException {
        Token t = peek();
        switch (t.kind()) {
            case INT -> {
                advance();
                return new Ast.IntLit(integerValue(t), t.pos());
            }
            case REAL -> {
                advance();
                return new Ast.RealLit(realValue(t), t.pos());
            }
            case TIMING -> {
                if (version == QasmVersion.V3) {
                    throw t.pos().unsupported("timing literals such as " + t.text() + " are not supported yet");
                }
                throw t.pos().syntax("unexpected " + t.describe() + ": expected a number");
            }
            case LPAREN -> {
                advance();
                enter(t.pos());
                Expr inner = expression();
                expect(Kind.RPAREN, "to close the parenthesis");
                leave();
                return inner;
            }
            case IDENT -> {
                return identifierExpression(advance());
            }
            default -> throw t.pos().syntax("expected an expression, found " + t.describe());
        }
    }

    private Expr identifierExpression(Token name) throws QasmException {
        String n = name.text();
        Map<String, dev.qfed.circuit.Expr.Function> functions = version == QasmVersion.V2 ? FUNCTIONS_2
                : FUNCTIONS_3;
        if (functions.containsKey(n)) {
            Token open = peek();
            expect(Kind.LPAREN, "after the function name " + n);
            enter(open.pos());
            Expr argument = expression();
            expect(Kind.RPAREN, "after the function argument");
            leave();
            return checkDepth(new Ast.Call(functions.get(n), argument, name.pos()));
        }
        if (version == QasmVersion.V3 && (n.equals("true") || n.equals("false"))) {
            return new Ast.BoolLit(n.equals("true"), name.pos());
        }
        if (peek().is(Kind.LPAREN)) {
            if (version == QasmVersion.V2) {
                throw name.pos().syntax("unknown function '" + n
                        + "'; OpenQASM 2 has sin, cos, tan, exp, ln and sqrt");
            }
            throw name.pos().unsupported("calling '" + n + "' in an expression is not supported yet; "
                    + "the functions are sin, cos, tan, arcsin, arccos, arctan, exp, ln and sqrt");
        }
        if (peek().is(Kind.LBRACKET) && version == QasmVersion.V3) {
            Token open = advance();
            Expr index = expression();
            if (peek().is(Kind.COLON)) {
                throw peek().pos().unsupported("slices of registers inside expressions are not supported");
            }
            expect(Kind.RBRACKET, "to close the index");
            return checkDepth(new Ast.IndexedName(n, name.pos(), index, open.pos()));
        }
        return new Ast.Ident(n, name.pos());
    }

    private Expr integerLiteral2(String what) throws QasmException {
        Token t = peek();
        if (!t.is(Kind.INT)) {
            throw expected("an integer " + what);
        }
        advance();
        return new Ast.IntLit(integerValue(t), t.pos());
    }

    private BigInteger integerValue(Token t) throws QasmException {
        String text = t.text();
        int radix = 10;
        if (text.length() > 2 && text.charAt(0) == '0' && "xXoObB".indexOf(text.charAt(1)) >= 0) {
            radix = switch (Character.toLowerCase(text.charAt(1))) {
                case 'x' -> 16;
                case 'o' -> 8;
                default -> 2;
            };
            text = text.substring(2);
        }
        if (version == QasmVersion.V2 && (radix != 10 || text.indexOf('_') >= 0)) {
            throw t.pos().syntax("malformed integer " + t.describe() + ": OpenQASM 2 integers are plain decimal digits");
        }
        String digits = text.replace("_", "");
        try {
            if (digits.isEmpty() || text.startsWith("_") || text.endsWith("_")) {
                throw new NumberFormatException();
            }
            return new BigInteger(digits, radix);
        } catch (NumberFormatException e) {
            throw t.pos().syntax("malformed integer " + t.describe());
        }
    }

    private double realValue(Token t) throws QasmException {
        if (version == QasmVersion.V2 && t.text().indexOf('_') >= 0) {
            throw t.pos().syntax("malformed number " + t.describe() + ": OpenQASM 2 numbers have no '_'");
        }
        double v;
        try {
            v = Double.parseDouble(t.text().replace("_", ""));
        } catch (NumberFormatException e) {
            throw t.pos().syntax("malformed number " + t.describe());
        }
        if (Double.isInfinite(v)) {
            throw t.pos().semantic("number " + t.text() + " is too large for a double");
        }
        return v;
    }

    // ---- tokens ------------------------------------------------------------------------------------------

    private Token peek() throws QasmException {
        return peek(0);
    }

    private Token peek(int k) throws QasmException {
        while (lookahead.size() <= k) {
            lookahead.add(lexer.next());
        }
        return lookahead.get(k);
    }

    private Token advance() throws QasmException {
        Token t = peek();
        if (!t.is(Kind.EOF)) {
            lookahead.remove(0);
        }
        previous = t;
        return t;
    }

    private Token expect(Kind kind, String context) throws QasmException {
        if (!peek().is(kind)) {
            throw expected(kind.describe() + " " + context);
        }
        return advance();
    }

    private void expectSemi() throws QasmException {
        expect(Kind.SEMI, "after the statement");
    }

    private Token expectName(String what) throws QasmException {
        Token t = peek();
        if (!t.is(Kind.IDENT)) {
            throw expected("a " + what + " name");
        }
        if ((version == QasmVersion.V2 ? RESERVED_2 : RESERVED_3).contains(t.text())) {
            throw t.pos().syntax("'" + t.text() + "' is a reserved word and cannot be a " + what + " name");
        }
        return advance();
    }

    /**
     * "expected X, found Y". When Y is on a later line than the last token read, the caret goes just past that
     * token, where the missing piece belongs (like a compiler's "expected ';'"), not at the next line's start.
     */
    private QasmException expected(String what) throws QasmException {
        Token found = peek();
        Pos at = found.pos();
        if (previous != null && found.pos().line() > previous.endLine()) {
            at = new Pos(found.pos().source(), previous.endLine(), previous.endColumn());
        }
        return at.syntax("expected " + what + ", found " + found.describe());
    }

    private void enter(Pos pos) throws QasmException {
        if (++depth > limits.maxNestingDepth()) {
            throw pos.limit("nesting deeper than " + limits.maxNestingDepth()
                    + " levels (ParseLimits.maxNestingDepth); flatten the expression or block structure");
        }
    }

    private void leave() {
        depth--;
    }

    private Expr checkDepth(Expr e) throws QasmException {
        if (e.depth() > limits.maxNestingDepth()) {
            throw e.pos().limit("expression nested deeper than " + limits.maxNestingDepth()
                    + " levels (ParseLimits.maxNestingDepth); split it into constants or simplify it");
        }
        return e;
    }
}
