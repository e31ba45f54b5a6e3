package dev.qfed.emulator.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DeterminismTest {

    /** Runs a seeded random circuit on 15 qubits (large enough to be split between threads). */
    static StateVector run(Precision precision, int threads, boolean simd, int maxChunkBits) {
        int lanes = !simd ? (precision == Precision.SINGLE ? 16 : 8)
                : precision == Precision.SINGLE ? VectorFloatKernels.INSTANCE.lanes()
                : VectorDoubleKernels.INSTANCE.lanes();
        Kernels k = new Kernels("", precision, simd, lanes, maxChunkBits, threads);
        int n = 15;
        StateVector s = k.create(n);
        Random rnd = new Random(42);
        for (int g = 0; g < 24; g++) {
            int count = 1 + rnd.nextInt(3);
            int[] q = RandomGates.distinctQubits(rnd, n, count + 1);
            int[] targets = Arrays.copyOf(q, count);
            if (g % 3 == 0) {
                s.applyDiagonal(new int[] {q[count]}, 1, targets, RandomGates.phases(rnd, 1 << count));
            } else if (g % 4 == 1 && count > 1) {
                // split into halves controlled on an unmixed target; a CZ, whose identity rows are skipped
                s.apply(new int[0], 0, targets, RandomGates.multiplexed(rnd, count, rnd.nextInt(count)));
                s.applyDiagonal(new int[0], 0, new int[] {q[0], q[count]}, new double[] {1, 0, 1, 0, 1, 0, -1, 0});
            } else {
                s.apply(new int[0], 0, targets, RandomGates.unitary(rnd, 1 << count));
            }
        }
        return s;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void resultsAreBitForBitTheSameOnAnyNumberOfThreads(Precision precision) {
        double[] u = new double[5000];
        Random rnd = new Random(7);
        for (int i = 0; i < u.length; i++) {
            u[i] = rnd.nextDouble();
        }
        Arrays.sort(u);
        for (boolean simd : new boolean[] {true, false}) {
            // small chunks also make the cache blocks small: that path, too, must not depend on the threads
            for (int chunkBits : new int[] {Layout.MAX_CHUNK_BITS, 11}) {
                StateVector one = run(precision, 1, simd, chunkBits);
                long[] expected = new long[u.length];
                one.sample(u, expected);
                for (int threads : new int[] {2, 3}) {
                    StateVector other = run(precision, threads, simd, chunkBits);
                    String what = (simd ? "simd" : "scalar") + ", " + threads + " threads, chunk bits " + chunkBits;
                    assertThat(other.toArray()).as(what).containsExactly(one.toArray());
                    assertThat(other.normSquared()).as(what).isEqualTo(one.normSquared());
                    for (int q = 0; q < 15; q += 3) {
                        assertThat(other.probabilityOfOne(q)).as(what).isEqualTo(one.probabilityOfOne(q));
                    }
                    assertThat(other.probabilities(new int[] {0, 9, 4, 14})).as(what)
                            .containsExactly(one.probabilities(new int[] {0, 9, 4, 14}));
                    long[] got = new long[u.length];
                    other.sample(u, got);
                    assertThat(got).as(what).containsExactly(expected);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void cacheBlockedAndPassByPassRunsAgreeUpToRounding(Precision precision) {
        // chunk bits 11 run the circuit in cache blocks of 2^11 amplitudes, reordering commuting gates
        double[] blocked = run(precision, 2, true, 11).toArray();
        double[] plain = run(precision, 2, true, Layout.MAX_CHUNK_BITS).toArray();
        double tolerance = precision == Precision.SINGLE ? 1e-5 : 1e-12;
        for (int i = 0; i < plain.length; i++) {
            assertThat(blocked[i]).as("element %d", i)
                    .isCloseTo(plain[i], org.assertj.core.api.Assertions.within(tolerance));
        }
    }
}
