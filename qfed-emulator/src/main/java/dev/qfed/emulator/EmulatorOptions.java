package dev.qfed.emulator;

import dev.qfed.emulator.fusion.GateFuser;
import dev.qfed.emulator.state.Precision;
import java.util.Objects;

/**
 * How the emulator may use the machine.
 *
 * @param threads       worker threads for kernels and shots (results do not depend on it)
 * @param precision     amplitude precision
 * @param maxStateBytes how many bytes of state vectors one run may hold at once (all copies together)
 * @param fusion        widest fused gate in qubits (0 turns gate fusion off); see {@link GateFuser}
 */
public record EmulatorOptions(int threads, Precision precision, long maxStateBytes, int fusion) {
    private static final long MIB = 1L << 20;

    public EmulatorOptions {
        Objects.requireNonNull(precision, "precision");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (maxStateBytes < 1) {
            throw new IllegalArgumentException("maxStateBytes must be >= 1, got " + maxStateBytes);
        }
        if (fusion < 0 || fusion > GateFuser.MAX_QUBITS) {
            throw new IllegalArgumentException("fusion must be 0 (off) to " + GateFuser.MAX_QUBITS + " qubits, got "
                    + fusion);
        }
    }

    /** Options with the default fusion width ({@value GateFuser#DEFAULT_MAX_QUBITS} qubits). */
    public EmulatorOptions(int threads, Precision precision, long maxStateBytes) {
        this(threads, precision, maxStateBytes, GateFuser.DEFAULT_MAX_QUBITS);
    }

    /**
     * All cores, double precision, and the JVM's maximum heap minus headroom (an eighth, at least 256 MiB, for
     * everything that is not a state vector).
     */
    public static EmulatorOptions defaults() {
        long heap = Runtime.getRuntime().maxMemory();
        if (heap == Long.MAX_VALUE) { // no limit reported: assume what 64-bit HotSpot would default to on 4 GiB
            heap = 1L << 30;
        }
        long headroom = Math.max(Math.min(256 * MIB, heap / 2), heap / 8);
        return new EmulatorOptions(Runtime.getRuntime().availableProcessors(), Precision.DOUBLE,
                Math.max(1, heap - headroom));
    }

    public EmulatorOptions withThreads(int threads) {
        return new EmulatorOptions(threads, precision, maxStateBytes, fusion);
    }

    public EmulatorOptions withPrecision(Precision precision) {
        return new EmulatorOptions(threads, precision, maxStateBytes, fusion);
    }

    public EmulatorOptions withMaxStateBytes(long maxStateBytes) {
        return new EmulatorOptions(threads, precision, maxStateBytes, fusion);
    }

    public EmulatorOptions withFusion(int fusion) {
        return new EmulatorOptions(threads, precision, maxStateBytes, fusion);
    }
}
