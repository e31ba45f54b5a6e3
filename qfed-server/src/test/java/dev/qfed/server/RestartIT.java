package dev.qfed.server;

import dev.qfed.api.Job;
import dev.qfed.api.JobStatus;
import dev.qfed.server.identity.Role;
import dev.qfed.server.testing.Engine;
import dev.qfed.server.testing.Fixtures;
import dev.qfed.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** What the broker stored, and the dev issuer's key, survive a restart on the same data directory and database. */
@ParameterizedClass
@EnumSource(Engine.class)
class RestartIT {
    @Parameter
    Engine engine;

    @Test
    void jobsBackendsAndTokensSurviveARestart() {
        TestServer first = TestServer.start(engine);
        String token = first.token("aurora", "alice", Role.RESEARCHER);
        String backend = Fixtures.unique("b");
        Fixtures.register(first.client(first.token("aurora", "agent", Role.AGENT)), "site", Fixtures.backend(backend, 5));
        Job job = Fixtures.submit(first.client(token), backend, 10);
        String url = first.dbUrl();
        first.close();

        try (TestServer second = TestServer.start(engine, first.dataDir(), url, c -> c)) {
            var r = second.client(token).get("/v1/jobs/" + job.id());
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.as(Job.class).status()).isEqualTo(JobStatus.QUEUED);
            assertThat(second.client(token).get("/v1/backends/" + backend).status()).isEqualTo(200);
        }
    }
}
