package dev.qfed.server.http;

import dev.qfed.server.signals.Signals;
import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectableChannelEndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Tells long polls when their client hangs up. On HTTP/1.1 Jetty does not read from a connection while its handler
 * runs, so a client that closes the connection mid-poll goes unnoticed until the answer is written (Jetty's request
 * failure listeners do not fire for it). This watcher registers the sockets of sleeping long polls with a selector
 * of its own (a socket may be registered with several selectors; Jetty's selector has no read interest in it while
 * the handler runs) and reports a socket that becomes readable as a hang-up: the client sent end-of-stream or reset
 * the connection, or, in theory, pipelined another request behind the poll, which no client of this API does and
 * which would then see this poll end without an answer it can use.
 *
 * <p>Cost: nothing for requests that do not sleep; for one that does, a queue entry and one registration made by
 * this watcher's thread, which wakes every {@value #TICK_MILLIS} ms only while some poll is watched (so a hang-up
 * is noticed within about that) and parks otherwise.
 */
public final class HangupWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HangupWatcher.class);
    static final long TICK_MILLIS = 100;

    private final Selector selector;
    private final Queue<Watch> pending = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    public HangupWatcher() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector to watch long polls' connections", e);
        }
        thread = Thread.ofPlatform().daemon().name("qfed-hangups").start(this::run);
    }

    /** The client of this request, for {@link Signals#forClient}; {@link Signals.Client#NONE} if not watchable. */
    public Signals.Client clientOf(Context ctx) {
        SelectableChannel channel;
        try {
            EndPoint ep = ServletContextRequest.getServletContextRequest(ctx.req()).getConnectionMetaData()
                    .getConnection().getEndPoint();
            while (ep instanceof SslConnection.SslEndPoint ssl) {
                ep = ssl.getSslConnection().getEndPoint();
            }
            if (!(ep instanceof SelectableChannelEndPoint s)) {
                return Signals.Client.NONE;
            }
            channel = s.getChannel();
        } catch (IllegalStateException e) {
            return Signals.Client.NONE; // not a request Jetty's servlet layer made
        }
        return onHangup -> {
            Watch w = new Watch(channel, onHangup);
            pending.add(w);
            LockSupport.unpark(thread);
            return w;
        };
    }

    private void run() {
        while (running) {
            try {
                for (Watch w; (w = pending.poll()) != null; ) {
                    w.register();
                }
                if (selector.keys().isEmpty()) {
                    LockSupport.park(this);
                } else {
                    // Also drops the keys of watches that were closed since the last round.
                    selector.select(this::ready, TICK_MILLIS);
                }
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("watching long polls' connections: {}", e.toString());
                LockSupport.parkNanos(TICK_MILLIS * 1_000_000);
            }
        }
    }

    private void ready(SelectionKey key) {
        key.cancel();
        ((Watch) key.attachment()).hangUp();
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            selector.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    private final class Watch implements Signals.Watch {
        private final SelectableChannel channel;
        private final Runnable onHangup;
        private volatile boolean closed;
        private volatile SelectionKey key;

        Watch(SelectableChannel channel, Runnable onHangup) {
            this.channel = channel;
            this.onHangup = onHangup;
        }

        /** On the watcher's thread. */
        void register() throws IOException {
            if (closed) {
                return;
            }
            try {
                key = register(channel);
            } catch (ClosedChannelException e) {
                hangUp(); // Jetty closed it already: the client is gone
                return;
            }
            if (closed) {
                key.cancel(); // closed while registering
            }
        }

        private SelectionKey register(SelectableChannel ch) throws IOException {
            try {
                return ch.register(selector, SelectionKey.OP_READ, this);
            } catch (CancelledKeyException e) {
                // An earlier poll on this connection left a cancelled key that the selector has not dropped yet.
                selector.selectNow(HangupWatcher.this::ready);
                return ch.register(selector, SelectionKey.OP_READ, this);
            }
        }

        void hangUp() {
            if (!closed) {
                onHangup.run();
            }
        }

        @Override
        public void close() {
            closed = true;
            SelectionKey k = key;
            if (k != null) {
                k.cancel();
            }
        }
    }
}
