package dev.qfed.cli.job;

import dev.qfed.api.Job;
import dev.qfed.api.JobStatus;
import dev.qfed.cli.Environment;
import dev.qfed.sdk.ProgressListener;

import java.io.PrintWriter;

/**
 * One self-overwriting status line on standard error while a command waits for a job, only when a person watches
 * a terminal; scripts and pipes see nothing of it.
 */
final class Progress implements ProgressListener, AutoCloseable {
    private final PrintWriter err;
    private final long started = System.nanoTime();
    private int shown;

    private Progress(PrintWriter err) {
        this.err = err;
    }

    /** A progress line on {@code err} when the environment is a terminal, else {@link ProgressListener#NONE}. */
    static ProgressListener on(Environment env, PrintWriter err) {
        return env.terminal() ? new Progress(err) : ProgressListener.NONE;
    }

    @Override
    public void onProgress(Job job) {
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        String where = job.status() == JobStatus.QUEUED
                ? job.queuePosition().map(p -> ", " + p + " ahead").orElse("") : "";
        String line = String.format("job %s: %s on %s%s, %d:%02d waited", job.id(), job.status(), job.backend(),
                where, seconds / 60, seconds % 60);
        err.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
        err.flush();
        shown = line.length();
    }

    /** Clears the line when it was drawn. */
    @Override
    public void close() {
        if (shown > 0) {
            err.print("\r" + " ".repeat(shown) + "\r");
            err.flush();
        }
    }

    /** Closes the listener if it is a progress line. */
    static void finish(ProgressListener listener) {
        if (listener instanceof Progress p) {
            p.close();
        }
    }
}
