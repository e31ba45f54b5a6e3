package dev.qfed.emulator;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;

/** Classical registers as packed bits, their bit-string keys, and tallies of those keys. */
final class ClassicalBits {
    private ClassicalBits() {
    }

    static long[] create(int numClbits) {
        return new long[Math.max(1, (numClbits + 63) >>> 6)];
    }

    static void set(long[] bits, int clbit, int value) {
        if (value == 0) {
            bits[clbit >>> 6] &= ~(1L << clbit);
        } else {
            bits[clbit >>> 6] |= 1L << clbit;
        }
    }

    static void clear(long[] bits) {
        Arrays.fill(bits, 0);
    }

    /** All bits, bit 0 rightmost; {@code buffer} has {@code numClbits} chars. */
    static String key(long[] bits, int numClbits, char[] buffer) {
        for (int i = 0; i < numClbits; i++) {
            buffer[numClbits - 1 - i] = ((bits[i >>> 6] >>> i) & 1) == 0 ? '0' : '1';
        }
        return new String(buffer, 0, numClbits);
    }

    /** Counts per key; hands back one shared String instance per distinct key (for memory lists). */
    static final class Tally {
        private static final class Entry {
            final String key;
            long count;

            Entry(String key) {
                this.key = key;
            }
        }

        private final Map<String, Entry> entries = new HashMap<>();

        String add(String key, long n) {
            Entry e = entries.computeIfAbsent(key, Entry::new);
            e.count += n;
            return e.key;
        }

        void addTo(SortedMap<String, Long> counts) {
            for (Entry e : entries.values()) {
                counts.merge(e.key, e.count, Long::sum);
            }
        }
    }
}
