package dev.qfed.agent.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Structured logs over SLF4J, as the broker writes them: an event name as the message ({@code lease.granted})
 * and key-value pairs ({@code job_id}, {@code lease_id}, {@code backend}, …) that a key-value aware layout or a
 * JSON encoder turns into fields. The agent never logs a token.
 */
public final class AgentLog {
    private final Logger logger;

    private AgentLog(Logger logger) {
        this.logger = logger;
    }

    public static AgentLog of(String name) {
        return new AgentLog(LoggerFactory.getLogger(name));
    }

    public void info(String event, Object... keyValues) {
        log(logger.atInfo(), event, null, keyValues);
    }

    public void warn(String event, Object... keyValues) {
        log(logger.atWarn(), event, null, keyValues);
    }

    /** An error; {@code cause} may be null when there is no exception to show. */
    public void error(String event, Throwable cause, Object... keyValues) {
        log(logger.atError(), event, cause, keyValues);
    }

    public void debug(String event, Object... keyValues) {
        log(logger.atDebug(), event, null, keyValues);
    }

    private static void log(LoggingEventBuilder b, String event, Throwable cause, Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs");
        }
        for (int i = 0; i < keyValues.length; i += 2) {
            b = b.addKeyValue(String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        if (cause != null) {
            b = b.setCause(cause);
        }
        b.log(event);
    }
}
