package dev.qfed.bench.emulator;

import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.GateOperation;
import dev.qfed.circuit.Measure;
import dev.qfed.circuit.Operation;
import dev.qfed.circuit.Register;
import dev.qfed.circuit.StandardGate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** The circuits the emulator benchmark runs, as circuit IR; each ends by measuring every qubit. */
public final class BenchCircuits {

    /**
     * Cycles of the grid circuit: at 24 qubits (4×6) this gives 1,263 gates, about the 1,257 of qsim's reference
     * run.
     */
    public static final int GRID_CYCLES = 92;

    /** Layers of the random-layer circuit. */
    public static final int RANDOM_DEPTH = 20;

    private BenchCircuits() {
    }

    /** A benchmark circuit family. */
    public enum Kind {
        /** Quantum Fourier transform: H and controlled phases, then the qubit-reversing swaps. */
        QFT,
        /** Alternating layers of random single-qubit rotations and CZ/CX on a brick pattern, depth 20. */
        RANDOM,
        /**
         * Boixo-style random circuit on a 2D grid: an H layer, then cycles of CZ patterns with T, √X and √Y on the
         * qubits a CZ left in the previous cycle.
         */
        GRID;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown circuit '" + s + "': use qft, random or grid");
            }
        }
    }

    /** The circuit of {@code kind} on {@code n} qubits; random ones are seeded, so every run is the same. */
    public static Circuit of(Kind kind, int n, long seed) {
        List<Operation> ops = switch (kind) {
            case QFT -> qft(n);
            case RANDOM -> randomLayers(n, RANDOM_DEPTH, new Random(seed));
            case GRID -> grid(n, GRID_CYCLES, new Random(seed));
        };
        for (int q = 0; q < n; q++) {
            ops.add(new Measure(q, q));
        }
        return new Circuit(List.of(Register.of("q", n)), List.of(Register.of("c", n)), List.of(), ops);
    }

    /** Gates of the circuit (measurements excluded). */
    public static int gateCount(Circuit c) {
        return (int) c.operations().stream().filter(GateOperation.class::isInstance).count();
    }

    static List<Operation> qft(int n) {
        List<Operation> ops = new ArrayList<>();
        for (int j = n - 1; j >= 0; j--) {
            ops.add(GateOperation.of(StandardGate.H, List.of(j)));
            for (int k = j - 1; k >= 0; k--) {
                ops.add(GateOperation.of(StandardGate.CP, List.of(k, j), Math.PI / (1L << Math.min(62, j - k))));
            }
        }
        for (int q = 0; q < n / 2; q++) {
            ops.add(GateOperation.of(StandardGate.SWAP, List.of(q, n - 1 - q)));
        }
        return ops;
    }

    static List<Operation> randomLayers(int n, int depth, Random rnd) {
        List<Operation> ops = new ArrayList<>();
        for (int layer = 0; layer < depth; layer++) {
            for (int q = 0; q < n; q++) {
                ops.add(GateOperation.of(StandardGate.U, List.of(q), angle(rnd), angle(rnd), angle(rnd)));
            }
            StandardGate entangler = layer % 4 < 2 ? StandardGate.CZ : StandardGate.CX;
            for (int q = layer % 2; q + 1 < n; q += 2) {
                ops.add(GateOperation.of(entangler, List.of(q, q + 1)));
            }
        }
        return ops;
    }

    /** Rows and columns of the grid for n qubits: the most square factorisation with rows ≤ columns. */
    static int[] gridShape(int n) {
        int rows = (int) Math.sqrt(n);
        while (n % rows != 0) {
            rows--;
        }
        return new int[] {rows, n / rows};
    }

    static List<Operation> grid(int n, int cycles, Random rnd) {
        int[] shape = gridShape(n);
        int rows = shape[0];
        int cols = shape[1];
        List<Operation> ops = new ArrayList<>();
        for (int q = 0; q < n; q++) {
            ops.add(GateOperation.of(StandardGate.H, List.of(q)));
        }
        boolean[] hadT = new boolean[n];
        int[] lastSingle = new int[n]; // 0 none, 1 √X, 2 √Y, 3 T
        boolean[] inCzBefore = new boolean[n];
        for (int cycle = 0; cycle < cycles; cycle++) {
            boolean[] inCz = new boolean[n];
            List<Operation> czs = new ArrayList<>();
            int pattern = cycle % 8;
            boolean horizontal = pattern % 2 == 0;
            int shift = pattern / 2;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    int a = r * cols + c;
                    if (horizontal && c + 1 < cols && (c + r + shift) % 2 == 0) {
                        czs.add(cz(a, a + 1, inCz));
                    } else if (!horizontal && r + 1 < rows && (r + c + shift) % 2 == 0) {
                        czs.add(cz(a, a + cols, inCz));
                    }
                }
            }
            // single-qubit gates on qubits a CZ acted on in the previous cycle and that are idle in this one
            for (int q = 0; q < n; q++) {
                if (!inCzBefore[q] || inCz[q]) {
                    continue;
                }
                if (!hadT[q]) {
                    ops.add(GateOperation.of(StandardGate.T, List.of(q)));
                    hadT[q] = true;
                    lastSingle[q] = 3;
                } else {
                    int g = lastSingle[q] == 1 ? 2 : lastSingle[q] == 2 ? 1 : 1 + rnd.nextInt(2);
                    ops.add(g == 1 ? GateOperation.of(StandardGate.SX, List.of(q))
                            : GateOperation.of(StandardGate.RY, List.of(q), Math.PI / 2)); // √Y up to a phase
                    lastSingle[q] = g;
                }
            }
            ops.addAll(czs);
            inCzBefore = inCz;
        }
        return ops;
    }

    private static Operation cz(int a, int b, boolean[] inCz) {
        inCz[a] = true;
        inCz[b] = true;
        return GateOperation.of(StandardGate.CZ, List.of(a, b));
    }

    private static double angle(Random rnd) {
        return rnd.nextDouble() * 2 * Math.PI;
    }
}
