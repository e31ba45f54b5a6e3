package dev.qfed.sdk;

import dev.qfed.api.Job;

import java.time.Duration;
import java.util.Objects;

/**
 * {@link QfedClient#awaitResult} gave up: the job was not final when the timeout ran out. The job goes on; wait
 * again, or cancel it.
 */
public final class AwaitTimeoutException extends QfedException {
    private final transient Job lastSeen;

    AwaitTimeoutException(Job lastSeen, Duration timeout) {
        super("job " + lastSeen.id() + " is still " + lastSeen.status() + " after waiting " + timeout
                + "; it goes on: wait again or cancel it", null);
        this.lastSeen = Objects.requireNonNull(lastSeen);
    }

    /** The job as last seen, not final. */
    public Job lastSeen() {
        return lastSeen;
    }
}
