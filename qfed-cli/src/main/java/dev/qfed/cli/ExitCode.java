package dev.qfed.cli;

/** The exit codes of every qfed command: a contract for scripts that drive the CLI. */
public enum ExitCode {
    OK(0),
    /** Something unexpected inside qfed; a bug report is welcome. */
    INTERNAL(1),
    /** The command line was wrong: unknown option, missing file, malformed --param. */
    USAGE(2),
    /** The input was read but is not valid: OpenQASM errors, a bad noise model, a circuit a backend refuses. */
    INVALID_INPUT(3),
    /** A configured limit was exceeded: source size, expansion, memory for the state. */
    LIMIT(4);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
