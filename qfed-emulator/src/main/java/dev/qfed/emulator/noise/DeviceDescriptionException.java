package dev.qfed.emulator.noise;

/**
 * A device description (calibration snapshot) is malformed or out of range. The message names the source, the
 * field path (for example {@code qubits[3].t2_us}) and what values are allowed; nothing of the file was loaded.
 */
public final class DeviceDescriptionException extends RuntimeException {
    private final String source;

    public DeviceDescriptionException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
    }

    /** Where the description came from (a file name, or whatever the caller passed as source name). */
    public String source() {
        return source;
    }
}
