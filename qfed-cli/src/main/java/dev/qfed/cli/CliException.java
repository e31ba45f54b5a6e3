package dev.qfed.cli;

import java.util.Objects;

/** A failure the CLI reports as one message and an exit code, with no stack trace. */
public final class CliException extends RuntimeException {
    private final ExitCode exitCode;
    private final String type;

    /**
     * @param type a short stable machine-readable name, e.g. {@code invalid-circuit}; it appears in JSON errors
     */
    public CliException(ExitCode exitCode, String type, String message) {
        super(message);
        this.exitCode = Objects.requireNonNull(exitCode);
        this.type = Objects.requireNonNull(type);
    }

    public static CliException usage(String message) {
        return new CliException(ExitCode.USAGE, "usage", message);
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public String type() {
        return type;
    }
}
