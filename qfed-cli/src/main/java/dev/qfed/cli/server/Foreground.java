package dev.qfed.cli.server;

import java.util.concurrent.CountDownLatch;

/**
 * Keeps a long-running role ({@code qfed server}, {@code qfed dev}) in the foreground until the process is asked
 * to stop: SIGTERM or SIGINT (Ctrl-C) run the JVM's shutdown hooks, and the hook registered here stops the role
 * cleanly (agents drain, the broker finishes its requests and closes the database) before the JVM exits.
 */
public final class Foreground {
    private Foreground() {
    }

    /**
     * Blocks until the JVM shuts down, running {@code stop} in its shutdown hook.
     *
     * @param name a name for the hook thread, e.g. {@code qfed-server-stop}
     */
    public static void runUntilStopped(String name, Runnable stop) {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                stop.run();
            } finally {
                stopped.countDown();
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            // Asked to stop from inside the process: do it here, the hook is no longer needed.
            Thread.currentThread().interrupt();
            if (Runtime.getRuntime().removeShutdownHook(hook)) {
                stop.run();
            }
        }
    }

    /** Whether {@code e} (or one of its causes) says the address to listen on is taken. */
    public static boolean isAddressInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
