package dev.qfed.emulator;

import dev.qfed.emulator.noise.DeviceDescription;
import java.util.Objects;
import java.util.Optional;

/**
 * A sampling run.
 *
 * @param shots  how many times to run the circuit, 1 to {@value #MAX_SHOTS}
 * @param seed   fixes every random choice: the same seed gives the same counts and memory at any thread count
 * @param noise  the device whose calibration the noise imitates; empty = ideal
 * @param memory whether to keep each shot's bit string in shot order (at most {@value #MAX_MEMORY_SHOTS} shots)
 */
public record RunRequest(long shots, long seed, Optional<DeviceDescription> noise, boolean memory) {
    public static final long MAX_SHOTS = 100_000_000;
    public static final long MAX_MEMORY_SHOTS = 1_000_000;

    public RunRequest {
        Objects.requireNonNull(noise, "noise");
        if (shots < 1 || shots > MAX_SHOTS) {
            throw new IllegalArgumentException("shots must be between 1 and " + MAX_SHOTS + ", got " + shots);
        }
    }

    /** An ideal run without per-shot memory. */
    public static RunRequest of(long shots, long seed) {
        return new RunRequest(shots, seed, Optional.empty(), false);
    }

    public RunRequest withNoise(DeviceDescription device) {
        return new RunRequest(shots, seed, Optional.of(device), memory);
    }

    public RunRequest withMemory(boolean memory) {
        return new RunRequest(shots, seed, noise, memory);
    }
}
