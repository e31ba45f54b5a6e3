package dev.qfed.bench.emulator;

import dev.qfed.emulator.state.Precision;
import dev.qfed.emulator.state.StateVector;
import dev.qfed.emulator.state.StateVectors;
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
 * One gate pass over a state, per kernel path: time per pass; bandwidth = 2 × state bytes / time (each iteration
 * flushes, so gates on low qubits are not batched into cache blocks). Run with
 * <pre>{@code
 * ./mvnw -q -pl qfed-bench -am package -DskipTests
 * java -cp "qfed-bench/target/classes:$(cat /tmp/cp.txt)" org.openjdk.jmh.Main StateKernelBenchmark \
 *     -p qubits=24 -p precision=SINGLE -p threads=2
 * }</pre>
 * (the class path from {@code ./mvnw -q -pl qfed-bench -am dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt}).
 * Shapes: {@code 1q-high} a dense 1-qubit gate on the top qubit, {@code 1q-low} on qubit 0 (inside a SIMD block),
 * {@code 2q}, {@code 3q} dense gates on high qubits, {@code 3q-mixed} one low and two high targets, {@code diag3} a
 * 3-qubit diagonal, {@code cx} a controlled X (a permutation).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC", "-Xmx12g"})
public class StateKernelBenchmark {

    @Param({"20", "24"})
    int qubits;

    @Param({"SINGLE", "DOUBLE"})
    Precision precision;

    @Param({"1", "2"})
    int threads;

    @Param({"1q-high", "1q-low", "2q", "3q", "3q-mixed", "diag3", "cx"})
    String shape;

    private StateVector state;
    private int[] controls;
    private int[] targets;
    private double[] matrix;
    private boolean diagonal;

    @Setup
    public void setUp() {
        state = StateVectors.create(qubits, precision, threads);
        int top = qubits - 1;
        controls = new int[0];
        switch (shape) {
            case "1q-high" -> targets = new int[] {top};
            case "1q-low" -> targets = new int[] {0};
            case "2q" -> targets = new int[] {top, top - 4};
            case "3q" -> targets = new int[] {top, top - 4, top - 7};
            case "3q-mixed" -> targets = new int[] {1, top, top - 5};
            case "diag3" -> {
                targets = new int[] {0, top - 3, top};
                diagonal = true;
            }
            case "cx" -> {
                controls = new int[] {top};
                targets = new int[] {top - 2};
            }
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        }
        int dim = 1 << targets.length;
        if (diagonal) {
            matrix = new double[2 * dim];
            for (int i = 0; i < dim; i++) {
                matrix[2 * i] = Math.cos(0.3 * i);
                matrix[2 * i + 1] = Math.sin(0.3 * i);
            }
        } else if (shape.equals("cx")) {
            matrix = new double[] {0, 0, 1, 0, 1, 0, 0, 0};
        } else {
            matrix = fourier(dim);
        }
        // a generic state: every amplitude nonzero
        double h = 1 / Math.sqrt(2);
        for (int q = 0; q < qubits; q++) {
            state.apply(new int[0], 0, new int[] {q}, new double[] {h, 0, h, 0, h, 0, -h, 0});
        }
    }

    /** A unitary with every entry nonzero: the dense kernels do their full work. */
    static double[] fourier(int dim) {
        double[] m = new double[2 * dim * dim];
        for (int r = 0; r < dim; r++) {
            for (int c = 0; c < dim; c++) {
                double phase = 2 * Math.PI * r * c / dim;
                m[2 * (r * dim + c)] = Math.cos(phase) / Math.sqrt(dim);
                m[2 * (r * dim + c) + 1] = Math.sin(phase) / Math.sqrt(dim);
            }
        }
        return m;
    }

    @Benchmark
    public void pass() {
        if (diagonal) {
            state.applyDiagonal(controls, 0, targets, matrix);
        } else {
            state.apply(controls, controls.length == 0 ? 0 : 1, targets, matrix);
        }
        state.flush(); // one gate, one sweep: no cache blocking across iterations
    }
}
