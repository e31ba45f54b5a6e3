package dev.qfed.cli.server;

/** The broker cannot listen: another process holds the port. */
public final class PortInUseException extends RuntimeException {
    private final int port;

    public PortInUseException(String host, int port) {
        super("port " + port + " on " + host + " is already in use (is another qfed running?); stop what holds it, "
                + "or choose another port with --port");
        this.port = port;
    }

    /** The port that was asked for. */
    public int port() {
        return port;
    }
}
