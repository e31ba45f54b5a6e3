package dev.qfed.api;

/** The broad class of an {@link ErrorCode}: what the caller can do about it. Clients map it to exit codes. */
public enum ErrorKind {
    /** The request is wrong; fix it before sending it again. */
    INVALID_INPUT,
    /** The request exceeds a limit (size, shots, qubits); make it smaller. */
    LIMIT,
    /** The caller is not authenticated or not allowed. */
    NOT_ALLOWED,
    /** The thing named does not exist, or is not the caller's to see. */
    NOT_FOUND,
    /** The request contradicts the current state (a reused key, a final job, a lease no longer current). */
    CONFLICT,
    /** The server cannot serve now; try again later. */
    UNAVAILABLE,
    /** A bug in the server. */
    INTERNAL
}
