package dev.qfed.emulator.state;

/** Floating-point width of the amplitudes. */
public enum Precision {
    /** complex64: two floats per amplitude, half the memory and bandwidth. */
    SINGLE(8),
    /** complex128: two doubles per amplitude; the default, and what correctness tests use. */
    DOUBLE(16);

    private final int bytesPerAmplitude;

    Precision(int bytesPerAmplitude) {
        this.bytesPerAmplitude = bytesPerAmplitude;
    }

    public int bytesPerAmplitude() {
        return bytesPerAmplitude;
    }

    /** Bytes of a state of {@code numQubits} qubits. */
    public long stateBytes(int numQubits) {
        return (long) bytesPerAmplitude << numQubits;
    }
}
