package dev.qfed.cli.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports for processes that must keep their port across restarts. */
public final class Ports {
    private Ports() {
    }

    /** A port free right now on 127.0.0.1 (the kernel picks it; another process may take it later, rarely). */
    public static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
