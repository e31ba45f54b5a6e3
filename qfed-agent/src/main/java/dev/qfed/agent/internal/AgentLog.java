package dev.qfed.agent.internal;

import java.lang.System.Logger.Level;

/**
 * Structured log lines over {@link System.Logger}: an event name, then {@code key=value} pairs
 * ({@code lease.granted job_id=j-1 lease_id=l-7 backend=aurora-5}). Values with spaces are quoted so that a line
 * stays machine-readable. One class, so that switching the agent to another logging API touches one file.
 */
public final class AgentLog {
    private final System.Logger logger;

    private AgentLog(System.Logger logger) {
        this.logger = logger;
    }

    public static AgentLog of(String name) {
        return new AgentLog(System.getLogger(name));
    }

    public void info(String event, Object... keyValues) {
        log(Level.INFO, event, null, keyValues);
    }

    public void warn(String event, Object... keyValues) {
        log(Level.WARNING, event, null, keyValues);
    }

    public void error(String event, Throwable cause, Object... keyValues) {
        log(Level.ERROR, event, cause, keyValues);
    }

    public void debug(String event, Object... keyValues) {
        log(Level.DEBUG, event, null, keyValues);
    }

    private void log(Level level, String event, Throwable cause, Object... keyValues) {
        if (!logger.isLoggable(level)) {
            return;
        }
        String line = format(event, keyValues);
        if (cause == null) {
            logger.log(level, line);
        } else {
            logger.log(level, line, cause);
        }
    }

    /** {@code event k1=v1 k2="v 2"}. */
    public static String format(String event, Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs");
        }
        StringBuilder sb = new StringBuilder(event);
        for (int i = 0; i < keyValues.length; i += 2) {
            sb.append(' ').append(keyValues[i]).append('=');
            String v = String.valueOf(keyValues[i + 1]);
            if (v.isEmpty() || v.chars().anyMatch(c -> c == ' ' || c == '"' || c == '=' || c < 0x20)) {
                sb.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                        .append('"');
            } else {
                sb.append(v);
            }
        }
        return sb.toString();
    }
}
