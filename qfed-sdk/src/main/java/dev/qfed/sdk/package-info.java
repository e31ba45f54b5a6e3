/**
 * The Java client of a QFed broker. {@link dev.qfed.sdk.QfedClient} submits jobs, follows them and reads their
 * results and the consortium's backends; requests and answers are the records of {@code dev.qfed.api}.
 *
 * <p>Errors are a sealed hierarchy under {@link dev.qfed.sdk.QfedException}: one class per kind of problem the
 * server reports ({@link dev.qfed.sdk.NotFoundException}, {@link dev.qfed.sdk.InvalidInputException} with the
 * OpenQASM line and column, …), {@link dev.qfed.sdk.ServerUnreachableException} when there is no answer, and
 * {@link dev.qfed.sdk.AwaitTimeoutException} when waiting runs out. Transient failures are retried under a
 * {@link dev.qfed.sdk.RetryPolicy}; submits are made safe to retry by an {@code Idempotency-Key}.
 */
package dev.qfed.sdk;
