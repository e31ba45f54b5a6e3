package dev.qfed.server.health;

import dev.qfed.api.Health;
import dev.qfed.server.store.Database;

import java.util.LinkedHashMap;
import java.util.Map;

/** Liveness (the process answers) and readiness (the database is reachable and migrated). */
public final class HealthChecks {
    private final Database database;

    public HealthChecks(Database database) {
        this.database = database;
    }

    public Health live() {
        return new Health("UP", Map.of());
    }

    public Health ready() {
        Map<String, String> checks = new LinkedHashMap<>();
        boolean reachable = database.reachable();
        checks.put("database", reachable ? "UP" : "not reachable: " + database.describe());
        checks.put("migrations", database.migrated() ? "UP" : "not applied yet");
        boolean up = reachable && database.migrated();
        return new Health(up ? "UP" : "DOWN", checks);
    }
}
