package dev.qfed.agent.emulator;

import dev.qfed.agent.spi.Backend;
import dev.qfed.agent.spi.BackendContext;
import dev.qfed.agent.spi.BackendFactory;
import dev.qfed.agent.spi.InvalidBackendConfigException;
import dev.qfed.emulator.noise.DeviceDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmulatorBackendFactoryTest {
    @TempDir
    Path dir;

    private Backend create(Map<String, Object> config) {
        return new EmulatorBackendFactory().create("emu", config, BackendContext.of(dir));
    }

    @Test
    void theFactoryIsFoundThroughTheServiceLoader() {
        assertThat(ServiceLoader.load(BackendFactory.class).stream().map(p -> p.get().type()))
                .contains("emulator");
    }

    @Test
    void anExampleDeviceGivesItsQubitsGatesAndCoupling() {
        try (Backend b = create(Map.of("device", "heavy-hex-27"))) {
            DeviceDescription device = DeviceDescription.example("heavy-hex-27");
            assertThat(b.describe().name()).isEqualTo("emu");
            assertThat(b.describe().numQubits()).isEqualTo(27);
            assertThat(b.describe().nativeGates()).isEqualTo(device.nativeGates());
            assertThat(b.describe().couplingMap()).isEqualTo(device.couplingMap());
            assertThat(b.describe().device()).contains(device);
            assertThat(b.describe().supportedGates()).contains("h", "cx", "ccx", "rzz").doesNotContain("U");
        }
    }

    @Test
    void aDeviceFileResolvesAgainstTheSiteFolder() throws IOException {
        Files.writeString(dir.resolve("dev.json"), DeviceDescription.example("low-noise-5").toJson());
        try (Backend b = create(Map.of("device_file", "dev.json"))) {
            assertThat(b.describe().numQubits()).isEqualTo(5);
        }
    }

    @Test
    void refreshDescriptionReadsTheDeviceFileAgain() throws IOException {
        DeviceDescription d = DeviceDescription.example("low-noise-5");
        Path file = dir.resolve("dev.json");
        Files.writeString(file, d.toJson());
        try (Backend b = create(Map.of("device_file", file.toString()))) {
            DeviceDescription recalibrated = new DeviceDescription(d.name(), d.numQubits(),
                    d.timestamp().plusSeconds(3600), "9.9.9", d.couplingMap(), d.nativeGates(), d.qubits(), d.gates(),
                    d.defaults());
            Files.writeString(file, recalibrated.toJson());
            assertThat(b.refreshDescription().device()).contains(recalibrated);
            assertThat(b.describe().device()).contains(recalibrated);
        }
    }

    @Test
    void neitherDeviceNorDeviceFileIsRefused() {
        assertThatThrownBy(() -> create(Map.of()))
                .isInstanceOf(InvalidBackendConfigException.class)
                .hasMessage("set device (one of low-noise-5, noisy-20, heavy-hex-27) or device_file (a device "
                        + "description JSON file)");
    }

    @Test
    void bothDeviceAndDeviceFileAreRefused() {
        assertThatThrownBy(() -> create(Map.of("device", "noisy-20", "device_file", "x.json")))
                .isInstanceOf(InvalidBackendConfigException.class)
                .hasMessage("device_file: give either device or device_file, not both");
    }

    @Test
    void anUnknownExampleIsRefusedWithTheExamples() {
        assertThatThrownBy(() -> create(Map.of("device", "huge-1000")))
                .isInstanceOf(InvalidBackendConfigException.class)
                .hasMessage("device: unknown example device 'huge-1000'; the examples are low-noise-5, noisy-20, "
                        + "heavy-hex-27");
    }

    @Test
    void aMissingDeviceFileIsRefused() {
        assertThatThrownBy(() -> create(Map.of("device_file", "missing.json")))
                .isInstanceOf(InvalidBackendConfigException.class)
                .hasMessage("device_file: cannot read " + dir.resolve("missing.json") + ": no such file");
    }

    @Test
    void aMalformedDeviceFileIsRefusedWithTheFieldAtFault() throws IOException {
        Files.writeString(dir.resolve("bad.json"), "{\"name\": \"x\"}");
        assertThatThrownBy(() -> create(Map.of("device_file", "bad.json")))
                .isInstanceOf(InvalidBackendConfigException.class)
                .hasMessageStartingWith("device_file: ")
                .hasMessageContaining("bad.json");
    }

    @Test
    void anUnknownKeyIsRefusedWithTheKnownKeys() {
        assertThatThrownBy(() -> create(Map.of("device", "noisy-20", "thraeds", 2)))
                .isInstanceOf(InvalidBackendConfigException.class)
                .hasMessage("thraeds: unknown key; known keys are device, device_file, noise, threads, precision, "
                        + "shot_chunk");
    }

    @Test
    void wrongTypesAndRangesAreRefusedWithTheKey() {
        assertThatThrownBy(() -> create(Map.of("device", "noisy-20", "threads", 0)))
                .hasMessage("threads: must be an integer from 1 to 1024, got 0");
        assertThatThrownBy(() -> create(Map.of("device", "noisy-20", "threads", "four")))
                .hasMessage("threads: must be an integer, got 'four'");
        assertThatThrownBy(() -> create(Map.of("device", "noisy-20", "noise", "yes")))
                .hasMessage("noise: must be true or false, got 'yes'");
        assertThatThrownBy(() -> create(Map.of("device", "noisy-20", "precision", "quad")))
                .hasMessage("precision: must be one of double, single, got 'quad'");
        assertThatThrownBy(() -> create(Map.of("device", 5)))
                .hasMessage("device: must be text, got 5");
        assertThatThrownBy(() -> create(Map.of("device", "noisy-20", "shot_chunk", 0)))
                .hasMessage("shot_chunk: must be an integer at least 1, got 0");
    }
}
