package dev.qfed.circuit.qasm;

/**
 * Counts what elaboration produces and does, against {@link ParseLimits}, always before the work is done: a call
 * that would expand to 2^40 operations is refused before the first one is built.
 */
final class Budget {
    /** Elaboration steps allowed per permitted operation: room for parameter arithmetic, not for a hang. */
    private static final long STEPS_PER_OPERATION = 32;

    private final ParseLimits limits;
    private final long maxSteps;
    private long operations;
    private long iterations;
    private long steps;

    Budget(ParseLimits limits) {
        this.limits = limits;
        long m = limits.maxOperations() > Long.MAX_VALUE / STEPS_PER_OPERATION ? Long.MAX_VALUE
                : limits.maxOperations() * STEPS_PER_OPERATION;
        this.maxSteps = m > Long.MAX_VALUE - limits.maxSourceBytes() ? Long.MAX_VALUE : m + limits.maxSourceBytes();
    }

    void operations(long n, Pos pos) throws QasmException {
        if (n > limits.maxOperations() - operations) {
            throw pos.limit("the program expands to more than " + limits.maxOperations()
                    + " operations (ParseLimits.maxOperations); this statement alone adds "
                    + (n == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : Long.toString(n)));
        }
        operations += n;
    }

    void iterations(long n, Pos pos) throws QasmException {
        if (n > limits.maxLoopIterations() - iterations) {
            throw pos.limit("the loops run more than " + limits.maxLoopIterations()
                    + " iterations in all (ParseLimits.maxLoopIterations); this loop alone runs "
                    + (n == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : Long.toString(n)));
        }
        iterations += n;
    }

    /** One unit of classical work: an expression node evaluated, an operand resolved, a statement run. */
    void step(Pos pos) throws QasmException {
        if (++steps > maxSteps) {
            throw pos.limit("elaborating the program takes more than " + maxSteps + " steps (a multiple of "
                    + "ParseLimits.maxOperations): too much classical work in loops or gate bodies");
        }
    }

    static long saturatedMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }

    static long saturatedAdd(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }
}
