package dev.qfed.server.jobs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static dev.qfed.server.jobs.JobEvent.CANCEL;
import static dev.qfed.server.jobs.JobEvent.COMPLETE;
import static dev.qfed.server.jobs.JobEvent.CONFIRM_CANCEL;
import static dev.qfed.server.jobs.JobEvent.FAIL;
import static dev.qfed.server.jobs.JobEvent.LEASE;
import static dev.qfed.server.jobs.JobEvent.RELEASE;
import static dev.qfed.server.jobs.JobEvent.RETRY;
import static dev.qfed.server.jobs.JobEvent.START;
import static dev.qfed.server.jobs.JobState.ASSIGNED;
import static dev.qfed.server.jobs.JobState.CANCELLED;
import static dev.qfed.server.jobs.JobState.CANCEL_REQUESTED;
import static dev.qfed.server.jobs.JobState.COMPLETED;
import static dev.qfed.server.jobs.JobState.FAILED;
import static dev.qfed.server.jobs.JobState.QUEUED;
import static dev.qfed.server.jobs.JobState.RUNNING;

/**
 * The job lifecycle as one table, in the style of Temporal's state machines.
 *
 * <p>A job is created {@link JobState#QUEUED} by {@link JobEvent#SUBMIT}. An agent's lease makes it
 * {@link JobState#ASSIGNED}; the agent's start call makes it {@link JobState#RUNNING}; an accepted result makes it
 * {@link JobState#COMPLETED} (a result reported before the start, in the same batch or without it, is written as
 * both transitions, so every completed job passed through RUNNING). An attempt that ends without a result (the agent reports a failure, or its lease
 * expires) queues the job again ({@link JobEvent#RETRY}) until the attempts run out, then {@link JobEvent#FAIL}s
 * it. An agent that gives back an assigned job before starting it ({@link JobEvent#RELEASE}: it is draining, or
 * cannot run the job) queues it again with the attempt count restored, so giving back costs no attempt; a job
 * given back while its cancellation was requested is cancelled ({@link JobEvent#CONFIRM_CANCEL}). Cancelling a queued job ends it at once; cancelling a leased one only requests it
 * ({@link JobState#CANCEL_REQUESTED}), because the agent holds the work: the agent hears of it on its next
 * heartbeat and confirms, or its lease expires, or its result arrives first and wins.
 *
 * <p>The table is built once; {@link Builder#build()} refuses two transitions for the same state and event and any
 * transition out of a final state. {@code docs/job-lifecycle.puml} is {@link #plantUml()}, kept current by a test.
 * Every transition taken is recorded in {@link #exercised()} so tests can show each one is covered.
 */
public final class JobLifecycle {

    /** One row of the table. */
    public record Transition(JobState from, JobEvent event, JobState to) {
    }

    /** The state {@link JobEvent#SUBMIT} creates a job in. */
    public static final JobState INITIAL = QUEUED;

    private static final Set<Transition> EXERCISED = ConcurrentHashMap.newKeySet();
    private static final Transition SUBMIT = new Transition(null, JobEvent.SUBMIT, INITIAL);

    private static final JobLifecycle INSTANCE = new Builder()
            .add(QUEUED, LEASE, ASSIGNED)
            .add(QUEUED, CANCEL, CANCELLED)
            .add(ASSIGNED, START, RUNNING)
            .add(ASSIGNED, CANCEL, CANCEL_REQUESTED)
            .add(ASSIGNED, RETRY, QUEUED)
            .add(ASSIGNED, RELEASE, QUEUED)
            .add(ASSIGNED, FAIL, FAILED)
            .add(RUNNING, COMPLETE, COMPLETED)
            .add(RUNNING, CANCEL, CANCEL_REQUESTED)
            .add(RUNNING, RETRY, QUEUED)
            .add(RUNNING, FAIL, FAILED)
            .add(CANCEL_REQUESTED, COMPLETE, COMPLETED)
            .add(CANCEL_REQUESTED, CONFIRM_CANCEL, CANCELLED)
            .build();


    private final Map<JobState, Map<JobEvent, JobState>> table;
    private final List<Transition> transitions;

    private JobLifecycle(Map<JobState, Map<JobEvent, JobState>> table, List<Transition> transitions) {
        this.table = table;
        this.transitions = transitions;
    }

    /** The state a job enters on {@code event} in state {@code from}. */
    public static JobState next(JobState from, JobEvent event) {
        return tryNext(from, event).orElseThrow(() -> new IllegalTransitionException(from, event));
    }

    /** Like {@link #next} but empty when the table has no such transition. */
    public static Optional<JobState> tryNext(JobState from, JobEvent event) {
        JobState to = INSTANCE.table.getOrDefault(from, Map.of()).get(event);
        if (to != null) {
            EXERCISED.add(new Transition(from, event, to));
        }
        return Optional.ofNullable(to);
    }

    /** Whether the table allows {@code event} in {@code from}; records nothing. */
    public static boolean allows(JobState from, JobEvent event) {
        return INSTANCE.table.getOrDefault(from, Map.of()).containsKey(event);
    }

    /** The state of a new job; records the {@link JobEvent#SUBMIT} transition. */
    public static JobState submit() {
        EXERCISED.add(SUBMIT);
        return INITIAL;
    }

    /** Every transition, {@link JobEvent#SUBMIT} (from no state) first, in table order. */
    public static List<Transition> transitions() {
        return INSTANCE.transitions;
    }

    /** The transitions taken in this JVM so far. */
    public static Set<Transition> exercised() {
        return Collections.unmodifiableSet(EXERCISED);
    }

    /** The table as a PlantUML state diagram, as committed in {@code docs/job-lifecycle.puml}. */
    public static String plantUml() {
        StringBuilder out = new StringBuilder();
        out.append("' Generated from dev.qfed.server.jobs.JobLifecycle by JobLifecycleTest; do not edit by hand.\n");
        out.append("@startuml\n");
        out.append("title QFed job lifecycle\n");
        for (Transition t : INSTANCE.transitions) {
            String from = t.from() == null ? "[*]" : t.from().name();
            out.append(from).append(" --> ").append(t.to().name()).append(" : ").append(t.event().name()).append('\n');
        }
        for (JobState s : JobState.values()) {
            if (s.isFinal()) {
                out.append(s.name()).append(" --> [*]\n");
            }
        }
        out.append("@enduml\n");
        return out.toString();
    }

    /** Builds and checks a transition table. */
    static final class Builder {
        private final Map<JobState, Map<JobEvent, JobState>> table = new EnumMap<>(JobState.class);
        private final List<Transition> transitions = new ArrayList<>(List.of(SUBMIT));

        Builder add(JobState from, JobEvent event, JobState to) {
            if (from.isFinal()) {
                throw new IllegalStateException("transition " + from + " --" + event + "--> " + to
                        + " leaves the final state " + from);
            }
            if (event == JobEvent.SUBMIT) {
                throw new IllegalStateException("SUBMIT only creates jobs; it cannot be a transition from " + from);
            }
            JobState previous = table.computeIfAbsent(from, k -> new EnumMap<>(JobEvent.class)).putIfAbsent(event, to);
            if (previous != null) {
                throw new IllegalStateException("duplicate transition for " + from + " on " + event + ": "
                        + previous + " and " + to);
            }
            transitions.add(new Transition(from, event, to));
            return this;
        }

        JobLifecycle build() {
            Map<JobState, Map<JobEvent, JobState>> frozen = new EnumMap<>(JobState.class);
            table.forEach((k, v) -> frozen.put(k, Collections.unmodifiableMap(new EnumMap<>(v))));
            return new JobLifecycle(Collections.unmodifiableMap(frozen), List.copyOf(transitions));
        }

        /** For tests of the checks: the built table's transitions. */
        List<Transition> transitionsBuilt() {
            return build().transitions;
        }
    }
}
