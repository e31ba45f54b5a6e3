package dev.qfed.agent.example;

import dev.qfed.agent.spi.Backend;
import dev.qfed.agent.spi.BackendConfig;
import dev.qfed.agent.spi.BackendContext;
import dev.qfed.agent.spi.BackendFactory;

import java.time.Duration;
import java.util.Map;

/**
 * A vendor adapter as docs/agent.md shows it: backend type {@code acme}. A real adapter would build an
 * {@link AcmeClient} from its configuration (endpoint, credentials file); this one is handed a client so that the
 * tests can give it a fake cloud.
 */
public final class AcmeBackendFactory implements BackendFactory {
    private final AcmeClient client;

    public AcmeBackendFactory(AcmeClient client) {
        this.client = client;
    }

    @Override
    public String type() {
        return "acme";
    }

    @Override
    public Backend create(String name, Map<String, Object> config, BackendContext context) {
        BackendConfig c = BackendConfig.of(config);
        Duration poll = Duration.ofMillis(c.integer("poll_ms", 1, 60_000).orElse(200));
        c.requireNoOtherKeys();
        return new AcmeBackend(name, client, poll, context.clock());
    }
}
