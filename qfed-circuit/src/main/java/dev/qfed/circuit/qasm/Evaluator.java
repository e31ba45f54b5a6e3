package dev.qfed.circuit.qasm;

import dev.qfed.circuit.Expr;
import dev.qfed.circuit.qasm.Value.Bool;
import dev.qfed.circuit.qasm.Value.Int;
import dev.qfed.circuit.qasm.Value.Real;
import dev.qfed.circuit.qasm.Value.Sym;

/**
 * Evaluates classical expressions at compile time. Integers stay exact while they can (an integer division
 * that is not exact, or an overflow, gives a real); everything that does not mention an input folds to a
 * number; what does becomes a {@link Sym} whose growth is bounded.
 */
final class Evaluator {
    /** Node count beyond which a symbolic parameter expression is refused: evaluating it would be too slow. */
    static final long MAX_SYMBOLIC_NODES = 100_000;

    private final ParseLimits limits;
    private final QasmVersion version;
    private final Budget budget;

    Evaluator(ParseLimits limits, QasmVersion version, Budget budget) {
        this.limits = limits;
        this.version = version;
        this.budget = budget;
    }

    Value eval(Ast.Expr e, Scope scope) throws QasmException {
        budget.step(e.pos());
        return switch (e) {
            case Ast.IntLit l -> l.value().bitLength() < 64 ? new Int(l.value().longValue())
                    : new Real(l.value().doubleValue());
            case Ast.RealLit l -> new Real(l.value());
            case Ast.BoolLit l -> new Bool(l.value());
            case Ast.Ident id -> identifier(id, scope);
            case Ast.Unary u -> unary(u, eval(u.operand(), scope));
            case Ast.Binary b -> binary(b, eval(b.left(), scope), eval(b.right(), scope));
            case Ast.Call c -> call(c, eval(c.argument(), scope));
            case Ast.IndexedName n -> {
                Scope.Symbol sym = scope.lookup(n.name());
                if (sym instanceof Scope.BitRegister) {
                    throw n.namePos().unsupported("reading classical bits in expressions is not supported yet; "
                            + "bits may only be tested in 'if' conditions");
                }
                throw n.namePos().semantic(sym == null ? "undefined name '" + n.name() + "'"
                        : "'" + n.name() + "' is a " + sym.kind() + ", not a value");
            }
        };
    }

    /** A value that must be a compile-time integer: a size, an index, a loop bound, a ctrl count. */
    long integer(Ast.Expr e, Scope scope, String what) throws QasmException {
        Value v = eval(e, scope);
        return switch (v) {
            case Int i -> i.value();
            case Real r -> throw e.start().semantic(what + " must be an integer, got " + format(r.value()));
            case Bool b -> throw e.start().semantic(what + " must be an integer, got a bool");
            case Sym s -> throw notConstant(e.start(), s, what);
        };
    }

    QasmException notConstant(Pos pos, Sym s, String what) {
        return s.fromInput()
                ? pos.semantic(what + " must be a compile-time constant, but " + s.origin()
                + " is known only when the circuit runs")
                : pos.semantic(what + " must be a compile-time constant, but " + s.origin() + " is not one");
    }

    /** A gate parameter: a number or a symbolic expression over inputs. */
    Expr parameter(Ast.Expr e, Scope scope) throws QasmException {
        return toExpr(eval(e, scope), e.start(), "a gate parameter");
    }

    static Expr toExpr(Value v, Pos pos, String what) throws QasmException {
        return switch (v) {
            case Int i -> Expr.constant(i.value());
            case Real r -> Expr.constant(r.value());
            case Sym s -> s.expr();
            case Bool b -> throw pos.semantic(what + " must be a number, got a bool");
        };
    }

    private Value identifier(Ast.Ident id, Scope scope) throws QasmException {
        String name = id.name();
        Scope.Symbol sym = scope.lookup(name);
        if (sym == null) {
            switch (name) {
                case "pi" -> {
                    return new Real(Math.PI);
                }
                case "π", "tau", "τ", "euler", "ℇ" -> {
                    if (version == QasmVersion.V3) {
                        return new Real(name.equals("euler") || name.equals("ℇ") ? Math.E
                                : name.equals("π") ? Math.PI : 2 * Math.PI);
                    }
                }
                default -> {
                }
            }
            throw id.pos().semantic("undefined name '" + name + "'"
                    + (scope.inGateBody() ? "; a gate body sees only its parameters and global constants" : ""));
        }
        return switch (sym) {
            case Scope.Constant c -> c.value();
            case Scope.Input in -> {
                if (scope.inGateBody()) {
                    throw id.pos().semantic("input '" + name + "' cannot be used inside a gate body; "
                            + "pass it to the gate as a parameter");
                }
                yield new Sym(new Expr.Parameter(name), 1, 1, "input '" + name + "'", true);
            }
            default -> throw id.pos().semantic("'" + name + "' is a " + sym.kind() + ", not a number");
        };
    }

    private Value unary(Ast.Unary u, Value v) throws QasmException {
        if (u.op() == Ast.UnaryOp.NOT) {
            if (v instanceof Bool b) {
                return new Bool(!b.value());
            }
            throw u.pos().semantic("'!' needs a bool, got " + article(v));
        }
        return switch (v) {
            case Int i -> i.value() == Long.MIN_VALUE ? new Real(-(double) i.value()) : new Int(-i.value());
            case Real r -> new Real(-r.value());
            case Sym s -> symbolic(new Expr.Negate(s.expr()), s.depth() + 1, s.size() + 1, s, u.pos());
            case Bool b -> throw u.pos().semantic("cannot negate a bool");
        };
    }

    private Value binary(Ast.Binary b, Value l, Value r) throws QasmException {
        if (b.op() == Ast.BinaryOp.EQUAL || b.op() == Ast.BinaryOp.NOT_EQUAL) {
            return comparison(b, l, r);
        }
        if (l instanceof Bool || r instanceof Bool) {
            throw b.pos().semantic("arithmetic on a bool is not allowed");
        }
        if (l instanceof Sym || r instanceof Sym) {
            Sym s = l instanceof Sym ls ? ls : (Sym) r;
            Expr.BinaryOp op = switch (b.op()) {
                case ADD -> Expr.BinaryOp.ADD;
                case SUBTRACT -> Expr.BinaryOp.SUBTRACT;
                case MULTIPLY -> Expr.BinaryOp.MULTIPLY;
                case DIVIDE -> Expr.BinaryOp.DIVIDE;
                default -> Expr.BinaryOp.POWER;
            };
            if (op == Expr.BinaryOp.DIVIDE && isZero(r)) {
                throw b.pos().semantic("division by zero");
            }
            return symbolic(new Expr.Binary(op, toExpr(l, b.pos(), ""), toExpr(r, b.pos(), "")),
                    Math.max(depth(l), depth(r)) + 1, saturatedAdd(size(l), size(r)) + 1, s, b.pos());
        }
        if (l instanceof Int li && r instanceof Int ri) {
            Value exact = exact(b, li.value(), ri.value());
            if (exact != null) {
                return exact;
            }
        }
        double x = number(l);
        double y = number(r);
        double result = switch (b.op()) {
            case ADD -> x + y;
            case SUBTRACT -> x - y;
            case MULTIPLY -> x * y;
            case DIVIDE -> {
                if (y == 0) {
                    throw b.pos().semantic("division by zero");
                }
                yield x / y;
            }
            default -> Math.pow(x, y);
        };
        return finite(result, b.pos(), () -> format(x) + " " + symbol(b.op()) + " " + format(y));
    }

    /** Integer arithmetic when its result is an exact integer; null to fall back to reals. */
    private static Value exact(Ast.Binary b, long x, long y) throws QasmException {
        try {
            return switch (b.op()) {
                case ADD -> new Int(Math.addExact(x, y));
                case SUBTRACT -> new Int(Math.subtractExact(x, y));
                case MULTIPLY -> new Int(Math.multiplyExact(x, y));
                case DIVIDE -> {
                    if (y == 0) {
                        throw b.pos().semantic("division by zero");
                    }
                    yield x % y == 0 && !(x == Long.MIN_VALUE && y == -1) ? new Int(x / y) : null;
                }
                default -> {
                    if (y < 0) {
                        yield null;
                    }
                    long result = 1;
                    for (long k = 0; k < y; k++) {
                        result = Math.multiplyExact(result, x);
                        if (result == 0 || result == 1) {
                            break; // further factors change nothing
                        }
                        if (result == -1) {
                            result = (y - k - 1) % 2 == 0 ? -1 : 1;
                            break;
                        }
                    }
                    yield new Int(result);
                }
            };
        } catch (ArithmeticException overflow) {
            return null;
        }
    }

    private Value comparison(Ast.Binary b, Value l, Value r) throws QasmException {
        boolean equal;
        if (l instanceof Bool lb && r instanceof Bool rb) {
            equal = lb.value() == rb.value();
        } else if (l instanceof Sym s) {
            throw notConstant(b.pos(), s, "a comparison");
        } else if (r instanceof Sym s) {
            throw notConstant(b.pos(), s, "a comparison");
        } else if (l instanceof Bool || r instanceof Bool) {
            throw b.pos().semantic("cannot compare a bool with a number");
        } else if (l instanceof Int li && r instanceof Int ri) {
            equal = li.value() == ri.value();
        } else {
            equal = number(l) == number(r);
        }
        return new Bool(equal == (b.op() == Ast.BinaryOp.EQUAL));
    }

    private Value call(Ast.Call c, Value v) throws QasmException {
        if (v instanceof Bool) {
            throw c.pos().semantic(c.function().qasmName() + " needs a number, got a bool");
        }
        if (v instanceof Sym s) {
            return symbolic(new Expr.Call(c.function(), s.expr()), s.depth() + 1, s.size() + 1, s, c.pos());
        }
        double x = number(v);
        return finite(c.function().apply(x), c.pos(), () -> c.function().qasmName() + "(" + format(x) + ")");
    }

    private Value symbolic(Expr e, int depth, long size, Sym origin, Pos pos) throws QasmException {
        if (depth > limits.maxNestingDepth()) {
            throw pos.limit("this parameter expression nests deeper than " + limits.maxNestingDepth()
                    + " levels once gate parameters are substituted (ParseLimits.maxNestingDepth)");
        }
        if (size > MAX_SYMBOLIC_NODES) {
            throw pos.limit("this parameter expression grows beyond " + MAX_SYMBOLIC_NODES
                    + " terms once gate parameters are substituted; simplify the gate definitions");
        }
        return new Sym(e, depth, size, origin.origin(), origin.fromInput());
    }

    private static Value finite(double v, Pos pos, java.util.function.Supplier<String> what) throws QasmException {
        if (!Double.isFinite(v)) {
            throw pos.semantic(what.get() + " is not a finite real number");
        }
        return new Real(v);
    }

    private static boolean isZero(Value v) {
        return (v instanceof Int i && i.value() == 0) || (v instanceof Real r && r.value() == 0);
    }

    private static double number(Value v) {
        return v instanceof Int i ? i.value() : ((Real) v).value();
    }

    private static int depth(Value v) {
        return v instanceof Sym s ? s.depth() : 1;
    }

    private static long size(Value v) {
        return v instanceof Sym s ? s.size() : 1;
    }

    private static long saturatedAdd(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    private static String symbol(Ast.BinaryOp op) {
        return switch (op) {
            case ADD -> "+";
            case SUBTRACT -> "-";
            case MULTIPLY -> "*";
            case DIVIDE -> "/";
            case POWER -> "**";
            case EQUAL -> "==";
            case NOT_EQUAL -> "!=";
        };
    }

    private static String article(Value v) {
        return v instanceof Int ? "an integer" : "a " + v.typeName();
    }

    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
