package dev.qfed.agent.spi;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one circuit measured: each outcome bit string (all classical bits in declaration order, bit 0 rightmost;
 * the empty string for a circuit without classical bits) and how many shots gave it.
 */
public record CircuitCounts(SortedMap<String, Long> counts) {
    public CircuitCounts {
        TreeMap<String, Long> copy = new TreeMap<>();
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (e.getKey() == null || e.getValue() == null || e.getValue() < 0) {
                throw new IllegalArgumentException("counts need a bit string and a non-negative count, got "
                        + e.getKey() + "=" + e.getValue());
            }
            copy.put(e.getKey(), e.getValue());
        }
        counts = Collections.unmodifiableSortedMap(copy);
    }

    /** Counts from any map. */
    public static CircuitCounts of(Map<String, Long> counts) {
        return new CircuitCounts(new TreeMap<>(counts));
    }

    /** The shots these counts add up to. */
    public long shots() {
        long sum = 0;
        for (long n : counts.values()) {
            sum += n;
        }
        return sum;
    }
}
