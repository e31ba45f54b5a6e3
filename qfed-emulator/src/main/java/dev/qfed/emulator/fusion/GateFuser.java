package dev.qfed.emulator.fusion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Fuses a stretch of gates (no measurement, reset or conditional inside: those are fusion barriers, so callers
 * fuse each unitary stretch on its own) into fewer, wider gates. A state-vector simulator is bound by memory
 * bandwidth: each gate is a pass over the whole state, so k gates merged into one k-qubit unitary cost one pass
 * instead of k, as long as the wider kernel stays under the memory time.
 *
 * <h2>Algorithm</h2>
 * Greedy in circuit order, in the spirit of qsim's fuser. Every qubit is <em>owned</em> by at most one group: the
 * last group that acted on it. A gate whose qubits are all owned by one group (or by none) joins that group when
 * the union stays within the width limit. Otherwise it starts a new group, absorbing those owning groups that
 * still own all their qubits, as many as the limit allows; the others lose ownership of the gate's qubits but stay
 * open for gates on the qubits they keep. A group only ever takes qubits from older groups, and a gate joins a
 * group only on qubits no newer group has touched, so emitting the groups in creation order keeps every qubit's
 * gates in order.
 *
 * <p>Diagonal gates form diagonal groups, which may grow wider ({@link #maxDiagonalQubits}): a diagonal costs one
 * complex multiplication per amplitude whatever its width. A diagonal gate also joins a dense group when the union
 * fits the dense limit. A group of one gate is emitted as that gate, controls included (a controlled kernel skips
 * the blocks where a high control is not set).
 */
public final class GateFuser {

    /**
     * Default dense width, chosen by measurement (see docs/performance.md): a 2-qubit pass still runs at memory
     * speed on two cores, while a 3-qubit pass costs about twice its memory time in arithmetic and saves only
     * 10–15% of the passes on grid circuits.
     */
    public static final int DEFAULT_MAX_QUBITS = 2;

    /** Widest diagonal group: its table of 2^8 phases still sits in the first-level cache. */
    public static final int MAX_DIAGONAL_QUBITS = 8;

    /** Widest dense group the kernels take. */
    public static final int MAX_QUBITS = 6;

    private final int maxQubits;
    private final int maxDiagonalQubits;

    /**
     * @param maxQubits widest dense fused gate, 1 to {@value #MAX_QUBITS}; 0 turns fusion off (each gate is one
     *                  pass)
     */
    public GateFuser(int maxQubits) {
        if (maxQubits < 0 || maxQubits > MAX_QUBITS) {
            throw new IllegalArgumentException("fusion width must be 0 (off) to " + MAX_QUBITS + " qubits, got "
                    + maxQubits);
        }
        this.maxQubits = maxQubits;
        this.maxDiagonalQubits = maxQubits == 0 ? 0 : Math.max(maxQubits, MAX_DIAGONAL_QUBITS);
    }

    public int maxQubits() {
        return maxQubits;
    }

    public int maxDiagonalQubits() {
        return maxDiagonalQubits;
    }

    /** Fuses {@code gates}, applied in list order; the result has the same overall unitary. */
    public FusedCircuit fuse(List<UnitaryGate> gates) {
        if (maxQubits == 0) {
            return new FusedCircuit(gates, gates.size(), 0);
        }
        Group[] owner = new Group[64];
        List<Group> all = new ArrayList<>(); // every group not dissolved into a merger, in creation order
        int ids = 0;
        for (UnitaryGate g : gates) {
            long mask = g.qubitMask();
            List<Group> frontier = new ArrayList<>();
            for (long m = mask; m != 0; m &= m - 1) {
                Group f = owner[Long.numberOfTrailingZeros(m)];
                if (f != null && !frontier.contains(f)) {
                    frontier.add(f);
                }
            }
            // one group owns all of g's owned qubits: g joins it if the width allows, even if the group has lost
            // other qubits to later groups (g acts only on qubits no later group has touched)
            if (frontier.size() == 1) {
                Group f = frontier.get(0);
                long u = f.mask | mask;
                boolean d = f.diagonal && g.diagonal();
                if (Long.bitCount(u) <= limit(d)) {
                    f.members.add(g);
                    f.mask = u;
                    f.owned |= mask;
                    f.diagonal = d;
                    for (long m = mask; m != 0; m &= m - 1) {
                        owner[Long.numberOfTrailingZeros(m)] = f;
                    }
                    continue;
                }
            }
            // the largest fully owned groups first: absorbing them saves the most; ties by age, for determinism
            frontier.sort(Comparator.comparingInt((Group f) -> -f.members.size()).thenComparingInt(f -> f.id));
            long union = mask;
            boolean diagonal = g.diagonal();
            List<Group> taken = new ArrayList<>();
            if (Long.bitCount(mask) <= limit(diagonal)) {
                for (Group f : frontier) {
                    long u = union | f.mask;
                    boolean d = diagonal && f.diagonal;
                    if (f.mergeable() && Long.bitCount(u) <= limit(d)) {
                        taken.add(f);
                        union = u;
                        diagonal = d;
                    }
                }
            }
            Group merged = new Group(ids++, union, diagonal);
            taken.sort(Comparator.comparingInt(f -> f.id));
            for (Group f : taken) {
                merged.members.addAll(f.members);
                all.remove(f);
            }
            merged.members.add(g);
            all.add(merged);
            // groups that keep existing lose g's qubits to the new group, which must follow them
            for (Group f : frontier) {
                if (!taken.contains(f)) {
                    f.owned &= ~union;
                }
            }
            for (long m = union; m != 0; m &= m - 1) {
                owner[Long.numberOfTrailingZeros(m)] = merged;
            }
        }
        // groups only ever take qubits from older groups, so creation order respects every qubit's gate order
        all.sort(Comparator.comparingInt(f -> f.id));
        List<UnitaryGate> out = new ArrayList<>(all.size());
        int merged = 0;
        for (Group f : all) {
            out.add(f.toGate());
            merged += f.members.size() > 1 ? 1 : 0;
        }
        return new FusedCircuit(out, gates.size(), merged);
    }

    private int limit(boolean diagonal) {
        return diagonal ? maxDiagonalQubits : maxQubits;
    }

    private static final class Group {
        final int id;
        /** Every qubit the group's gates act on: its fused gate's qubits. */
        long mask;
        /** The qubits no later group has acted on yet: only gates on these may still join. */
        long owned;
        boolean diagonal;
        final List<UnitaryGate> members = new ArrayList<>();

        Group(int id, long mask, boolean diagonal) {
            this.id = id;
            this.mask = mask;
            this.owned = mask;
            this.diagonal = diagonal;
        }

        /** Whether the group still owns all its qubits, so it may merge into a new group. */
        boolean mergeable() {
            return owned == mask;
        }

        UnitaryGate toGate() {
            if (members.size() == 1) {
                return members.get(0);
            }
            int[] qubits = new int[Long.bitCount(mask)];
            int[] position = new int[64];
            int i = 0;
            for (long m = mask; m != 0; m &= m - 1) {
                int q = Long.numberOfTrailingZeros(m);
                position[q] = i;
                qubits[i++] = q;
            }
            return diagonal ? UnitaryGate.diagonal(qubits, diagonalProduct(qubits.length, position))
                    : UnitaryGate.dense(qubits, denseProduct(qubits.length, position));
        }

        /** Π of the members' diagonals over the group's qubits (ascending). */
        private double[] diagonalProduct(int u, int[] position) {
            int dim = 1 << u;
            double[] d = new double[2 * dim];
            for (int x = 0; x < dim; x++) {
                d[2 * x] = 1;
            }
            for (UnitaryGate g : members) {
                int[] t = positions(g.targets(), position);
                int[] c = positions(g.controls(), position);
                for (int x = 0; x < dim; x++) {
                    if (!controlsMatch(x, c, g.controlValues())) {
                        continue;
                    }
                    int e = 0;
                    for (int j = 0; j < t.length; j++) {
                        e |= ((x >>> t[j]) & 1) << j;
                    }
                    multiply(d, 2 * x, g.matrix()[2 * e], g.matrix()[2 * e + 1]);
                }
            }
            return d;
        }

        /**
         * The members' product over the group's qubits (ascending): start from the identity and apply each member
         * to it as to a state, on all columns at once (each member acts on rows).
         */
        private double[] denseProduct(int u, int[] position) {
            int dim = 1 << u;
            int rowLength = 2 * dim;
            double[] a = new double[2 * dim * dim];
            for (int x = 0; x < dim; x++) {
                a[2 * (x * dim + x)] = 1;
            }
            for (UnitaryGate g : members) {
                int[] t = positions(g.targets(), position);
                int[] c = positions(g.controls(), position);
                int k = t.length;
                int gd = 1 << k;
                double[] m = g.diagonal() ? expandDiagonal(g.matrix()) : g.matrix();
                double[][] in = new double[gd][];
                int[] rows = new int[gd];
                for (int base = 0; base < dim; base++) {
                    if (!isBase(base, t) || !controlsMatch(base, c, g.controlValues())) {
                        continue;
                    }
                    for (int r = 0; r < gd; r++) {
                        int row = base;
                        for (int j = 0; j < k; j++) {
                            row |= ((r >>> j) & 1) << t[j];
                        }
                        rows[r] = row;
                        in[r] = Arrays.copyOfRange(a, row * rowLength, (row + 1) * rowLength);
                    }
                    for (int r = 0; r < gd; r++) {
                        int at = rows[r] * rowLength;
                        Arrays.fill(a, at, at + rowLength, 0);
                        for (int col = 0; col < gd; col++) {
                            double mr = m[2 * (r * gd + col)];
                            double mi = m[2 * (r * gd + col) + 1];
                            if (mr == 0 && mi == 0) {
                                continue;
                            }
                            double[] v = in[col];
                            for (int e = 0; e < rowLength; e += 2) {
                                a[at + e] += mr * v[e] - mi * v[e + 1];
                                a[at + e + 1] += mr * v[e + 1] + mi * v[e];
                            }
                        }
                    }
                }
            }
            return a;
        }

        private static int[] positions(int[] qubits, int[] position) {
            int[] p = new int[qubits.length];
            for (int j = 0; j < qubits.length; j++) {
                p[j] = position[qubits[j]];
            }
            return p;
        }

        private static boolean isBase(int x, int[] targets) {
            for (int t : targets) {
                if (((x >>> t) & 1) != 0) {
                    return false;
                }
            }
            return true;
        }

        private static boolean controlsMatch(int x, int[] controls, int values) {
            for (int j = 0; j < controls.length; j++) {
                if (((x >>> controls[j]) & 1) != ((values >>> j) & 1)) {
                    return false;
                }
            }
            return true;
        }

        private static double[] expandDiagonal(double[] d) {
            int dim = d.length / 2;
            double[] m = new double[2 * dim * dim];
            for (int r = 0; r < dim; r++) {
                m[2 * (r * dim + r)] = d[2 * r];
                m[2 * (r * dim + r) + 1] = d[2 * r + 1];
            }
            return m;
        }

        private static void multiply(double[] d, int at, double re, double im) {
            double r = d[at];
            double i = d[at + 1];
            d[at] = r * re - i * im;
            d[at + 1] = r * im + i * re;
        }
    }
}
