package dev.qfed.emulator;

/**
 * How a run was carried out.
 *
 * @param trajectories      state simulations done: 1 when every shot was sampled from one final state, else one
 *                          per shot
 * @param sharedPrefixGates gates simulated once and shared by all trajectories (before the first measurement,
 *                          reset, conditional or noisy gate)
 * @param threads           threads used
 * @param elapsedNanos      wall-clock time of the run
 */
public record RunStats(long trajectories, int sharedPrefixGates, int threads, long elapsedNanos) {
}
