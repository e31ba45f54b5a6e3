package dev.qfed.emulator;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The outcome of a {@link RunRequest}: how often each bit string came up (all classical bits in declaration order,
 * bit 0 rightmost; the empty string for a circuit without classical bits) and, when asked for, each shot's string
 * in shot order.
 */
public record RunResult(long shots, long seed, SortedMap<String, Long> counts, Optional<List<String>> memory,
                        RunStats stats) {
    public RunResult {
        counts = Collections.unmodifiableSortedMap(new TreeMap<>(counts));
        memory = memory.map(List::copyOf);
        Objects.requireNonNull(stats, "stats");
    }
}
