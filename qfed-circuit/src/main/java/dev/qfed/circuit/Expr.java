package dev.qfed.circuit;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A real-valued gate parameter. Front ends fold every constant sub-expression to a {@link Constant}, so only
 * expressions that mention a run-time {@link Parameter} (an OpenQASM 3 {@code input}) stay symbolic until
 * {@link Circuit#bind(Map)}.
 */
public sealed interface Expr permits Expr.Constant, Expr.Parameter, Expr.Negate, Expr.Binary, Expr.Call {

    /** The value with every parameter taken from {@code bindings}. */
    double evaluate(Map<String, Double> bindings);

    /** Names of the run-time parameters this expression mentions. */
    default Set<String> parameters() {
        Set<String> names = new TreeSet<>();
        collectParameters(this, names);
        return names;
    }

    default boolean isConstant() {
        return this instanceof Constant;
    }

    /** Substitutes the bound parameters and folds what became constant. */
    default Expr bind(Map<String, Double> bindings) {
        return switch (this) {
            case Constant c -> c;
            case Parameter p -> bindings.containsKey(p.name()) ? new Constant(bindings.get(p.name())) : p;
            case Negate n -> fold(new Negate(n.operand().bind(bindings)));
            case Binary b -> fold(new Binary(b.op(), b.left().bind(bindings), b.right().bind(bindings)));
            case Call c -> fold(new Call(c.function(), c.argument().bind(bindings)));
        };
    }

    static Constant constant(double value) {
        return new Constant(value);
    }

    private static Expr fold(Expr e) {
        return e.parameters().isEmpty() ? new Constant(e.evaluate(Map.of())) : e;
    }

    private static void collectParameters(Expr e, Set<String> names) {
        switch (e) {
            case Constant c -> { }
            case Parameter p -> names.add(p.name());
            case Negate n -> collectParameters(n.operand(), names);
            case Binary b -> {
                collectParameters(b.left(), names);
                collectParameters(b.right(), names);
            }
            case Call c -> collectParameters(c.argument(), names);
        }
    }

    /** A finite number. */
    record Constant(double value) implements Expr {
        public Constant {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("gate parameter must be a finite number, got " + value);
            }
        }

        @Override
        public double evaluate(Map<String, Double> bindings) {
            return value;
        }
    }

    /** A run-time input such as {@code input angle theta;}. */
    record Parameter(String name) implements Expr {
        public Parameter {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public double evaluate(Map<String, Double> bindings) {
            Double v = bindings.get(name);
            if (v == null) {
                throw new UnboundParameterException(name);
            }
            return v;
        }
    }

    record Negate(Expr operand) implements Expr {
        public Negate {
            Objects.requireNonNull(operand, "operand");
        }

        @Override
        public double evaluate(Map<String, Double> bindings) {
            return -operand.evaluate(bindings);
        }
    }

    enum BinaryOp {
        ADD("+"), SUBTRACT("-"), MULTIPLY("*"), DIVIDE("/"), POWER("^");

        private final String symbol;

        BinaryOp(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    record Binary(BinaryOp op, Expr left, Expr right) implements Expr {
        public Binary {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }

        @Override
        public double evaluate(Map<String, Double> bindings) {
            double l = left.evaluate(bindings);
            double r = right.evaluate(bindings);
            return switch (op) {
                case ADD -> l + r;
                case SUBTRACT -> l - r;
                case MULTIPLY -> l * r;
                case DIVIDE -> l / r;
                case POWER -> Math.pow(l, r);
            };
        }
    }

    enum Function {
        SIN, COS, TAN, EXP, LN, SQRT, ARCSIN, ARCCOS, ARCTAN;

        /** The name OpenQASM uses. */
        public String qasmName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public double apply(double x) {
            return switch (this) {
                case SIN -> Math.sin(x);
                case COS -> Math.cos(x);
                case TAN -> Math.tan(x);
                case EXP -> Math.exp(x);
                case LN -> Math.log(x);
                case SQRT -> Math.sqrt(x);
                case ARCSIN -> Math.asin(x);
                case ARCCOS -> Math.acos(x);
                case ARCTAN -> Math.atan(x);
            };
        }
    }

    record Call(Function function, Expr argument) implements Expr {
        public Call {
            Objects.requireNonNull(function, "function");
            Objects.requireNonNull(argument, "argument");
        }

        @Override
        public double evaluate(Map<String, Double> bindings) {
            return function.apply(argument.evaluate(bindings));
        }
    }
}
