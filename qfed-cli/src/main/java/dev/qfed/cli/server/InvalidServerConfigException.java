package dev.qfed.cli.server;

/**
 * The broker's configuration is wrong: a key the file does not know, a value of the wrong type or out of range,
 * or a combination the broker cannot start with. The message names where the value came from (file and key path,
 * environment variable or flag) and what would be right.
 */
public final class InvalidServerConfigException extends RuntimeException {
    public InvalidServerConfigException(String message) {
        super(message);
    }
}
