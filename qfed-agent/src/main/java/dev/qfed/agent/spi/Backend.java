package dev.qfed.agent.spi;

/**
 * A quantum device or emulator the site agent offers to the consortium. Made by a {@link BackendFactory}.
 *
 * <p>Thread safety: {@link #describe()} may be called at any time from any thread, and {@link #execute} from up to
 * {@link BackendDescription#maxConcurrentExecutions()} threads at once. The agent never calls {@code execute}
 * after {@link #close()}.
 *
 * <p>Optional operations ({@link #cancel}, {@link #refreshDescription}) throw
 * {@link UnsupportedBackendOperationException} unless the backend overrides them and declares the matching
 * {@link BackendBehavior}.
 */
public interface Backend extends AutoCloseable {
    /**
     * What the backend is: name, qubits, gates, coupling, calibration, how many executions it runs at once and
     * which optional behaviours it has. Cheap and consistent: the same answer until the calibration changes.
     */
    BackendDescription describe();

    /**
     * Runs every circuit of a job and returns the counts, or says why it could not.
     *
     * <p>Blocking: returns when the execution is over. Problems with the job itself (bad OpenQASM, a parameter
     * without a value, more qubits than the device) are a {@link ExecutionResult.Failed} with
     * {@code retryable = false}; problems of the moment (the device is in maintenance, a vendor API timed out) are
     * retryable. A backend that declares {@link BackendBehavior#CANCELLATION} polls
     * {@link ExecutionRequest#cancellation()} between units of work and answers {@link ExecutionResult.Cancelled}
     * once it is tripped. An exception is treated as a bug: the agent reports a retryable failure with its
     * message.
     */
    ExecutionResult execute(ExecutionRequest request);

    /**
     * Withdraws an execution in progress from outside the thread running it, for backends whose work runs
     * elsewhere (a vendor's queue) and can be stopped faster than by watching the token. The agent always trips
     * the request's {@link CancellationToken} first and calls this only when the backend declares
     * {@link BackendBehavior#CANCEL_BY_ID}. Unknown or finished executions are ignored.
     *
     * @throws UnsupportedBackendOperationException unless overridden
     */
    default void cancel(ExecutionId execution) {
        throw UnsupportedBackendOperationException.of(describe().name(), "cancel");
    }

    /**
     * Reads the device's current state (a new calibration snapshot) and returns the new description, which
     * {@link #describe()} returns from then on. Declared by {@link BackendBehavior#REFRESH_DESCRIPTION}.
     *
     * @throws UnsupportedBackendOperationException unless overridden
     */
    default BackendDescription refreshDescription() {
        throw UnsupportedBackendOperationException.of(describe().name(), "refreshDescription");
    }

    /** Releases what the backend holds (connections, threads). The default does nothing. */
    @Override
    default void close() {
    }
}
