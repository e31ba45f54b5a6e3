package dev.qfed.api;

import java.util.Map;

/**
 * Body of {@code /health/live} and {@code /health/ready}.
 *
 * @param status {@code UP} or {@code DOWN}
 * @param checks each check's name to {@code UP} or what is wrong
 */
public record Health(String status, Map<String, String> checks) {
    public Health {
        status = Checks.text(status, "status");
        checks = Checks.map(checks, "checks");
    }

    public boolean up() {
        return "UP".equals(status);
    }
}
