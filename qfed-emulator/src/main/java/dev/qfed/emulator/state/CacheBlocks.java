package dev.qfed.emulator.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * How many bytes of amplitudes one thread works on at a time in cache blocking and tiles (docs/emulator.md, "Cache
 * blocking"). Bigger blocks let more gates share a sweep over memory (grid, 24 qubits: 97 sweeps with 512 KiB
 * blocks, 37 with 4 MiB), and the dense kernels lose little running from the last-level cache instead of L2; but
 * every core's block must stay in that cache together with what streams through it. Measured on a 2-core Zen 5
 * with 32 MiB of L3 (docs/performance.md): 4 MiB per thread was best, 8 MiB a little slower, 512 KiB (half of L2,
 * the size before) 6–19 % slower. So: a quarter of the L3 shared out among the cores, between 512 KiB and 4 MiB,
 * and 512 KiB where the L3's size is unknown. It depends on the machine, never on a run's thread count: the block
 * decides how gates are grouped and so the rounding, and results must not depend on {@code --threads}.
 * {@code -Dqfed.emulator.cacheBlockBytes=N} (a power of two) overrides it, for measuring.
 */
final class CacheBlocks {
    static final int MIN_BYTES = 1 << 19;
    static final int MAX_BYTES = 1 << 22;
    /** Largest block the override may ask for: each thread keeps a scratch block of this size. */
    static final int MAX_FORCED_BYTES = 1 << 26;
    private static final String PROPERTY = "qfed.emulator.cacheBlockBytes";

    private static final int MACHINE_BYTES = forCores(lastLevelCacheBytes(
            Path.of("/sys/devices/system/cpu/cpu0/cache")), Runtime.getRuntime().availableProcessors());

    private CacheBlocks() {
    }

    /** Bytes of amplitudes per block on this machine. */
    static int bytes() {
        String forced = System.getProperty(PROPERTY);
        if (forced != null) {
            int n;
            try {
                n = Integer.parseInt(forced.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + PROPERTY + " must be a power of two of bytes, got '"
                        + forced + "'");
            }
            if (n < 1024 || n > MAX_FORCED_BYTES || Integer.bitCount(n) != 1) {
                throw new IllegalArgumentException("-D" + PROPERTY + " must be a power of two from 1024 to "
                        + MAX_FORCED_BYTES + " bytes, got " + n);
            }
            return n;
        }
        return MACHINE_BYTES;
    }

    /** A quarter of the last-level cache per core, as a power of two within [MIN_BYTES, MAX_BYTES]. */
    static int forCores(OptionalLong lastLevelBytes, int cores) {
        if (lastLevelBytes.isEmpty()) {
            return MIN_BYTES;
        }
        long share = lastLevelBytes.getAsLong() / 4 / Math.max(1, cores);
        long bytes = Long.highestOneBit(Math.max(1, share));
        return (int) Math.max(MIN_BYTES, Math.min(MAX_BYTES, bytes));
    }

    /** The size of the highest-level data or unified cache Linux lists for a CPU; empty when not readable. */
    static OptionalLong lastLevelCacheBytes(Path cpuCacheDir) {
        long best = -1;
        int bestLevel = 0;
        try (Stream<Path> dirs = Files.list(cpuCacheDir)) {
            for (Path index : dirs.filter(p -> p.getFileName().toString().startsWith("index")).toList()) {
                String type = read(index.resolve("type"));
                if (type.equalsIgnoreCase("Instruction")) {
                    continue;
                }
                int level = Integer.parseInt(read(index.resolve("level")));
                long size = parseSize(read(index.resolve("size")));
                if (level > bestLevel && size > 0) {
                    bestLevel = level;
                    best = size;
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty(); // not Linux, or a layout we do not know: the safe default
        }
        return best > 0 ? OptionalLong.of(best) : OptionalLong.empty();
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p).strip();
    }

    /** "32768K", "1M", "512": sysfs sizes. */
    static long parseSize(String s) {
        String t = s.strip().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("K")) {
            unit = 1L << 10;
        } else if (t.endsWith("M")) {
            unit = 1L << 20;
        } else if (t.endsWith("G")) {
            unit = 1L << 30;
        }
        if (unit > 1) {
            t = t.substring(0, t.length() - 1);
        }
        return Long.parseLong(t) * unit;
    }
}
