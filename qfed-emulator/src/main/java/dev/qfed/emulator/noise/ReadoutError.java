package dev.qfed.emulator.noise;

import java.util.random.RandomGenerator;

/** Classical misreading of a measured qubit: the ideal outcome flips with these probabilities. */
public record ReadoutError(double p1Given0, double p0Given1) {
    public static final ReadoutError NONE = new ReadoutError(0, 0);

    public ReadoutError {
        if (!(p1Given0 >= 0 && p1Given0 <= 1 && p0Given1 >= 0 && p0Given1 <= 1)) {
            throw new IllegalArgumentException("readout error probabilities lie in [0, 1], got " + p1Given0 + " and "
                    + p0Given1);
        }
    }

    public boolean isNone() {
        return p1Given0 == 0 && p0Given1 == 0;
    }

    /** The bit read for the ideal {@code outcome}; draws one number from {@code rng} unless there is no error. */
    public int read(int outcome, RandomGenerator rng) {
        if (isNone()) {
            return outcome;
        }
        double flip = outcome == 0 ? p1Given0 : p0Given1;
        return rng.nextDouble() < flip ? 1 - outcome : outcome;
    }
}
