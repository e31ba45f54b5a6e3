package dev.qfed.server.signals;

import dev.qfed.server.store.Database;
import dev.qfed.server.testing.Engine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Signals between two replicas' {@link PgNotifications} on one PostgreSQL database. */
class PgNotificationsIT {
    private Database db;
    private final Signals first = new Signals();
    private final Signals second = new Signals();
    private PgNotifications firstReplica;
    private PgNotifications secondReplica;

    @BeforeEach
    void open() {
        db = Database.open(Engine.Postgres.newDatabase(), null, null, 2);
        firstReplica = new PgNotifications(db, first);
        first.publisher(firstReplica);
    }

    @AfterEach
    void close() {
        firstReplica.close();
        if (secondReplica != null) {
            secondReplica.close();
        }
        db.close();
    }

    @Test
    void aReplicaAloneSeesNoOtherListenerAndSeesOneOnceAnotherReplicaListens() throws Exception {
        int own = listening(firstReplica);
        try (Connection c = db.dedicatedConnection()) {
            assertThat(PgNotifications.othersListen(c, own)).isFalse();
            secondReplica = new PgNotifications(db, second);
            listening(secondReplica);
            assertThat(PgNotifications.othersListen(c, own)).isTrue();
        }
    }

    /** Waits until the replica's listener session listens; its process id. */
    private static int listening(PgNotifications replica) throws InterruptedException {
        for (int i = 0; i < 3000 && replica.listenerPid() == 0; i++) {
            Thread.sleep(10);
        }
        assertThat(replica.listenerPid()).as("the listener session started").isNotZero();
        return replica.listenerPid();
    }

    @Test
    void aSignalReachesAReplicaThatStartedListeningAfterThePublisher() throws InterruptedException {
        // The publisher sends nothing while it is alone; the second replica's listener lock makes it send.
        secondReplica = new PgNotifications(db, second);
        String key = Signals.job("01a2-test");
        try (Signals.Waiter waiter = second.register(List.of(key))) {
            boolean woken = false;
            // The publisher looks for other listeners once a second, so the first signals may go nowhere.
            for (int i = 0; i < 300 && !woken; i++) {
                first.signal(key);
                woken = waiter.await(Duration.ofMillis(100));
            }
            assertThat(woken).as("the second replica was woken by the first one's signal").isTrue();
        }
    }
}
