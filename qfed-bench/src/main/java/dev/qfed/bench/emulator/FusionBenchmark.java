package dev.qfed.bench.emulator;

import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.ComplexMatrix;
import dev.qfed.circuit.GateOperation;
import dev.qfed.emulator.fusion.FusedCircuit;
import dev.qfed.emulator.fusion.GateFuser;
import dev.qfed.emulator.fusion.UnitaryGate;
import java.util.ArrayList;
import java.util.List;
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

/** Time to fuse a benchmark circuit (part of every run's start-up); the gates are lowered once in the setup. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FusionBenchmark {

    @Param({"grid", "random", "qft"})
    String circuit;

    @Param({"24"})
    int qubits;

    @Param({"2", "3", "4"})
    int width;

    private List<UnitaryGate> gates;
    private GateFuser fuser;

    @Setup
    public void setUp() {
        Circuit c = BenchCircuits.of(BenchCircuits.Kind.parse(circuit), qubits, 1);
        gates = new ArrayList<>();
        for (var op : c.operations()) {
            if (op instanceof GateOperation g) {
                ComplexMatrix m = g.targetMatrix();
                int[] controls = g.controlQubits().stream().mapToInt(Integer::intValue).toArray();
                int[] targets = g.targetQubits().stream().mapToInt(Integer::intValue).toArray();
                gates.add(new UnitaryGate(controls, g.controlValues(), targets, m.data(), false));
            }
        }
        fuser = new GateFuser(width);
    }

    @Benchmark
    public FusedCircuit fuse() {
        return fuser.fuse(gates);
    }
}
