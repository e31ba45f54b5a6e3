package dev.qfed.bench.emulator;

import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.qasm.OpenQasm;
import dev.qfed.circuit.qasm.ParseLimits;
import dev.qfed.circuit.qasm.QasmException;
import dev.qfed.emulator.Emulator;
import dev.qfed.emulator.EmulatorOptions;
import dev.qfed.emulator.RunRequest;
import dev.qfed.emulator.RunResult;
import dev.qfed.emulator.noise.DeviceDescription;
import dev.qfed.emulator.state.Precision;
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
 * One job of the broker benchmark as a site agent's emulator backend runs it: a GHZ circuit on {@code qubits}
 * qubits, {@code shots} shots with the noise of {@code low-noise-5}, one thread, a new seed each time.
 * {@code reparse=true} parses the OpenQASM text on every run (what the agent did before it kept parsed circuits);
 * {@code false} runs the same parsed circuit again (what it does now). Run like {@link StateKernelBenchmark}:
 * {@code java -cp … org.openjdk.jmh.Main SmallJobBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
public class SmallJobBenchmark {

    @Param({"5"})
    int qubits;

    @Param({"100"})
    int shots;

    @Param({"false", "true"})
    boolean reparse;

    @Param({"DOUBLE"})
    Precision precision;

    private String qasm;
    private Circuit circuit;
    private DeviceDescription device;
    private Emulator emulator;
    private long seed;

    @Setup
    public void setUp() throws QasmException {
        StringBuilder q = new StringBuilder("OPENQASM 2.0;\ninclude \"qelib1.inc\";\n");
        q.append("qreg q[").append(qubits).append("];\ncreg c[").append(qubits).append("];\nh q[0];\n");
        for (int i = 1; i < qubits; i++) {
            q.append("cx q[").append(i - 1).append("], q[").append(i).append("];\n");
        }
        qasm = q.append("measure q -> c;\n").toString();
        circuit = parse();
        device = DeviceDescription.example("low-noise-5");
        emulator = new Emulator(EmulatorOptions.defaults().withThreads(1).withPrecision(precision));
    }

    private Circuit parse() throws QasmException {
        return OpenQasm.parse(qasm, "circuits[0]", null, ParseLimits.DEFAULT);
    }

    @Benchmark
    public RunResult run() throws QasmException {
        Circuit c = reparse ? parse() : circuit;
        return emulator.run(c, RunRequest.of(shots, seed++).withNoise(device));
    }
}
