package dev.qfed.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of the broker that can lose the answer to a result report: the broker gets the
 * request and acts on it, the agent sees its connection drop. Enough HTTP awareness for that (it looks for the
 * request line in what the client sends), nothing more.
 */
final class FaultyProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final AtomicBoolean dropNextResultAnswer = new AtomicBoolean();
    private final AtomicInteger resultRequests = new AtomicInteger();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    FaultyProxy(URI broker) {
        this.upstream = new InetSocketAddress(broker.getHost(), broker.getPort());
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("faulty-proxy").start(this::accept);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** The next report call with a result reaches the broker, but its answer never reaches the agent. */
    void dropNextResultAnswer() {
        dropNextResultAnswer.set(true);
    }

    /** How many report calls with results went through. */
    int resultRequests() {
        return resultRequests.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket up = new Socket(upstream.getAddress(), upstream.getPort());
                sockets.add(client);
                sockets.add(up);
                AtomicBoolean drop = new AtomicBoolean();
                Thread.ofVirtual().start(() -> pump(client, up, drop, true));
                Thread.ofVirtual().start(() -> pump(up, client, drop, false));
            } catch (IOException e) {
                if (!closed) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicBoolean drop, boolean request) {
        byte[] buf = new byte[16384];
        boolean inReport = false; // the body of a report call may come in a later read than its head
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (request) {
                    String text = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                    if (text.startsWith("POST /v1/")) {
                        inReport = text.contains("/reports ");
                    }
                    if (inReport && text.contains("\"results\":[{")) {
                        inReport = false;
                        resultRequests.incrementAndGet();
                        if (dropNextResultAnswer.compareAndSet(true, false)) {
                            drop.set(true);
                        }
                    }
                } else if (drop.get()) {
                    break; // the broker answered; the agent never hears it
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed: close both below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // nothing to do
        }
        sockets.forEach(FaultyProxy::closeQuietly);
    }
}
