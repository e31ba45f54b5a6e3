package dev.qfed.agent.emulator;

import dev.qfed.agent.spi.Backend;
import dev.qfed.agent.spi.BackendConformanceTest;
import dev.qfed.agent.spi.BackendContext;

import java.nio.file.Path;
import java.util.Map;

/** The emulator backend keeps every rule of the SPI, with the noise of the 5-qubit example device. */
class EmulatorBackendConformanceTest extends BackendConformanceTest {
    @Override
    protected Backend createBackend() {
        return new EmulatorBackendFactory().create("emu-5", Map.of("device", "low-noise-5", "threads", 1),
                BackendContext.of(Path.of(".")));
    }
}
