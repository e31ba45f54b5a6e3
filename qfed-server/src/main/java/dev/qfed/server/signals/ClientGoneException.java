package dev.qfed.server.signals;

/**
 * A long poll's client closed its connection while the poll waited ({@link Signals#forClient}): the poll stops
 * without doing anything more (a lease poll claims nothing for a client that is gone), and nobody reads the answer.
 */
public final class ClientGoneException extends RuntimeException {
    ClientGoneException() {
        // Thrown once per abandoned poll and never logged: no stack trace to fill in.
        super("the client closed its connection while the long poll waited", null, false, false);
    }
}
