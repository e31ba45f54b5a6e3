package dev.qfed.agent.spi;

/**
 * Optional behaviours a backend declares in {@link BackendDescription#behaviors()}. The agent uses them to decide
 * what to call; the conformance suite runs or skips its cases by them.
 */
public enum BackendBehavior {
    /** Binds the values of OpenQASM 3 {@code input} parameters given in {@link CircuitSource#parameters()}. */
    PARAMETERS,
    /** The same circuits, shots and seed give the same counts (emulators; not real devices). */
    REPRODUCIBLE_SEEDS,
    /** Polls {@link ExecutionRequest#cancellation()} between units of work and stops early when it is tripped. */
    CANCELLATION,
    /** Implements {@link Backend#cancel(ExecutionId)}. */
    CANCEL_BY_ID,
    /** Implements {@link Backend#refreshDescription()}. */
    REFRESH_DESCRIPTION
}
