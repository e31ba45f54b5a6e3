package dev.qfed.emulator.state;

/**
 * Where each amplitude of a fast state vector lives.
 *
 * <p>Amplitudes are grouped in <em>blocks</em> of {@code lanes} consecutive amplitudes (one SIMD register's
 * worth); a block is stored as {@code lanes} real parts followed by {@code lanes} imaginary parts, so a kernel loads
 * a block with two vector loads and needs no shuffles to separate real from imaginary parts. Blocks are stored in
 * order in <em>chunks</em>: primitive arrays of {@code 2^chunkBits} amplitudes each, because one Java array holds
 * at most 2^31−1 elements (a 30-qubit state in single precision has 2^31 floats). Amplitude i is in chunk
 * {@code i >> chunkBits}.
 *
 * <p>A state smaller than one block is padded to a block with amplitudes that stay zero.
 *
 * @param numQubits the state's qubits
 * @param logLanes  log2 of the amplitudes per block
 * @param chunkBits log2 of the amplitudes per chunk (already capped to the padded state size)
 */
record Layout(int numQubits, int logLanes, int chunkBits) {

    /** Largest chunk: 2^29 amplitudes = 2^30 array elements, under the JVM's array length limit. */
    static final int MAX_CHUNK_BITS = 29;

    /** The most qubits a state may have: 2^34 amplitudes are out of reach of any machine this runs on. */
    static final int MAX_QUBITS = 34;

    Layout {
        if (numQubits < 0 || numQubits > MAX_QUBITS) {
            throw new IllegalArgumentException("number of qubits must be in [0, " + MAX_QUBITS + "], got " + numQubits);
        }
        if (logLanes < 0 || logLanes > 6) {
            throw new IllegalArgumentException("log2 of lanes must be in [0, 6], got " + logLanes);
        }
        if (chunkBits < logLanes || chunkBits > MAX_CHUNK_BITS || chunkBits > Math.max(numQubits, logLanes)) {
            throw new IllegalArgumentException("chunk bits " + chunkBits + " must be in [" + logLanes + ", "
                    + Math.min(MAX_CHUNK_BITS, Math.max(numQubits, logLanes)) + "]");
        }
    }

    /** The layout for {@code numQubits} with chunks of at most {@code 2^maxChunkBits} amplitudes. */
    static Layout of(int numQubits, int lanes, int maxChunkBits) {
        if (Integer.bitCount(lanes) != 1) {
            throw new IllegalArgumentException("lanes must be a power of two, got " + lanes);
        }
        int logLanes = Integer.numberOfTrailingZeros(lanes);
        int padded = Math.max(numQubits, logLanes);
        return new Layout(numQubits, logLanes, Math.max(logLanes, Math.min(Math.min(maxChunkBits, MAX_CHUNK_BITS),
                padded)));
    }

    int lanes() {
        return 1 << logLanes;
    }

    /** Array elements per block: real parts, then imaginary parts. */
    int blockElements() {
        return 2 << logLanes;
    }

    /** log2 of the stored amplitudes (the state padded to at least one block). */
    int paddedQubits() {
        return Math.max(numQubits, logLanes);
    }

    long numAmplitudes() {
        return 1L << numQubits;
    }

    long numBlocks() {
        return 1L << (paddedQubits() - logLanes);
    }

    int numChunks() {
        return 1 << (paddedQubits() - chunkBits);
    }

    /** Elements of one chunk array. */
    int chunkElements() {
        return 2 << chunkBits;
    }

    /** Shift from a global block index to its chunk. */
    int chunkBlockShift() {
        return chunkBits - logLanes;
    }

    /** Mask of the block-index bits inside a chunk. */
    long chunkBlockMask() {
        return (1L << chunkBlockShift()) - 1;
    }

    int chunkOf(long amplitude) {
        return (int) (amplitude >>> chunkBits);
    }

    /** Index of the real part of {@code amplitude} in its chunk; the imaginary part is {@link #lanes()} further. */
    int elementOf(long amplitude) {
        long inChunk = amplitude & ((1L << chunkBits) - 1);
        return (int) (((inChunk >>> logLanes) << (logLanes + 1)) | (inChunk & (lanes() - 1)));
    }

    /** Index of the first element of global block {@code block} in its chunk. */
    int elementOfBlock(long block) {
        return (int) ((block & chunkBlockMask()) << (logLanes + 1));
    }
}
