package dev.qfed.emulator;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The exact distribution of a circuit's classical bits at the end of an ideal run. Keys are bit strings of all
 * classical bits in declaration order with bit 0 rightmost; strings of probability below 1e-15 are left out.
 */
public record Probabilities(int numClbits, SortedMap<String, Double> byBitstring) {
    public Probabilities {
        byBitstring = Collections.unmodifiableSortedMap(new TreeMap<>(byBitstring));
        for (String key : byBitstring.keySet()) {
            if (key.length() != numClbits) {
                throw new IllegalArgumentException("bit string '" + key + "' should have " + numClbits + " bits");
            }
        }
    }

    /** The probability of {@code bitstring} (0 when absent). */
    public double get(String bitstring) {
        return byBitstring.getOrDefault(bitstring, 0.0);
    }
}
