package dev.qfed.agent.internal;

import dev.qfed.api.ErrorCode;
import dev.qfed.api.Problem;

import java.util.Optional;

/**
 * A call to the broker did not succeed: the broker was not reached (status 0), or it answered with an error
 * status, usually with an RFC 9457 problem.
 */
public final class BrokerCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int status;
    private final transient Optional<Problem> problem;

    private BrokerCallException(String call, int status, Optional<Problem> problem, String message, Throwable cause) {
        super(message, cause);
        this.call = call;
        this.status = status;
        this.problem = problem;
    }

    /** The broker could not be reached, or the connection broke. */
    public static BrokerCallException unreachable(String call, Throwable cause) {
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new BrokerCallException(call, 0, Optional.empty(), call + ": broker unreachable: " + why, cause);
    }

    /** The call could not be sent: the token file cannot be read. Retried like an outage (it may be rewritten). */
    public static BrokerCallException noToken(String call, RuntimeException cause) {
        return new BrokerCallException(call, 0, Optional.empty(), call + ": not sent: " + cause.getMessage(), cause);
    }

    /** The broker answered {@code status}. */
    public static BrokerCallException refused(String call, int status, Optional<Problem> problem, String body) {
        String detail = problem.map(p -> p.code() + ": " + p.detail())
                .orElse(body.isBlank() ? "(no body)" : body.length() > 300 ? body.substring(0, 300) + "…" : body);
        return new BrokerCallException(call, status, problem, call + ": HTTP " + status + " " + detail, null);
    }

    /** The call, e.g. {@code POST /v1/agents/register}. */
    public String call() {
        return call;
    }

    /** The HTTP status, 0 when the broker was not reached. */
    public int status() {
        return status;
    }

    public Optional<Problem> problem() {
        return problem;
    }

    /** The problem's code, when the broker sent one this agent knows. */
    public Optional<ErrorCode> code() {
        return problem.flatMap(Problem::errorCode);
    }

    /** Whether the broker was not reached (or the connection broke). */
    public boolean unreachable() {
        return status == 0;
    }

    /**
     * Whether sending the same call again later may succeed: not reached, 5xx, 408, 429. Not 401: the client has
     * already read a rotated token again before giving up.
     */
    public boolean retryable() {
        return status == 0 || status >= 500 || status == 408 || status == 429
                || (status != 401 && problem.map(Problem::retryable).orElse(false));
    }

    /** 401: the broker refused the agent's token, also after the token was read again. */
    public boolean unauthorized() {
        return status == 401;
    }

    /** Whether the broker does not know the agent or lease named in the call. */
    public boolean notFound() {
        return status == 404;
    }

    /** 409: the lease is no longer current, or the job already final. */
    public boolean conflict() {
        return status == 409;
    }
}
