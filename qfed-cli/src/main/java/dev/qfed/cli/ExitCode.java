package dev.qfed.cli;

/** The exit codes of every qfed command: a contract for scripts that drive the CLI. */
public enum ExitCode {
    OK(0),
    /** Something unexpected inside qfed (or the server's internal error); a bug report is welcome. */
    INTERNAL(1),
    /**
     * The command line was wrong: unknown option, missing or unreadable file, malformed --param, no server; or the
     * port {@code qfed server} or {@code qfed dev} should listen on is taken.
     */
    USAGE(2),
    /**
     * The input was read but is not valid: a wrong broker configuration or site file, OpenQASM errors, a bad noise model, a circuit a backend refuses, an
     * unknown backend, a request that contradicts the job's state (cancelling a completed job, a reused key).
     */
    INVALID_INPUT(3),
    /** A configured limit was exceeded: source size, expansion, memory for the state, shots or size on the server. */
    LIMIT(4),
    /** The job or backend does not exist or is not yours, or the server does not accept the token (or there is none). */
    NOT_FOUND_OR_NOT_ALLOWED(5),
    /** The server could not be reached (or stayed unavailable) after retries. */
    UNREACHABLE(6);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
