package dev.qfed.emulator;

/**
 * How a run was carried out.
 *
 * @param trajectories      state simulations done: 1 when every shot was sampled from one final state, else one
 *                          per shot
 * @param sharedPrefixGates gates simulated once and shared by all trajectories (before the first measurement,
 *                          reset, conditional or noisy gate)
 * @param sharedPrefixPasses passes over the state those gates took after gate fusion
 * @param sharedPrefixSweeps passes over the state's memory they took: fewer than the passes when runs of gates on
 *                           low qubits execute cache block by cache block (0 when not counted)
 * @param sharedPrefixNanos  wall-clock time of applying them once (0 when every trajectory applied them itself)
 * @param threads           threads used
 * @param elapsedNanos      wall-clock time of the run
 */
public record RunStats(long trajectories, int sharedPrefixGates, int sharedPrefixPasses, long sharedPrefixSweeps,
                       long sharedPrefixNanos, int threads, long elapsedNanos) {
}
