package dev.qfed.emulator;

import java.util.Objects;

/** The emulator cannot run a circuit; the message says why and what to do instead. */
public final class EmulatorException extends RuntimeException {

    /** What kind of problem it is: the CLI turns it into an exit code, the server into an HTTP status. */
    public enum Kind {
        /**
         * The circuit cannot be run as asked: opaque gates, unbound inputs, mid-circuit measurement in statevector
         * mode, more qubits than the noise device.
         */
        INVALID_CIRCUIT,
        /** The circuit is fine but needs more memory, qubits or branches than this process allows. */
        RESOURCE_LIMIT
    }

    private final Kind kind;

    public EmulatorException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }

    static EmulatorException invalid(String message) {
        return new EmulatorException(Kind.INVALID_CIRCUIT, message);
    }

    static EmulatorException limit(String message) {
        return new EmulatorException(Kind.RESOURCE_LIMIT, message);
    }
}
