package dev.qfed.emulator.state;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One gate, compiled for a {@link Layout}: which blocks a kernel visits and what it computes in each. Precision
 * independent; kernels read the coefficients converted to their element type.
 *
 * <h2>Model</h2>
 * Target and control qubits below {@code logLanes} ("low") select lanes inside a block; the others ("high") select
 * blocks. A kernel walks a <em>counter</em> t over {@code [0, counterEnd)}: inserting zero bits at the high
 * targets' block-bit positions and the high controls' values into t gives a <em>base</em> block g. The high targets
 * then name {@code 2^h} blocks {@code g | termBlock[a]} (a = 0 … 2^h−1), which the gate mixes; other blocks (whose
 * high controls do not match) are never read. Consecutive counters map to consecutive blocks for {@code 2^runLog}
 * steps, so kernels walk such <em>runs</em> with a plain stride.
 *
 * <p>Within the {@code 2^h} blocks, output block {@code row}, lane L, is
 * {@code Σ_terms coefficient[L] · input[slot](L)}, where a slot is input block {@code acol} with its lanes permuted
 * by XOR with a mask of low-target bits ({@code L ^ x}). Coefficients are uniform across lanes unless there are
 * low targets or low controls ({@link #laneCoefficients()}); then each coefficient is a vector of {@code lanes}
 * values, which also folds low controls in (identity on lanes where they do not match). Zero terms are dropped, so
 * permutation gates cost one term per row and diagonal gates one self-term per row.
 *
 * <p>{@link Kind} tells a kernel which specialised path fits; every plan also carries the general term lists, so
 * a kernel may always fall back to them.
 */
final class GatePlan {

    /** The kernel path a plan fits best. */
    enum Kind {
        /** Every row has a single self-term: per-row lane coefficients ({@code lanes} values per row). */
        DIAGONAL,
        /**
         * At most {@link #MAX_UNROLLED} targets, dense: the unrolled kernel for (h high, l low targets). Its
         * coefficients are lane vectors for (row, input), input = {@code acol << l | pattern}.
         */
        DENSE,
        /** Anything else (permutations, wide gates): the term lists. */
        GENERAL
    }

    /** Widest gate with an unrolled kernel: 2^4 inputs are as many as the registers hold. */
    static final int MAX_UNROLLED = 4;

    private final Kind kind;
    private final boolean laneCoefficients;
    private final int highTargets;
    private final int lowTargets;
    private final int[] patternXor;
    private final long counterEnd;
    private final long[] expandMasks;
    private final long controlBits;
    private final int runLog;
    private final int chunkShift;
    private final long chunkBlockMask;
    private final int[] termChunk;
    private final int[] termOffset;
    private final int[] slotSource;
    private final int[] slotXor;
    private final int[] rowStart;
    private final int[] termSlot;
    private final boolean[] rowMove;
    private final double[] coefRe;
    private final double[] coefIm;
    private final double[] termRe;
    private final double[] termIm;

    private GatePlan(Builder b) {
        this.kind = b.kind;
        this.laneCoefficients = b.laneCoefficients;
        this.highTargets = b.h;
        this.lowTargets = b.lowBit.length;
        this.patternXor = b.patternXor;
        this.counterEnd = b.counterEnd;
        this.expandMasks = b.expandMasks;
        this.controlBits = b.controlBits;
        this.runLog = b.runLog;
        this.chunkShift = b.layout.chunkBlockShift();
        this.chunkBlockMask = b.layout.chunkBlockMask();
        this.termChunk = b.termChunk;
        this.termOffset = b.termOffset;
        this.slotSource = b.slotSource;
        this.slotXor = b.slotXor;
        this.rowStart = b.rowStart;
        this.termSlot = b.termSlot;
        this.rowMove = b.rowMove;
        this.coefRe = b.coefRe;
        this.coefIm = b.coefIm;
        this.termRe = b.termRe;
        this.termIm = b.termIm;
    }

    /**
     * Compiles a dense gate.
     *
     * @param matrix {@code 2·4^k} doubles, row-major, interleaved, little-endian over {@code targets}
     */
    static GatePlan dense(Layout layout, int[] controls, int controlValues, int[] targets, double[] matrix) {
        checkDense(layout, controls, controlValues, targets, matrix);
        return new Builder(layout, controls, controlValues, targets, matrix, false).build();
    }

    /** Throws what {@link #dense} would throw for these arguments, without compiling the gate. */
    static void checkDense(Layout layout, int[] controls, int controlValues, int[] targets, double[] matrix) {
        validate(layout, controls, controlValues, targets);
        int dim = 1 << targets.length;
        if (matrix.length != 2 * dim * dim) {
            throw new IllegalArgumentException("a gate on " + targets.length + " target(s) needs a " + dim + "x" + dim
                    + " matrix (" + 2 * dim * dim + " doubles), got " + matrix.length + " doubles");
        }
    }

    /**
     * Compiles a diagonal gate.
     *
     * @param diagonal {@code 2·2^k} doubles, interleaved, little-endian over {@code targets}
     */
    static GatePlan diagonal(Layout layout, int[] controls, int controlValues, int[] targets, double[] diagonal) {
        checkDiagonal(layout, controls, controlValues, targets, diagonal);
        return new Builder(layout, controls, controlValues, targets, diagonal, true).build();
    }

    /** Throws what {@link #diagonal} would throw for these arguments, without compiling the gate. */
    static void checkDiagonal(Layout layout, int[] controls, int controlValues, int[] targets, double[] diagonal) {
        validate(layout, controls, controlValues, targets);
        int dim = 1 << targets.length;
        if (diagonal.length != 2 * dim) {
            throw new IllegalArgumentException("a diagonal gate on " + targets.length + " target(s) needs " + dim
                    + " entries (" + 2 * dim + " doubles), got " + diagonal.length + " doubles");
        }
    }

    /** Most targets a plan accepts: a 2^8 × 2^8 matrix is already far past where fusion stops paying. */
    static final int MAX_TARGETS = 8;

    /** Most controls a plan accepts: their values are the bits of an {@code int}. */
    static final int MAX_CONTROLS = 30;

    private static void validate(Layout layout, int[] controls, int controlValues, int[] targets) {
        int n = layout.numQubits();
        if (targets.length > MAX_TARGETS) {
            throw new IllegalArgumentException("at most " + MAX_TARGETS + " targets are supported, got "
                    + targets.length);
        }
        if (controls.length > MAX_CONTROLS || controlValues < 0 || controlValues >= (1 << controls.length)) {
            throw new IllegalArgumentException("control values " + Integer.toBinaryString(controlValues)
                    + " do not fit " + controls.length + " control(s) (at most " + MAX_CONTROLS + ")");
        }
        long seen = 0;
        for (int[] qs : new int[][] {controls, targets}) {
            for (int q : qs) {
                if (q < 0 || q >= n) {
                    throw new IllegalArgumentException("qubit " + q + " is out of range for a " + n + "-qubit state");
                }
                if ((seen & (1L << q)) != 0) {
                    throw new IllegalArgumentException("qubit " + q + " appears twice among controls "
                            + Arrays.toString(controls) + " and targets " + Arrays.toString(targets));
                }
                seen |= 1L << q;
            }
        }
    }

    Kind kind() {
        return kind;
    }

    boolean laneCoefficients() {
        return laneCoefficients;
    }

    /** Number of high targets h: each base names {@code 2^h} blocks. */
    int highTargets() {
        return highTargets;
    }

    /** Number of low targets l: inputs are XOR-permuted {@code 2^l} ways. */
    int lowTargets() {
        return lowTargets;
    }

    /** Lane XOR mask of each low-target pattern (pattern bit i is low target i). */
    int[] patternXor() {
        return patternXor;
    }

    int rows() {
        return 1 << highTargets;
    }

    long counterEnd() {
        return counterEnd;
    }

    long[] expandMasks() {
        return expandMasks;
    }

    long controlBits() {
        return controlBits;
    }

    int runLog() {
        return runLog;
    }

    int chunkShift() {
        return chunkShift;
    }

    long chunkBlockMask() {
        return chunkBlockMask;
    }

    /** Per high index a: chunk bits to OR into the base chunk. */
    int[] termChunk() {
        return termChunk;
    }

    /** Per high index a: element offset to add to the base element. */
    int[] termOffset() {
        return termOffset;
    }

    int numSlots() {
        return slotSource.length;
    }

    int[] slotSource() {
        return slotSource;
    }

    int[] slotXor() {
        return slotXor;
    }

    int[] rowStart() {
        return rowStart;
    }

    int[] termSlot() {
        return termSlot;
    }

    /** Rows whose only term is input copied unchanged (coefficient exactly 1). */
    boolean[] rowMove() {
        return rowMove;
    }

    /**
     * Coefficients of the plan's kind, real parts: DIAGONAL has {@code lanes} values per row, DENSE {@code lanes}
     * per (row, input), GENERAL the term coefficients ({@link #termRe()}).
     */
    double[] coefRe() {
        return coefRe;
    }

    double[] coefIm() {
        return coefIm;
    }

    /** Per-term coefficients of the term lists (one value per term, or {@code lanes} with lane coefficients). */
    double[] termRe() {
        return termRe;
    }

    double[] termIm() {
        return termIm;
    }

    /** The base block for counter t. */
    static long expand(long t, long[] masks) {
        long g = t & masks[0];
        for (int s = 1; s < masks.length; s++) {
            g |= (t << s) & masks[s];
        }
        return g;
    }

    private static final class Builder {
        final Layout layout;
        final int[] targets;
        final double[] data;
        final boolean diagonalInput;
        final int lanes;
        final int dim;
        // matrix index bit per high target (in order) and per low target
        final int[] highBit;
        final int[] lowBit;
        final int[] lowQubit;
        final int h;
        final int lowCtrlMask;
        final int lowCtrlValue;

        Kind kind;
        boolean laneCoefficients;
        int[] patternXor;
        long counterEnd;
        long[] expandMasks;
        long controlBits;
        int runLog;
        int[] termChunk;
        int[] termOffset;
        int[] slotSource;
        int[] slotXor;
        int[] rowStart;
        int[] termSlot;
        boolean[] rowMove;
        double[] coefRe;
        double[] coefIm;
        double[] termRe;
        double[] termIm;

        Builder(Layout layout, int[] controls, int controlValues, int[] targets, double[] data, boolean diagonal) {
            this.layout = layout;
            this.targets = targets.clone();
            this.data = data;
            this.diagonalInput = diagonal;
            this.lanes = layout.lanes();
            this.dim = 1 << targets.length;
            int logS = layout.logLanes();
            List<Integer> hb = new ArrayList<>();
            List<Integer> lb = new ArrayList<>();
            for (int j = 0; j < targets.length; j++) {
                (targets[j] >= logS ? hb : lb).add(j);
            }
            highBit = hb.stream().mapToInt(Integer::intValue).toArray();
            lowBit = lb.stream().mapToInt(Integer::intValue).toArray();
            lowQubit = lb.stream().mapToInt(j -> targets[j]).toArray();
            h = highBit.length;

            int lcm = 0;
            int lcv = 0;
            long cb = 0;
            List<Integer> positions = new ArrayList<>();
            for (int c = 0; c < controls.length; c++) {
                int q = controls[c];
                boolean one = ((controlValues >>> c) & 1) != 0;
                if (q < logS) {
                    lcm |= 1 << q;
                    lcv |= one ? 1 << q : 0;
                } else {
                    positions.add(q - logS);
                    cb |= one ? 1L << (q - logS) : 0;
                }
            }
            lowCtrlMask = lcm;
            lowCtrlValue = lcv;
            controlBits = cb;
            for (int j : highBit) {
                positions.add(targets[j] - logS);
            }
            int[] pos = positions.stream().mapToInt(Integer::intValue).sorted().toArray();
            expandMasks = new long[pos.length + 1];
            int prev = -1;
            for (int s = 0; s <= pos.length; s++) {
                int hi = s < pos.length ? pos[s] : 63;
                expandMasks[s] = ((1L << hi) - 1) & ~((1L << (prev + 1)) - 1);
                if (s < pos.length) {
                    prev = pos[s];
                }
            }
            counterEnd = layout.numBlocks() >>> pos.length;
            int firstInserted = pos.length == 0 ? Integer.MAX_VALUE : pos[0];
            runLog = Math.min(firstInserted, layout.chunkBlockShift());

            int rows = 1 << h;
            termChunk = new int[rows];
            termOffset = new int[rows];
            for (int a = 0; a < rows; a++) {
                long bits = 0;
                for (int i = 0; i < h; i++) {
                    if (((a >>> i) & 1) != 0) {
                        bits |= 1L << (targets[highBit[i]] - logS);
                    }
                }
                termChunk[a] = (int) (bits >>> layout.chunkBlockShift());
                termOffset[a] = layout.elementOfBlock(bits);
            }
        }

        /**
         * Compiles the gate. Kept small and single-pass for the JIT: the term list is built row by row straight from
         * the matrix (no rows × columns table), matrix indices come from a per-row and a per-lane table, and the
         * kind's coefficient arrays are filled from the terms.
         */
        GatePlan build() {
            laneCoefficients = lowBit.length > 0 || lowCtrlMask != 0;
            int rows = 1 << h;
            int l = lowBit.length;
            int patterns = 1 << l;
            int width = laneCoefficients ? lanes : 1;
            patternXor = new int[patterns];
            for (int xp = 0; xp < patterns; xp++) {
                for (int i = 0; i < l; i++) {
                    patternXor[xp] |= ((xp >>> i) & 1) << lowQubit[i];
                }
            }
            // matrix index of (high index a, lane L) = rowIndex[a] | laneIndex[L]
            int[] rowIndex = new int[rows];
            for (int a = 0; a < rows; a++) {
                for (int i = 0; i < h; i++) {
                    rowIndex[a] |= ((a >>> i) & 1) << highBit[i];
                }
            }
            int[] laneIndex = new int[width];
            for (int lane = 0; lane < width; lane++) {
                for (int i = 0; i < l; i++) {
                    laneIndex[lane] |= ((lane >>> lowQubit[i]) & 1) << lowBit[i];
                }
            }
            // terms (row, input column acol, lane pattern xp) with a coefficient vector of width lanes, row by row;
            // a diagonal input has only self-terms (and the identity of unmet low controls), so only those are
            // visited: fused diagonals reach 2^8 rows, and all rows × columns would be 2^16 steps per plan
            int maxTerms = diagonalInput ? rows : rows * rows * patterns;
            int[] termRow = new int[maxTerms];
            int[] termInput = new int[maxTerms];
            double[] re = new double[maxTerms * width];
            double[] im = new double[maxTerms * width];
            int n = 0;
            boolean selfOnly = true;
            for (int row = 0; row < rows; row++) {
                int acolEnd = diagonalInput ? row + 1 : rows;
                int xpEnd = diagonalInput ? 1 : patterns;
                for (int acol = diagonalInput ? row : 0; acol < acolEnd; acol++) {
                    for (int xp = 0; xp < xpEnd; xp++) {
                        int x = patternXor[xp];
                        int at = n * width;
                        boolean nonzero = false;
                        for (int lane = 0; lane < width; lane++) {
                            double cr;
                            double ci;
                            if ((lane & lowCtrlMask) != lowCtrlValue) {
                                // controls not met on this lane: identity
                                cr = row == acol && x == 0 ? 1 : 0;
                                ci = 0;
                            } else if (diagonalInput) { // acol == row and x == 0 here
                                int r = rowIndex[row] | laneIndex[lane];
                                cr = data[2 * r];
                                ci = data[2 * r + 1];
                            } else {
                                int e = 2 * ((rowIndex[row] | laneIndex[lane]) * dim
                                        + (rowIndex[acol] | laneIndex[lane ^ x]));
                                cr = data[e];
                                ci = data[e + 1];
                            }
                            re[at + lane] = cr;
                            im[at + lane] = ci;
                            nonzero |= cr != 0 || ci != 0;
                        }
                        if (nonzero) {
                            termRow[n] = row;
                            termInput[n] = acol << l | xp;
                            selfOnly &= row == acol && xp == 0;
                            n++;
                        }
                    }
                }
            }

            if (selfOnly) {
                kind = Kind.DIAGONAL;
                coefRe = new double[rows * lanes];
                coefIm = new double[rows * lanes];
                fill(coefRe, coefIm, termRow, re, im, n, width);
            } else if (h + l <= MAX_UNROLLED && n > rows) {
                // dense enough for the unrolled kernel (one term per row is a permutation: moves are cheaper)
                kind = Kind.DENSE;
                int inputs = rows * patterns;
                int[] at = new int[n];
                for (int t = 0; t < n; t++) {
                    at[t] = termRow[t] * inputs + termInput[t];
                }
                coefRe = new double[rows * inputs * lanes];
                coefIm = new double[rows * inputs * lanes];
                fill(coefRe, coefIm, at, re, im, n, width);
            } else {
                kind = Kind.GENERAL;
            }
            // every plan carries the term lists: the general path works for all kinds
            buildTerms(termRow, termInput, n, re, im, width, rows, patterns);
            if (kind == Kind.GENERAL) {
                coefRe = termRe;
                coefIm = termIm;
            }
            return new GatePlan(this);
        }

        /** Writes term t's coefficient vector, broadcast to {@code lanes} values, at {@code index[t] * lanes}. */
        private void fill(double[] outRe, double[] outIm, int[] index, double[] re, double[] im, int n, int width) {
            for (int t = 0; t < n; t++) {
                int to = index[t] * lanes;
                if (width == lanes) {
                    System.arraycopy(re, t * width, outRe, to, lanes);
                    System.arraycopy(im, t * width, outIm, to, lanes);
                } else {
                    Arrays.fill(outRe, to, to + lanes, re[t]);
                    Arrays.fill(outIm, to, to + lanes, im[t]);
                }
            }
        }

        private void buildTerms(int[] termRow, int[] termInput, int n, double[] re, double[] im, int width, int rows,
                int patterns) {
            int l = lowBit.length;
            int[] slotOf = new int[rows * patterns];
            Arrays.fill(slotOf, -1);
            int[] sources = new int[rows * patterns];
            int[] xors = new int[rows * patterns];
            int slots = 0;
            rowStart = new int[rows + 1];
            termSlot = new int[n];
            for (int t = 0; t < n; t++) {
                int input = termInput[t];
                if (slotOf[input] < 0) {
                    slotOf[input] = slots;
                    sources[slots] = input >>> l;
                    xors[slots] = patternXor[input & (patterns - 1)];
                    slots++;
                }
                termSlot[t] = slotOf[input];
                rowStart[termRow[t] + 1]++;
            }
            rowMove = new boolean[rows];
            for (int row = 0; row < rows; row++) {
                rowStart[row + 1] += rowStart[row];
                if (rowStart[row + 1] - rowStart[row] == 1) {
                    int at = rowStart[row] * width;
                    boolean one = true;
                    for (int lane = 0; lane < width; lane++) {
                        one &= re[at + lane] == 1 && im[at + lane] == 0;
                    }
                    rowMove[row] = one;
                }
            }
            slotSource = Arrays.copyOf(sources, slots);
            slotXor = Arrays.copyOf(xors, slots);
            termRe = Arrays.copyOf(re, n * width);
            termIm = Arrays.copyOf(im, n * width);
        }
    }
}
