package dev.qfed.circuit.qasm;

import java.util.List;
import java.util.Optional;

/** The syntax tree the parser builds, one statement at a time; the elaborator gives it meaning. */
final class Ast {
    private Ast() {
    }

    // ---- expressions -------------------------------------------------------------------------------------

    /** An expression; {@code depth()} is its tree height, bounded by {@link ParseLimits#maxNestingDepth()}. */
    sealed interface Expr {
        /** Where an error about this node's own operation points: the operator of a binary expression. */
        Pos pos();

        /** Where the expression's text begins: where an error about its value points. */
        default Pos start() {
            return pos();
        }

        default int depth() {
            return 1;
        }
    }

    /** An integer literal as written (decimal, or 0x/0o/0b in OpenQASM 3), value already read. */
    record IntLit(java.math.BigInteger value, Pos pos) implements Expr {
    }

    record RealLit(double value, Pos pos) implements Expr {
    }

    record BoolLit(boolean value, Pos pos) implements Expr {
    }

    /** A name: a constant, loop variable, gate parameter, input, register, or a built-in such as pi. */
    record Ident(String name, Pos pos) implements Expr {
    }

    enum UnaryOp {
        NEGATE, NOT
    }

    record Unary(UnaryOp op, Expr operand, Pos pos, int depth) implements Expr {
        Unary(UnaryOp op, Expr operand, Pos pos) {
            this(op, operand, pos, operand.depth() + 1);
        }
    }

    enum BinaryOp {
        ADD, SUBTRACT, MULTIPLY, DIVIDE, POWER, EQUAL, NOT_EQUAL
    }

    /** {@code pos} is the operator's position: where an error about the operation points. */
    record Binary(BinaryOp op, Expr left, Expr right, Pos pos, int depth) implements Expr {
        Binary(BinaryOp op, Expr left, Expr right, Pos pos) {
            this(op, left, right, pos, Math.max(left.depth(), right.depth()) + 1);
        }

        @Override
        public Pos start() {
            Expr e = left; // iterative: left-deep chains may be long
            while (e instanceof Binary b) {
                e = b.left();
            }
            return e.start();
        }
    }

    record Call(dev.qfed.circuit.Expr.Function function, Expr argument, Pos pos, int depth) implements Expr {
        Call(dev.qfed.circuit.Expr.Function function, Expr argument, Pos pos) {
            this(function, argument, pos, argument.depth() + 1);
        }
    }

    /** {@code name[index]} inside an expression: a bit of a classical register in a condition. */
    record IndexedName(String name, Pos namePos, Expr index, Pos pos, int depth) implements Expr {
        IndexedName(String name, Pos namePos, Expr index, Pos pos) {
            this(name, namePos, index, pos, index.depth() + 1);
        }

        @Override
        public Pos start() {
            return namePos;
        }
    }

    // ---- operands ----------------------------------------------------------------------------------------

    /** What follows a register name in brackets. */
    sealed interface Index {
        Pos pos();
    }

    record SingleIndex(Expr index, Pos pos) implements Index {
    }

    /** {@code [start:end]} or {@code [start:step:end]}, end inclusive; a missing bound is empty. */
    record RangeIndex(Optional<Expr> start, Optional<Expr> step, Optional<Expr> end, Pos pos) implements Index {
    }

    /** {@code [{a, b, c}]}. */
    record SetIndex(List<Expr> elements, Pos pos) implements Index {
    }

    /** A qubit or bit operand: a register or scalar, optionally indexed. */
    record Operand(String name, Optional<Index> index, Pos pos) {
    }

    // ---- statements --------------------------------------------------------------------------------------

    sealed interface Stmt {
        Pos pos();
    }

    record Include(String path, Pos pos) implements Stmt {
    }

    enum RegisterKind {
        QUBIT, BIT
    }

    /**
     * {@code qreg q[n];}, {@code qubit[n] q;}, {@code qubit q;} (scalar: no size) and the classical forms;
     * {@code initialMeasure} holds the operand of {@code bit[n] c = measure q;}.
     */
    record RegisterDecl(RegisterKind kind, String name, Optional<Expr> size, Optional<Operand> initialMeasure,
                        Pos pos, Pos namePos) implements Stmt {
    }

    /** The types a {@code const} or {@code input} may have. */
    enum ScalarType {
        INT, UINT, FLOAT, ANGLE, BOOL
    }

    record ConstDecl(ScalarType type, String name, Expr value, Pos pos, Pos namePos) implements Stmt {
    }

    record InputDecl(ScalarType type, String name, Pos pos, Pos namePos) implements Stmt {
    }

    record Param(String name, Pos pos) {
    }

    record GateDef(String name, List<Param> params, List<Param> qubits, List<Stmt> body, Pos pos, Pos namePos)
            implements Stmt {
    }

    record OpaqueDef(String name, List<Param> params, List<Param> qubits, Pos pos, Pos namePos)
            implements Stmt {
    }

    enum ModifierKind {
        CTRL, NEGCTRL, INV, POW
    }

    /** {@code ctrl @}, {@code ctrl(n) @}, {@code negctrl…}, {@code inv @}, {@code pow(k) @}. */
    record Modifier(ModifierKind kind, Optional<Expr> argument, Pos pos) {
    }

    /** A gate call, {@code gphase} and the OpenQASM 2 built-ins {@code U} and {@code CX} included. */
    record GateCall(List<Modifier> modifiers, String name, List<Expr> params, List<Operand> qubits, Pos pos,
                    Pos namePos) implements Stmt {
    }

    /** {@code measure q -> c;} or {@code c = measure q;}. */
    record MeasureStmt(Operand qubit, Operand target, Pos pos) implements Stmt {
    }

    record ResetStmt(Operand qubit, Pos pos) implements Stmt {
    }

    /** {@code barrier a, b;}; no operands (OpenQASM 3) means all qubits. */
    record BarrierStmt(List<Operand> qubits, Pos pos) implements Stmt {
    }

    record IfStmt(Expr condition, List<Stmt> then, List<Stmt> otherwise, Pos pos) implements Stmt {
    }

    /** What a {@code for} loop iterates over. */
    sealed interface Iterable {
        Pos pos();
    }

    record RangeIterable(Expr start, Optional<Expr> step, Expr end, Pos pos) implements Iterable {
    }

    record SetIterable(List<Expr> elements, Pos pos) implements Iterable {
    }

    record ForStmt(String variable, Pos variablePos, Iterable over, List<Stmt> body, Pos pos) implements Stmt {
    }
}
