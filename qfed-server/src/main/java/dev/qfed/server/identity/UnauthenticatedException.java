package dev.qfed.server.identity;

/** A request's credentials were missing or not acceptable (HTTP 401). */
public final class UnauthenticatedException extends Exception {
    public UnauthenticatedException(String message) {
        super(message);
    }

    public UnauthenticatedException(String message, Throwable cause) {
        super(message, cause);
    }
}
