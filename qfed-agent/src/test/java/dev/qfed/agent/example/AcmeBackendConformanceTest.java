package dev.qfed.agent.example;

import dev.qfed.agent.spi.Backend;
import dev.qfed.agent.spi.BackendConformanceTest;
import dev.qfed.agent.spi.BackendContext;

import java.nio.file.Path;
import java.util.Map;

/** The example vendor adapter of docs/agent.md passes the conformance suite against a fake cloud. */
class AcmeBackendConformanceTest extends BackendConformanceTest {
    @Override
    protected Backend createBackend() {
        return new AcmeBackendFactory(new FakeAcmeCloud()).create("acme-5", Map.of("poll_ms", 2),
                BackendContext.of(Path.of(".")));
    }
}
