package dev.qfed.circuit;

import java.util.List;

/**
 * True when the classical bits {@code clbits}, read as an unsigned integer with {@code clbits.get(0)} as its
 * least significant bit, equal {@code value}. {@code if (c == 5)} on a register c lists c's bits;
 * {@code if (c[2])} lists one bit with value 1, {@code if (!c[2])} the same bit with value 0.
 */
public record Condition(List<Integer> clbits, long value) {
    public Condition {
        clbits = List.copyOf(clbits);
        if (clbits.isEmpty() || clbits.size() > 63) {
            throw new IllegalArgumentException("a condition reads 1 to 63 classical bits, got " + clbits.size());
        }
        if (value < 0 || value >= (1L << clbits.size())) {
            throw new IllegalArgumentException("condition value " + value + " does not fit in " + clbits.size()
                    + " bit(s)");
        }
    }
}
