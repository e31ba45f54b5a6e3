package dev.qfed.emulator;

import java.util.random.RandomGenerator;

/**
 * The random numbers of one shot: a SplitMix64 stream whose start is a hash of (seed, shot index). Every shot draws
 * from its own stream, so a shot's outcome depends only on the seed and its index — not on which thread ran it,
 * nor on how many shots ran before. Written out here (rather than taken from the JDK) so that a seed replays the
 * same result on any Java version.
 */
final class ShotRandom implements RandomGenerator {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long state;

    /** Positions this generator at the start of shot {@code shot}'s stream for {@code seed}. */
    ShotRandom reset(long seed, long shot) {
        state = mix(mix(seed) + mix(shot + GOLDEN));
        return this;
    }

    @Override
    public long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** A uniform number in [0, 1) from the top 53 bits of {@link #nextLong()}. */
    @Override
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
