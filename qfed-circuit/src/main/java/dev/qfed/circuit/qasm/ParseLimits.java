package dev.qfed.circuit.qasm;

/**
 * Bounds on what a front end accepts, so hostile input ends in a {@link QasmException} of kind
 * {@link QasmException.Kind#LIMIT} instead of an OutOfMemoryError, a StackOverflowError or a hang.
 *
 * @param maxSourceBytes   size of one source file, includes counted separately
 * @param maxIncludeDepth  nesting of {@code include}
 * @param maxOperations    operations after expanding gate definitions and loops
 * @param maxLoopIterations iterations of all {@code for} loops together
 * @param maxNestingDepth  nesting of expressions, blocks and gate calls inside gate bodies
 * @param maxQubits        qubits (and, separately, classical bits) declared
 */
public record ParseLimits(long maxSourceBytes, int maxIncludeDepth, long maxOperations, long maxLoopIterations,
                          int maxNestingDepth, int maxQubits) {

    public static final ParseLimits DEFAULT = new ParseLimits(4L << 20, 16, 5_000_000, 1_000_000, 256, 10_000);

    public ParseLimits {
        if (maxSourceBytes < 1 || maxIncludeDepth < 0 || maxOperations < 1 || maxLoopIterations < 0
                || maxNestingDepth < 1 || maxQubits < 1) {
            throw new IllegalArgumentException("parse limits must be positive");
        }
    }
}
