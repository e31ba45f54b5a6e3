package dev.qfed.agent.emulator;

import dev.qfed.agent.spi.Backend;
import dev.qfed.agent.spi.BackendConformanceTest;
import dev.qfed.agent.spi.BackendContext;

import java.nio.file.Path;
import java.util.Map;

/** The emulator without noise, on the 20-qubit example, sampling in small chunks: the same rules hold. */
class IdealEmulatorBackendConformanceTest extends BackendConformanceTest {
    @Override
    protected Backend createBackend() {
        return new EmulatorBackendFactory().create("ideal-20", Map.of("device", "noisy-20", "noise", false,
                "shot_chunk", 300), BackendContext.of(Path.of(".")));
    }
}
