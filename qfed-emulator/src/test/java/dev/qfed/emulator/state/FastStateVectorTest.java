package dev.qfed.emulator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FastStateVectorTest {

    static Stream<Arguments> kernelsAndSeeds() {
        List<Arguments> out = new ArrayList<>();
        for (Kernels k : Kernels.all()) {
            for (int seed = 1; seed <= 6; seed++) {
                out.add(Arguments.of(k, seed));
            }
        }
        return out.stream();
    }

    static Stream<Kernels> kernels() {
        return Kernels.all().stream();
    }

    /** Applies the same random gate to both states; returns a description for failure messages. */
    static String randomGate(Random rnd, int n, StateVector fast, ReferenceState ref) {
        int shape = rnd.nextInt(n >= 2 ? 6 : 5);
        int k = switch (shape) {
            case 0, 1 -> 1 + rnd.nextInt(Math.min(n, 5));
            case 2 -> rnd.nextInt(Math.min(n, 4) + 1);
            case 5 -> 2 + rnd.nextInt(Math.min(n, 3) - 1);
            default -> 1 + rnd.nextInt(Math.min(n, 4));
        };
        int controls = Math.min(n - k, rnd.nextInt(3));
        int[] qubits = RandomGates.distinctQubits(rnd, n, k + controls);
        int[] targets = Arrays.copyOfRange(qubits, 0, k);
        int[] ctrls = Arrays.copyOfRange(qubits, k, k + controls);
        int cv = rnd.nextInt(1 << controls);
        int dim = 1 << k;
        switch (shape) {
            case 0, 1 -> {
                double[] m = RandomGates.unitary(rnd, dim);
                fast.apply(ctrls, cv, targets, m);
                ref.apply(ctrls, cv, targets, m);
                return "dense " + Arrays.toString(targets) + " ctrl " + Arrays.toString(ctrls) + "=" + cv;
            }
            case 2 -> {
                double[] d = RandomGates.phases(rnd, dim);
                fast.applyDiagonal(ctrls, cv, targets, d);
                ref.applyDiagonal(ctrls, cv, targets, d);
                return "diagonal " + Arrays.toString(targets) + " ctrl " + Arrays.toString(ctrls) + "=" + cv;
            }
            case 3 -> {
                double[] m = RandomGates.permutation(rnd, dim);
                fast.apply(ctrls, cv, targets, m);
                ref.apply(ctrls, cv, targets, m);
                return "permutation " + Arrays.toString(targets) + " ctrl " + Arrays.toString(ctrls) + "=" + cv;
            }
            case 5 -> {
                // leaves one target unmixed: runs as two gates controlled on it
                int selector = rnd.nextInt(k);
                double[] m = RandomGates.multiplexed(rnd, k, selector);
                fast.apply(ctrls, cv, targets, m);
                ref.apply(ctrls, cv, targets, m);
                return "multiplexed " + Arrays.toString(targets) + " on " + targets[selector] + " ctrl "
                        + Arrays.toString(ctrls) + "=" + cv;
            }
            default -> {
                // a diagonal given as a dense matrix: the plan must notice
                double[] m = RandomGates.diagonalAsMatrix(RandomGates.phases(rnd, dim));
                fast.apply(ctrls, cv, targets, m);
                ref.apply(ctrls, cv, targets, m);
                return "dense-diagonal " + Arrays.toString(targets) + " ctrl " + Arrays.toString(ctrls) + "=" + cv;
            }
        }
    }

    /** A random one-qubit gate on every qubit of both states: no amplitude left zero, none special. */
    static void genericState(Random rnd, int n, StateVector fast, ReferenceState ref) {
        for (int q = 0; q < n; q++) {
            double[] m = RandomGates.unitary(rnd, 2);
            fast.apply(new int[0], 0, new int[] {q}, m);
            ref.apply(new int[0], 0, new int[] {q}, m);
        }
    }

    static void assertClose(StateVector fast, ReferenceState ref, double tol, String context) {
        double[] got = fast.toArray();
        assertThat(got).hasSameSizeAs(ref.amp);
        for (int i = 0; i < got.length; i++) {
            if (Math.abs(got[i] - ref.amp[i]) > tol) {
                throw new AssertionError(context + ": element " + i + " (amplitude " + i / 2 + ") is " + got[i]
                        + ", expected " + ref.amp[i]);
            }
        }
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("kernelsAndSeeds")
    void randomGatesMatchTheReferenceOnEveryPath(Kernels kernels, int seed) {
        Random rnd = new Random(seed);
        int n = new int[] {1, 2, 4, 6, 9, 11}[seed - 1];
        StateVector fast = kernels.create(n);
        ReferenceState ref = new ReferenceState(n);
        List<String> applied = new ArrayList<>();
        for (int g = 0; g < 40; g++) {
            applied.add(randomGate(rnd, n, fast, ref));
            assertClose(fast, ref, kernels.tolerance(), kernels + " n=" + n + " after " + applied);
        }
        assertThat(fast.normSquared()).isCloseTo(1, within(kernels.tolerance() * 10));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("kernelsAndSeeds")
    void queuedGatesRunTileByTileAndMatchTheReference(Kernels kernels, int seed) {
        // small chunks make cache blocks of a few blocks, so most gates reach above them and run in tiles
        Random rnd = new Random(100 + seed);
        int n = new int[] {6, 7, 8, 9, 10, 11}[seed - 1];
        StateVector fast = kernels.create(n);
        ReferenceState ref = new ReferenceState(n);
        List<String> applied = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int g = 0; g < 30; g++) {
                applied.add(randomGate(rnd, n, fast, ref));
            }
            assertClose(fast, ref, kernels.tolerance(), kernels + " n=" + n + " after " + applied);
        }
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("kernelsAndSeeds")
    void gatesRepeatedFromReusedArraysMatchTheReference(Kernels kernels, int seed) {
        // plans are cached by gate content, not by array identity: a caller that refills the same arrays between
        // gates must get each new gate, and a repeated gate (a cached plan) its own qubits, in tiles as in passes
        Random rnd = new Random(200 + seed);
        int n = new int[] {2, 4, 6, 9, 10, 11}[seed - 1];
        StateVector fast = kernels.create(n);
        ReferenceState ref = new ReferenceState(n);
        double[][] pool = {RandomGates.unitary(rnd, 4), RandomGates.unitary(rnd, 4)};
        double[] matrix = new double[pool[0].length];
        int[] targets = new int[2];
        List<String> applied = new ArrayList<>();
        for (int g = 0; g < 40; g++) {
            int[] qubits = RandomGates.distinctQubits(rnd, n, 2);
            System.arraycopy(qubits, 0, targets, 0, 2);
            System.arraycopy(pool[rnd.nextInt(2)], 0, matrix, 0, matrix.length);
            fast.apply(new int[0], 0, targets, matrix);
            ref.apply(new int[0], 0, targets.clone(), matrix.clone());
            applied.add(Arrays.toString(targets));
            if (g % 10 == 9) {
                assertClose(fast, ref, kernels.tolerance() * 4, kernels + " n=" + n + " after " + applied);
            }
        }
    }

    static Stream<Kernels> tileKernels() {
        int f = VectorFloatKernels.INSTANCE.lanes();
        int d = VectorDoubleKernels.INSTANCE.lanes();
        return Stream.of(new Kernels("simd-single-chunks-2^8", Precision.SINGLE, true, f, 8, 2),
                new Kernels("simd-double-chunks-2^8", Precision.DOUBLE, true, d, 8, 3),
                new Kernels("scalar-single-2lanes-chunks-2^6", Precision.SINGLE, false, 2, 6, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tileKernels")
    void layersOfOneAndTwoQubitGatesOnAllQubitsTakeFewerSweepsThanGates(Kernels kernels) {
        Random rnd = new Random(5);
        int n = 12;
        StateVector fast = kernels.create(n);
        ReferenceState ref = new ReferenceState(n);
        int gates = 0;
        for (int layer = 0; layer < 6; layer++) {
            for (int q = layer % 2; q + 1 < n; q += 2) {
                double[] u = RandomGates.unitary(rnd, 2);
                fast.apply(new int[0], 0, new int[] {q}, u);
                ref.apply(new int[0], 0, new int[] {q}, u);
                double[] cz = {1, 0, 1, 0, 1, 0, -1, 0};
                fast.applyDiagonal(new int[0], 0, new int[] {q, q + 1}, cz);
                ref.applyDiagonal(new int[0], 0, new int[] {q, q + 1}, cz);
                gates += 2;
            }
        }
        assertClose(fast, ref, kernels.tolerance(), kernels.toString());
        // cache blocks of 2^8 amplitudes (2^6 for the scalar case) leave 4 to 6 qubits above them; a pass per gate
        // would take 66 sweeps, tiles take 15 (21 with the scalar case's smaller tiles)
        assertThat(fast.sweeps()).isLessThan(gates / 3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tileKernels")
    void aBadGateOnAStateLargerThanACacheBlockFailsWhenAppliedAndChangesNothing(Kernels kernels) {
        // such states compile a queued gate only when it runs, so apply must still check it at once
        int n = 12;
        StateVector fast = kernels.create(n);
        ReferenceState ref = new ReferenceState(n);
        double[] h = {Math.sqrt(0.5), 0, Math.sqrt(0.5), 0, Math.sqrt(0.5), 0, -Math.sqrt(0.5), 0};
        fast.apply(new int[0], 0, new int[] {11}, h);
        ref.apply(new int[0], 0, new int[] {11}, h);
        assertThatThrownBy(() -> fast.apply(new int[0], 0, new int[] {12}, h))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("qubit 12 is out of range");
        assertThatThrownBy(() -> fast.apply(new int[] {3}, 1, new int[] {3}, h))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> fast.apply(new int[0], 0, new int[] {0, 1}, h))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4x4 matrix");
        assertThatThrownBy(() -> fast.applyDiagonal(new int[0], 0, new int[] {0}, new double[] {1, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 2 entries");
        assertClose(fast, ref, kernels.tolerance(), kernels.toString());
    }

    /** Gate shapes that select each plan kind, with targets below and above the block width. */
    static Stream<Arguments> shapes() {
        List<Arguments> out = new ArrayList<>();
        for (Kernels k : Kernels.all()) {
            out.add(Arguments.of(k, "dense1 high", new int[] {}, new int[] {7}, GatePlan.Kind.DENSE));
            out.add(Arguments.of(k, "dense1 high, high control", new int[] {9}, new int[] {6}, GatePlan.Kind.DENSE));
            out.add(Arguments.of(k, "dense2 high", new int[] {}, new int[] {8, 5}, GatePlan.Kind.DENSE));
            out.add(Arguments.of(k, "dense3 high", new int[] {}, new int[] {9, 5, 7}, GatePlan.Kind.DENSE));
            out.add(Arguments.of(k, "dense4 high", new int[] {}, new int[] {9, 5, 7, 4}, GatePlan.Kind.DENSE));
            out.add(Arguments.of(k, "dense1 low", new int[] {}, new int[] {0}, GatePlan.Kind.DENSE));
            out.add(Arguments.of(k, "dense3 low", new int[] {}, new int[] {2, 0, 1}, GatePlan.Kind.DENSE));
            out.add(Arguments.of(k, "dense1 high, low control", new int[] {1}, new int[] {6}, GatePlan.Kind.DENSE));
            out.add(Arguments.of(k, "dense3 mixed, low control", new int[] {0}, new int[] {1, 9, 4},
                    GatePlan.Kind.DENSE));
            out.add(Arguments.of(k, "dense4 mixed", new int[] {}, new int[] {1, 8, 0, 5}, GatePlan.Kind.DENSE));
            out.add(Arguments.of(k, "dense4 mostly low", new int[] {}, new int[] {1, 2, 0, 5}, GatePlan.Kind.DENSE));
            out.add(Arguments.of(k, "dense5 mixed", new int[] {2}, new int[] {3, 9, 0, 6, 7}, GatePlan.Kind.GENERAL));
            out.add(Arguments.of(k, "dense6 high", new int[] {}, new int[] {3, 9, 4, 6, 7, 5},
                    GatePlan.Kind.GENERAL));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("shapes")
    void eachKernelPathMatchesTheReference(Kernels kernels, String name, int[] controls, int[] targets,
                                           GatePlan.Kind highLaneKind) {
        int n = 10;
        Random rnd = new Random(name.hashCode());
        StateVector fast = kernels.create(n);
        ReferenceState ref = new ReferenceState(n);
        genericState(rnd, n, fast, ref);
        double[] m = RandomGates.unitary(rnd, 1 << targets.length);
        int cv = (1 << controls.length) - 1;
        fast.apply(controls, cv, targets, m);
        ref.apply(controls, cv, targets, m);
        assertClose(fast, ref, kernels.tolerance(), kernels + " " + name);
        if (kernels.lanes() == 16 || kernels.lanes() == 8) { // logLanes 3 or 4: qubits 0..2 are low in both
            Layout layout = Layout.of(n, kernels.lanes(), kernels.maxChunkBits());
            assertThat(GatePlan.dense(layout, controls, cv, targets, m).kind()).isEqualTo(highLaneKind);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void gatesThatLeaveATargetUnmixedMatchTheReference(Kernels kernels) {
        // such gates run as two gates controlled on that target when it is high: every selector position, high
        // and low selectors, halves that are unitary, diagonal or the identity, with and without a control
        int n = 10;
        Random rnd = new Random(17);
        StateVector fast = kernels.create(n);
        ReferenceState ref = new ReferenceState(n);
        genericState(rnd, n, fast, ref);
        int[][] targetSets = {{8, 5}, {1, 7}, {6, 0}, {9, 2, 5}, {4, 8, 1}};
        for (int[] targets : targetSets) {
            for (int selector = 0; selector < targets.length; selector++) {
                for (int[] controls : new int[][] {{}, {3}}) {
                    if (Arrays.stream(targets).anyMatch(t -> t == 3) && controls.length > 0) {
                        continue;
                    }
                    double[] m = RandomGates.multiplexed(rnd, targets.length, selector);
                    fast.apply(controls, controls.length, targets, m);
                    ref.apply(controls, controls.length, targets, m);
                    assertClose(fast, ref, kernels.tolerance() * 4, kernels + " " + Arrays.toString(targets)
                            + " unmixed on " + targets[selector] + " controls " + Arrays.toString(controls));
                }
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void theSpecialisedSimdPathsAgreeWithTheGeneralOne(int seed) {
        Random rnd = new Random(seed);
        for (Precision precision : Precision.values()) {
            int lanes = precision == Precision.SINGLE ? VectorFloatKernels.INSTANCE.lanes()
                    : VectorDoubleKernels.INSTANCE.lanes();
            Layout layout = Layout.of(10, lanes, 7); // two chunk bits above the blocks: chunk crossings too
            for (int g = 0; g < 12; g++) {
                int k = 1 + rnd.nextInt(4);
                int c = rnd.nextInt(2);
                int[] q = RandomGates.distinctQubits(rnd, 10, k + c);
                int[] targets = Arrays.copyOf(q, k);
                int[] controls = Arrays.copyOfRange(q, k, k + c);
                boolean diagonal = g % 3 == 0;
                GatePlan plan = diagonal
                        ? GatePlan.diagonal(layout, controls, c, targets, RandomGates.phases(rnd, 1 << k))
                        : GatePlan.dense(layout, controls, c, targets, RandomGates.unitary(rnd, 1 << k));
                double[] special;
                double[] general;
                if (precision == Precision.SINGLE) {
                    float[][] a = randomChunks(layout, rnd.nextLong());
                    float[][] b = deepCopy(a);
                    FloatKernels.Coefficients co = FloatKernels.Coefficients.of(plan);
                    VectorFloatKernels.INSTANCE.apply(plan, co, a, 0, plan.counterEnd());
                    VectorFloatKernels.INSTANCE.applyGeneral(plan, co, b, 0, plan.counterEnd());
                    special = flatten(a);
                    general = flatten(b);
                } else {
                    double[][] a = randomDoubleChunks(layout, rnd.nextLong());
                    double[][] b = new double[a.length][];
                    for (int i = 0; i < a.length; i++) {
                        b[i] = a[i].clone();
                    }
                    DoubleKernels.Coefficients co = DoubleKernels.Coefficients.of(plan);
                    VectorDoubleKernels.INSTANCE.apply(plan, co, a, 0, plan.counterEnd());
                    VectorDoubleKernels.INSTANCE.applyGeneral(plan, co, b, 0, plan.counterEnd());
                    special = Arrays.stream(a).flatMapToDouble(Arrays::stream).toArray();
                    general = Arrays.stream(b).flatMapToDouble(Arrays::stream).toArray();
                }
                double tol = precision == Precision.SINGLE ? 1e-5 : 1e-13;
                for (int i = 0; i < special.length; i++) {
                    assertThat(special[i]).as("%s %s path, element %d", precision, plan.kind(), i)
                            .isCloseTo(general[i], within(tol));
                }
            }
        }
    }

    private static float[][] randomChunks(Layout layout, long seed) {
        Random rnd = new Random(seed);
        float[][] out = new float[layout.numChunks()][layout.chunkElements()];
        for (float[] chunk : out) {
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = (float) rnd.nextGaussian();
            }
        }
        return out;
    }

    private static double[][] randomDoubleChunks(Layout layout, long seed) {
        Random rnd = new Random(seed);
        double[][] out = new double[layout.numChunks()][layout.chunkElements()];
        for (double[] chunk : out) {
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = rnd.nextGaussian();
            }
        }
        return out;
    }

    private static float[][] deepCopy(float[][] a) {
        float[][] b = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i].clone();
        }
        return b;
    }

    private static double[] flatten(float[][] a) {
        int n = 0;
        for (float[] c : a) {
            n += c.length;
        }
        double[] out = new double[n];
        int o = 0;
        for (float[] c : a) {
            for (float v : c) {
                out[o++] = v;
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void diagonalGatesOnAnyQubitsAreDiagonalPlans(Kernels kernels) {
        Layout layout = Layout.of(10, kernels.lanes(), kernels.maxChunkBits());
        double[] d = RandomGates.phases(new Random(3), 8);
        assertThat(GatePlan.diagonal(layout, new int[] {4}, 1, new int[] {0, 9, 2}, d).kind())
                .isEqualTo(GatePlan.Kind.DIAGONAL);
        assertThat(GatePlan.dense(layout, new int[] {}, 0, new int[] {0, 9, 2}, RandomGates.diagonalAsMatrix(d))
                .kind()).isEqualTo(GatePlan.Kind.DIAGONAL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void probabilitiesAndCollapseMatchTheReference(Kernels kernels) {
        int n = 9;
        Random rnd = new Random(11);
        StateVector fast = kernels.create(n);
        ReferenceState ref = new ReferenceState(n);
        for (int g = 0; g < 30; g++) {
            randomGate(rnd, n, fast, ref);
        }
        for (int q = 0; q < n; q++) {
            assertThat(fast.probabilityOfOne(q)).as("qubit %d", q)
                    .isCloseTo(ref.probabilityOfOne(q), within(kernels.tolerance()));
        }
        for (int q : new int[] {0, 5, 8, 2}) {
            double p1 = ref.probabilityOfOne(q);
            int outcome = p1 > 0.5 ? 1 : 0;
            double p = outcome == 1 ? p1 : 1 - p1;
            fast.collapse(q, outcome, p);
            double s = 1 / Math.sqrt(p);
            ref.applyDiagonal(new int[0], 0, new int[] {q},
                    outcome == 0 ? new double[] {s, 0, 0, 0} : new double[] {0, 0, s, 0});
            assertClose(fast, ref, kernels.tolerance() * 10, "after collapsing qubit " + q);
            assertThat(fast.probabilityOfOne(q)).isCloseTo(outcome, within(kernels.tolerance() * 10));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void marginalsMatchTheReference(Kernels kernels) {
        int n = 9;
        Random rnd = new Random(13);
        StateVector fast = kernels.create(n);
        ReferenceState ref = new ReferenceState(n);
        for (int g = 0; g < 30; g++) {
            randomGate(rnd, n, fast, ref);
        }
        for (int[] qubits : new int[][] {{}, {0}, {8}, {5, 1}, {2, 7, 0, 4}, {8, 7, 6, 5, 4, 3, 2, 1, 0}}) {
            double[] expected = new double[1 << qubits.length];
            for (int i = 0; i < (1 << n); i++) {
                int x = 0;
                for (int j = 0; j < qubits.length; j++) {
                    x |= ((i >>> qubits[j]) & 1) << j;
                }
                expected[x] += ref.amp[2 * i] * ref.amp[2 * i] + ref.amp[2 * i + 1] * ref.amp[2 * i + 1];
            }
            double[] got = fast.probabilities(qubits);
            assertThat(got).as(Arrays.toString(qubits)).hasSameSizeAs(expected);
            for (int x = 0; x < expected.length; x++) {
                assertThat(got[x]).isCloseTo(expected[x], within(kernels.tolerance() * 10));
            }
        }
        assertThatThrownBy(() -> fast.probabilities(new int[] {1, 1})).hasMessageContaining("appears twice");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void samplingFindsTheIntervalOfEachUniform(Kernels kernels) {
        int n = 14; // several reduction groups
        Random rnd = new Random(5);
        StateVector fast = kernels.create(n);
        ReferenceState ref = new ReferenceState(n);
        for (int g = 0; g < 25; g++) {
            randomGate(rnd, n, fast, ref);
        }
        // the reference samples the fast state's own amplitudes: this checks the sampling, not the gates
        System.arraycopy(fast.toArray(), 0, ref.amp, 0, ref.amp.length);
        double[] u = new double[2000];
        for (int i = 0; i < u.length; i++) {
            u[i] = rnd.nextDouble();
        }
        u[0] = 0;
        u[u.length - 1] = Math.nextDown(1.0);
        Arrays.sort(u);
        long[] out = new long[u.length];
        fast.sample(u, out);
        for (int i = 0; i < u.length; i++) {
            assertThat(out[i]).as("shot %d, u=%s", i, u[i]).isEqualTo(ref.sample(u[i]));
        }
    }

    @Test
    void samplingNeverReturnsAZeroProbabilityBasisState() {
        for (Kernels kernels : Kernels.all()) {
            StateVector s = kernels.create(5);
            double h = 1 / Math.sqrt(2);
            s.apply(new int[0], 0, new int[] {3}, new double[] {h, 0, h, 0, h, 0, -h, 0});
            double[] u = {0, 0.25, 0.499, 0.501, 0.75, Math.nextDown(1.0)};
            long[] out = new long[u.length];
            s.sample(u, out);
            assertThat(out).as(kernels.name()).containsExactly(0, 0, 0, 8, 8, 8);
        }
    }

    @Test
    void samplingRejectsUnsortedOrOutOfRangeUniforms() {
        StateVector s = Kernels.all().get(0).create(3);
        assertThatThrownBy(() -> s.sample(new double[] {0.5, 0.2}, new long[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ascending");
        assertThatThrownBy(() -> s.sample(new double[] {1.0}, new long[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> s.sample(new double[] {0.1}, new long[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one output per uniform");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void copiesAreIndependentAndSetZeroResets(Kernels kernels) {
        int n = 7;
        Random rnd = new Random(2);
        StateVector a = kernels.create(n);
        ReferenceState ref = new ReferenceState(n);
        for (int g = 0; g < 10; g++) {
            randomGate(rnd, n, a, ref);
        }
        StateVector b = a.copy();
        double[] before = a.toArray();
        b.apply(new int[0], 0, new int[] {6}, RandomGates.unitary(rnd, 2));
        assertThat(a.toArray()).containsExactly(before);
        b.copyFrom(a);
        assertThat(b.toArray()).containsExactly(before);
        b.setZero();
        assertThat(b.amplitude(0)).containsExactly(1, 0);
        assertThat(b.normSquared()).isEqualTo(1);
        assertThat(a.amplitude(5)).containsExactly(before[10], before[11]);
    }

    @Test
    void globalPhaseMultipliesEveryAmplitude() {
        for (Kernels kernels : Kernels.all()) {
            StateVector s = kernels.create(6);
            double h = 1 / Math.sqrt(2);
            for (int q = 0; q < 6; q++) {
                s.apply(new int[0], 0, new int[] {q}, new double[] {h, 0, h, 0, h, 0, -h, 0});
            }
            s.applyGlobalPhase(Math.PI / 2);
            double[] a = s.toArray();
            for (int i = 0; i < 64; i++) {
                assertThat(a[2 * i]).isCloseTo(0, within(kernels.tolerance()));
                assertThat(a[2 * i + 1]).isCloseTo(0.125, within(kernels.tolerance()));
            }
        }
    }

    @Test
    void badGatesAreRejectedWithWhatWasWrong() {
        StateVector s = Kernels.all().get(0).create(4);
        double[] x = {0, 0, 1, 0, 1, 0, 0, 0};
        assertThatThrownBy(() -> s.apply(new int[0], 0, new int[] {4}, x))
                .hasMessageContaining("qubit 4 is out of range for a 4-qubit state");
        assertThatThrownBy(() -> s.apply(new int[] {1}, 1, new int[] {1}, x))
                .hasMessageContaining("qubit 1 appears twice");
        assertThatThrownBy(() -> s.apply(new int[0], 0, new int[] {0, 1}, x))
                .hasMessageContaining("needs a 4x4 matrix (32 doubles), got 8");
        assertThatThrownBy(() -> s.apply(new int[] {2}, 2, new int[] {0}, x))
                .hasMessageContaining("do not fit 1 control(s)");
        assertThatThrownBy(() -> s.amplitude(16)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> s.collapse(0, 1, 0)).hasMessageContaining("must be in (0, 1]");
    }

    @Test
    void statesLargerThanTheHeapFailWithWhatTheyNeed() {
        assertThatThrownBy(() -> StateVectors.create(34, Precision.DOUBLE, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a 34-qubit state in double precision needs 256.0 GiB")
                .hasMessageContaining("-Xmx");
    }

    @Test
    void theSimdKernelsAreWhatTestsAndTheFactoryUse() {
        // surefire adds jdk.incubator.vector: without it every "simd" configuration above would be untested
        assertThat(KernelSelector.simd()).as(KernelSelector.describe()).isTrue();
    }
}
