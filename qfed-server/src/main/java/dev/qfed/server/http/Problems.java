package dev.qfed.server.http;

import dev.qfed.api.ApiJson;
import dev.qfed.api.ErrorCode;
import dev.qfed.api.Problem;
import dev.qfed.server.ApiException;
import dev.qfed.server.identity.UnauthenticatedException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.jdbi.v3.core.ConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.UUID;

/** The one place that turns exceptions into RFC 9457 problem responses. */
final class Problems {
    static final String CONTENT_TYPE = "application/problem+json";
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    private Problems() {
    }

    static void write(Context ctx, Problem problem) {
        Problem p = problem.instance().isPresent() ? problem : problem.withInstance(ctx.path());
        ctx.status(p.status()).contentType(CONTENT_TYPE).result(ApiJson.write(p));
        if (p.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"qfed\"");
        }
        if (p.status() == 503) {
            ctx.header("Retry-After", "1");
        }
    }

    static void handle(Exception e, Context ctx) {
        write(ctx, toProblem(e, ctx));
    }

    static Problem toProblem(Exception e, Context ctx) {
        return switch (e) {
            case ApiException api -> api.problem();
            case UnauthenticatedException u -> Problem.of(ErrorCode.UNAUTHENTICATED, u.getMessage());
            case HttpResponseException h -> fromStatus(h.getStatus(), h.getMessage());
            case InterruptedException i -> {
                Thread.currentThread().interrupt();
                yield Problem.of(ErrorCode.UNAVAILABLE, "the server is shutting down; try again");
            }
            default -> {
                if (isUnavailable(e)) {
                    LOG.warn("database unavailable while serving {} {}: {}", ctx.method(), ctx.path(), e.toString());
                    yield Problem.of(ErrorCode.UNAVAILABLE, "the database is not reachable; try again shortly");
                }
                String incident = UUID.randomUUID().toString();
                LOG.atError().addKeyValue("incident", incident).setCause(e)
                        .log("internal error serving {} {}", ctx.method(), ctx.path());
                yield Problem.of(ErrorCode.INTERNAL, "an internal error occurred (incident " + incident
                        + "); the operators can find it in the broker's log");
            }
        };
    }

    static Problem fromStatus(int status, String message) {
        ErrorCode code = switch (status) {
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.BODY_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 401 -> ErrorCode.UNAUTHENTICATED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 503 -> ErrorCode.UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_REQUEST;
        };
        return Problem.of(code, message == null || message.isBlank() ? code.title() : message);
    }

    private static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectionException || t instanceof SQLTransientException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }
}
