package dev.qfed.server.store;

import dev.qfed.server.testing.Engine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schema the migrations leave on each engine. V2 drops the foreign keys from the job's own tables to
 * {@code jobs} by the names each engine gave them (PostgreSQL {@code TABLE_COLUMN_fkey}, H2 {@code CONSTRAINT_…}),
 * so a name that drifts would leave a key behind on one engine only, silently.
 */
@ParameterizedClass
@EnumSource(Engine.class)
class MigrationIT {
    @Parameter
    Engine engine;

    @TempDir
    Path dir;

    private Database db;

    @BeforeEach
    void open() {
        db = Database.open(engine.newDatabaseUrl(dir), null, null, 2);
        db.migrate();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void noForeignKeyFromTheJobsOwnTablesToJobsIsLeft() throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            List<String> toJobs = new ArrayList<>();
            for (String table : List.of("job_circuits", "job_tags", "job_events", "leases", "results",
                    "idempotency_keys")) {
                for (String[] key : importedKeys(c.getMetaData(), table)) {
                    if (key[1].equalsIgnoreCase("jobs")) {
                        toJobs.add(table + " → jobs (" + key[0] + ")");
                    }
                }
            }
            assertThat(toJobs).isEmpty();
        }
    }

    @Test
    void theKeysThatGuardNamesFromOutsideStay() throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            assertThat(importedKeys(c.getMetaData(), "jobs")).extracting(k -> k[1].toLowerCase(Locale.ROOT))
                    .contains("projects", "backends");
            assertThat(importedKeys(c.getMetaData(), "leases")).extracting(k -> k[1].toLowerCase(Locale.ROOT))
                    .containsExactly("agents");
        }
    }

    @Test
    void onPostgresqlTheIndexesThatFindWorkHoldOnlyWorkInFlight() {
        List<String> definitions = db.jdbi().withHandle(h -> engine == Engine.POSTGRESQL
                ? h.createQuery("SELECT indexdef FROM pg_indexes WHERE tablename IN ('jobs', 'leases') ORDER BY 1")
                        .mapTo(String.class).list()
                : List.of());
        if (engine == Engine.POSTGRESQL) {
            assertThat(definitions).anySatisfy(d -> assertThat(d).contains("jobs_active")
                    .contains("(backend, state, id)").contains("WHERE").contains("'QUEUED'")
                    .doesNotContain("'COMPLETED'"));
            assertThat(definitions).anySatisfy(d -> assertThat(d).contains("leases_active_expiry")
                    .contains("(expires_at)").contains("WHERE").contains("'ACTIVE'"));
            assertThat(definitions).noneSatisfy(d -> assertThat(d).containsAnyOf("jobs_backend_state",
                    "leases_state_expiry"));
        }
    }

    /** The foreign keys of {@code table}: (constraint name, referenced table). */
    private static List<String[]> importedKeys(DatabaseMetaData meta, String table) throws SQLException {
        List<String[]> keys = new ArrayList<>();
        String name = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
        try (ResultSet rs = meta.getImportedKeys(null, null, name)) {
            while (rs.next()) {
                keys.add(new String[] {rs.getString("FK_NAME"), rs.getString("PKTABLE_NAME")});
            }
        }
        return keys;
    }
}
