package dev.qfed.circuit.qasm;

import dev.qfed.circuit.Expr;

/**
 * What a classical expression evaluates to while elaborating: an exact integer, a real, a bool, or a symbolic
 * {@link Expr} that mentions a run-time input (or, while a gate definition is checked, a gate parameter).
 */
sealed interface Value {

    /** How an error message names this value's type. */
    String typeName();

    record Int(long value) implements Value {
        @Override
        public String typeName() {
            return "integer";
        }
    }

    record Real(double value) implements Value {
        @Override
        public String typeName() {
            return "float";
        }
    }

    record Bool(boolean value) implements Value {
        @Override
        public String typeName() {
            return "bool";
        }
    }

    /**
     * A value known only later. {@code depth} and {@code size} are the height and node count of {@code expr} as a
     * tree (shared sub-expressions counted each time they occur), which bound the work of evaluating it.
     *
     * @param origin    what makes it symbolic, for messages: "input 'theta'" or "gate parameter 'a'"
     * @param fromInput true for a run-time input, false for a gate parameter seen while checking a definition
     */
    record Sym(Expr expr, int depth, long size, String origin, boolean fromInput) implements Value {
        @Override
        public String typeName() {
            return "float";
        }
    }
}
