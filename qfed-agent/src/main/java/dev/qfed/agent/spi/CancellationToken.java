package dev.qfed.agent.spi;

import java.util.Optional;

/**
 * Tells an execution that it should stop: the submitter cancelled the job, its lease was lost, or the agent is
 * shutting down and the drain deadline passed. Backends poll it between units of work (circuits, chunks of shots,
 * status checks of a remote job) and answer {@link ExecutionResult.Cancelled} once it is tripped.
 *
 * <p>Polling is cheap and thread-safe. The agent trips tokens through {@link CancellationSource}; tests may supply
 * their own implementation.
 */
public interface CancellationToken {
    /** A token that is never tripped. */
    CancellationToken NONE = new CancellationToken() {
        @Override
        public boolean isCancellationRequested() {
            return false;
        }

        @Override
        public Optional<String> reason() {
            return Optional.empty();
        }
    };

    /** Whether the execution should stop. Once true, stays true. */
    boolean isCancellationRequested();

    /** Why it should stop, once it should (e.g. {@code cancelled by the submitter}). */
    Optional<String> reason();
}
