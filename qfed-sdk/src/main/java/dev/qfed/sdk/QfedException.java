package dev.qfed.sdk;

/**
 * Every failure a {@link QfedClient} call reports. The subclasses form a closed set, so a {@code switch} over them
 * is exhaustive:
 *
 * <ul>
 *   <li>{@link ProblemException} and its subclasses: the server answered with an error (an RFC 9457 problem);
 *   <li>{@link ServerUnreachableException}: no answer from the server, after the retries the policy allows;
 *   <li>{@link AwaitTimeoutException}: {@link QfedClient#awaitResult} or {@link QfedClient#awaitAll} ran out of time before the jobs were final.
 * </ul>
 *
 * <p>A call interrupted while it waits throws {@link java.util.concurrent.CancellationException} and leaves the
 * thread's interrupt flag set.
 */
public abstract sealed class QfedException extends RuntimeException
        permits ProblemException, ServerUnreachableException, AwaitTimeoutException {

    QfedException(String message, Throwable cause) {
        super(message, cause);
    }
}
