package dev.qfed.agent.spi;

import java.util.List;
import java.util.Objects;

/** How an execution ended. */
public sealed interface ExecutionResult {

    /**
     * Every circuit ran.
     *
     * @param circuits one entry per circuit of the request, in its order, each adding up to the shots asked for
     */
    record Completed(List<CircuitCounts> circuits, RunMetadata metadata) implements ExecutionResult {
        public Completed {
            circuits = List.copyOf(circuits);
            Objects.requireNonNull(metadata, "metadata");
        }
    }

    /**
     * The job could not run.
     *
     * @param reason    what went wrong and, where it helps, what to do; shown to the submitter
     * @param retryable whether another attempt (later, or on another agent) may succeed; false for problems with
     *                  the job itself
     */
    record Failed(String reason, boolean retryable) implements ExecutionResult {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The {@link CancellationToken} was tripped before the execution finished. */
    record Cancelled(String reason) implements ExecutionResult {
        public Cancelled {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A failure that is the job's fault: another attempt would fail the same way. */
    static Failed permanentFailure(String reason) {
        return new Failed(reason, false);
    }

    /** A failure of the moment: another attempt may succeed. */
    static Failed transientFailure(String reason) {
        return new Failed(reason, true);
    }
}
