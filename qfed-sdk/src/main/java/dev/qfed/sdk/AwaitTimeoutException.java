package dev.qfed.sdk;

import dev.qfed.api.Job;
import dev.qfed.api.JobResult;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link QfedClient#awaitResult} or {@link QfedClient#awaitAll} gave up: jobs were not final when the timeout ran
 * out. The jobs go on; wait again, or cancel them.
 */
public final class AwaitTimeoutException extends QfedException {
    private final transient Optional<Job> lastSeen;
    private final transient List<String> pending;
    private final transient List<JobResult> done;

    AwaitTimeoutException(Job lastSeen, Duration timeout) {
        super("job " + lastSeen.id() + " is still " + lastSeen.status() + " after waiting " + timeout
                + "; it goes on: wait again or cancel it", null);
        this.lastSeen = Optional.of(lastSeen);
        this.pending = List.of(lastSeen.id());
        this.done = List.of();
    }

    AwaitTimeoutException(List<String> pending, List<JobResult> done, Duration timeout) {
        super(pending.size() + " of " + (pending.size() + done.size()) + " jobs are not final after waiting "
                + timeout + " (" + pending.getFirst() + (pending.size() > 1 ? ", …" : "")
                + "); they go on: wait again or cancel them", null);
        this.lastSeen = Optional.empty();
        this.pending = List.copyOf(pending);
        this.done = List.copyOf(done);
    }

    /** The job as last seen, not final; present when one job was awaited ({@link QfedClient#awaitResult}). */
    public Optional<Job> lastSeen() {
        return lastSeen;
    }

    /** The ids of the jobs that were not final, in the order they were given. */
    public List<String> pending() {
        return pending;
    }

    /** The jobs that were final before the time ran out ({@link QfedClient#awaitAll}), in the order given. */
    public List<JobResult> done() {
        return done;
    }

    static AwaitTimeoutException of(List<String> pending, List<JobResult> done, Duration timeout) {
        Objects.requireNonNull(pending);
        return new AwaitTimeoutException(pending, done, timeout);
    }
}
