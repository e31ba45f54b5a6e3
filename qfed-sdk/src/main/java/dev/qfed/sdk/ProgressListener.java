package dev.qfed.sdk;

import dev.qfed.api.Job;

/**
 * Told about a job while {@link QfedClient#awaitResult} waits for it: once after every poll (every few seconds,
 * and when the job becomes final), with the job as the server reported it. Called on the waiting thread; keep it
 * quick.
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores everything. */
    ProgressListener NONE = job -> { };

    /** The job as the latest poll saw it; final on the last call. */
    void onProgress(Job job);
}
