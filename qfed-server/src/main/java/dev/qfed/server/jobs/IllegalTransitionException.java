package dev.qfed.server.jobs;

/** An event that the job lifecycle does not allow in the job's current state. */
public final class IllegalTransitionException extends RuntimeException {
    private final JobState from;
    private final JobEvent event;

    public IllegalTransitionException(JobState from, JobEvent event) {
        super("event " + event + " is not allowed in state " + from);
        this.from = from;
        this.event = event;
    }

    public JobState from() {
        return from;
    }

    public JobEvent event() {
        return event;
    }
}
