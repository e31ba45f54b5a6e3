package dev.qfed.emulator;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

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
            Entry[] sorted = entries.values().toArray(new Entry[0]);
            Arrays.sort(sorted, Comparator.comparing((Entry e) -> e.key));
            if (counts.isEmpty() && counts.comparator() == null && counts instanceof TreeMap<String, Long> tree) {
                // a million distinct outcomes: one linear build instead of a million tree insertions
                tree.putAll(new SortedEntries(sorted));
                return;
            }
            for (Entry e : sorted) {
                counts.merge(e.key, e.count, Long::sum);
            }
        }
    }

    /** Read-only sorted view of tally entries, just enough for {@link TreeMap#putAll}'s linear build. */
    private static final class SortedEntries extends AbstractMap<String, Long> implements SortedMap<String, Long> {
        private final Tally.Entry[] sorted;

        SortedEntries(Tally.Entry[] sorted) {
            this.sorted = sorted;
        }

        @Override
        public Set<Map.Entry<String, Long>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<String, Long>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < sorted.length;
                        }

                        @Override
                        public Map.Entry<String, Long> next() {
                            if (next >= sorted.length) {
                                throw new java.util.NoSuchElementException();
                            }
                            Tally.Entry e = sorted[next++];
                            return Map.entry(e.key, e.count);
                        }
                    };
                }

                @Override
                public int size() {
                    return sorted.length;
                }
            };
        }

        @Override
        public Comparator<? super String> comparator() {
            return null;
        }

        @Override
        public String firstKey() {
            return sorted[0].key;
        }

        @Override
        public String lastKey() {
            return sorted[sorted.length - 1].key;
        }

        @Override
        public SortedMap<String, Long> subMap(String fromKey, String toKey) {
            throw new UnsupportedOperationException("a view for TreeMap.putAll only");
        }

        @Override
        public SortedMap<String, Long> headMap(String toKey) {
            throw new UnsupportedOperationException("a view for TreeMap.putAll only");
        }

        @Override
        public SortedMap<String, Long> tailMap(String fromKey) {
            throw new UnsupportedOperationException("a view for TreeMap.putAll only");
        }
    }
}
