/**
 * The plugin boundary between the site agent and the backends it offers: the emulator and, in their own modules,
 * adapters for vendors' devices.
 *
 * <p>An adapter ships a {@link dev.qfed.agent.spi.BackendFactory} named in
 * {@code META-INF/services/dev.qfed.agent.spi.BackendFactory}. The agent finds it through
 * {@link java.util.ServiceLoader}, matches the {@code type} of each backend in the site configuration against
 * {@link dev.qfed.agent.spi.BackendFactory#type()}, and calls
 * {@link dev.qfed.agent.spi.BackendFactory#create create(name, config, context)} once per configured backend. The
 * {@link dev.qfed.agent.spi.Backend} it returns describes itself ({@link dev.qfed.agent.spi.BackendDescription})
 * and executes jobs ({@link dev.qfed.agent.spi.ExecutionRequest} in,
 * {@link dev.qfed.agent.spi.ExecutionResult} out), possibly several at once.
 *
 * <p>Rules every backend keeps, checked by the conformance suite {@code BackendConformanceTest} in this module's
 * test-jar:
 * <ul>
 *   <li>{@code describe()} is cheap, consistent and names the backend as configured;</li>
 *   <li>{@code execute} answers with one {@link dev.qfed.agent.spi.CircuitCounts} per circuit, in order, each
 *       summing to the shots asked for, with bit strings in Qiskit's order (bit 0 rightmost);</li>
 *   <li>problems with the job (bad OpenQASM, too many qubits) are a
 *       {@link dev.qfed.agent.spi.ExecutionResult.Failed} that is not retryable; problems of the moment (the
 *       device is down) are retryable; exceptions are for bugs;</li>
 *   <li>a tripped {@link dev.qfed.agent.spi.CancellationToken} ends the execution early with
 *       {@link dev.qfed.agent.spi.ExecutionResult.Cancelled} (when the backend declares
 *       {@link dev.qfed.agent.spi.BackendBehavior#CANCELLATION});</li>
 *   <li>it is safe to call {@code execute} from up to {@code maxConcurrentExecutions} threads at once.</li>
 * </ul>
 *
 * <p>Optional operations are default methods that throw {@link dev.qfed.agent.spi.UnsupportedBackendOperationException};
 * a backend that implements one declares the matching {@link dev.qfed.agent.spi.BackendBehavior}.
 */
package dev.qfed.agent.spi;
