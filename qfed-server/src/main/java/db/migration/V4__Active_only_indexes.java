package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.Statement;

/**
 * QFed broker schema, version 4 (PostgreSQL only): the indexes that find work — the claim's queued jobs of a backend,
 * the queue depths, the expiry sweep's active leases — hold only the rows that can still be found by them. A job
 * that ends and a lease that ends then add no entry to them (every state change is a new row version, which
 * otherwise gets an entry in every index of the table), and once vacuumed they hold the work in flight instead of
 * the broker's history. H2 has no partial indexes and keeps V1's.
 *
 * <p>A Java migration because Flyway's SQL migrations run unchanged on both engines here. It builds the indexes
 * without {@code CONCURRENTLY} (not allowed in the migration's transaction): on a large {@code jobs} table, start
 * the upgraded broker when a short pause of writes is acceptable.
 */
public class V4__Active_only_indexes extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        if (!"PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE INDEX jobs_active ON jobs (backend, state, id) "
                    + "WHERE state IN ('QUEUED', 'ASSIGNED', 'RUNNING', 'CANCEL_REQUESTED')");
            s.execute("DROP INDEX jobs_backend_state");
            s.execute("CREATE INDEX leases_active_expiry ON leases (expires_at) WHERE state = 'ACTIVE'");
            s.execute("DROP INDEX leases_state_expiry");
        }
    }
}
