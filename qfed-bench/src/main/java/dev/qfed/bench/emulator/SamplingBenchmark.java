package dev.qfed.bench.emulator;

import dev.qfed.emulator.state.Precision;
import dev.qfed.emulator.state.StateVector;
import dev.qfed.emulator.state.StateVectors;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sampling {@code shots} basis states from a final state: drawing and sorting the uniforms, then one pass over the
 * state ({@link StateVector#sample}). Run like {@link StateKernelBenchmark}, e.g. {@code -p qubits=28}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC", "-Xmx12g"})
public class SamplingBenchmark {

    @Param({"20", "24"})
    int qubits;

    @Param({"SINGLE"})
    Precision precision;

    @Param({"2"})
    int threads;

    @Param({"1000000"})
    int shots;

    private StateVector state;
    private long[] out;
    private long seed;

    @Setup
    public void setUp() {
        state = StateVectors.create(qubits, precision, threads);
        double h = 1 / Math.sqrt(2);
        for (int q = 0; q < qubits; q++) {
            state.apply(new int[0], 0, new int[] {q}, new double[] {h, 0, h, 0, h, 0, -h, 0});
        }
        state.applyDiagonal(new int[0], 0, new int[] {0, qubits - 1},
                new double[] {1, 0, 0.6, 0.8, 0.8, 0.6, 0, 1}); // phases only: still uniform, but not trivially
        out = new long[shots];
    }

    @Benchmark
    public long sample() {
        SplittableRandom rnd = new SplittableRandom(seed++);
        double[] u = new double[shots];
        for (int i = 0; i < shots; i++) {
            u[i] = rnd.nextDouble();
        }
        Arrays.sort(u);
        state.sample(u, out);
        return out[shots / 2];
    }
}
