package dev.qfed.sdk;

import java.io.IOException;
import java.net.URI;

/**
 * No answer from the server: the connection was refused or timed out, or it broke before a response arrived, on
 * every attempt the {@link RetryPolicy} allowed. The cause is the last attempt's I/O error.
 */
public final class ServerUnreachableException extends QfedException {
    private final URI server;
    private final int attempts;

    ServerUnreachableException(URI server, int attempts, IOException cause) {
        super("cannot reach the QFed server at " + server + " (" + describe(cause) + ", " + attempts
                + (attempts == 1 ? " attempt" : " attempts") + "); check that it is running and that the URL is right",
                cause);
        this.server = server;
        this.attempts = attempts;
    }

    /** The server URL the client was built with. */
    public URI server() {
        return server;
    }

    /** How many times the request was tried. */
    public int attempts() {
        return attempts;
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        String name = e.getClass().getSimpleName();
        return message == null || message.isBlank() ? name : name + ": " + message;
    }
}
