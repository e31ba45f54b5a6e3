package dev.qfed.agent.emulator;

import dev.qfed.agent.spi.Backend;
import dev.qfed.agent.spi.BackendConfig;
import dev.qfed.agent.spi.BackendContext;
import dev.qfed.agent.spi.BackendFactory;
import dev.qfed.agent.spi.InvalidBackendConfigException;
import dev.qfed.emulator.EmulatorOptions;
import dev.qfed.emulator.noise.DeviceDescription;
import dev.qfed.emulator.noise.DeviceDescriptionException;
import dev.qfed.emulator.state.Precision;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes {@link EmulatorBackend}s: backend type {@value #TYPE}. Configuration keys:
 *
 * <table>
 *   <caption>{@code config:} of an emulator backend</caption>
 *   <tr><th>key</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code device}</td><td>a bundled example device: {@code low-noise-5}, {@code noisy-20},
 *       {@code heavy-hex-27}</td><td rowspan="2">one of the two is required</td></tr>
 *   <tr><td>{@code device_file}</td><td>a device description JSON file (relative to the site file)</td></tr>
 *   <tr><td>{@code noise}</td><td>imitate the device's noise; {@code false} runs ideal circuits on its qubits</td>
 *       <td>{@code true}</td></tr>
 *   <tr><td>{@code threads}</td><td>threads per execution</td><td>the machine's processors</td></tr>
 *   <tr><td>{@code precision}</td><td>{@code double} or {@code single}</td><td>{@code double}</td></tr>
 *   <tr><td>{@code shot_chunk}</td><td>shots run between two looks at the cancellation token</td>
 *       <td>{@value EmulatorBackend#DEFAULT_SHOT_CHUNK}</td></tr>
 * </table>
 */
public final class EmulatorBackendFactory implements BackendFactory {
    /** The backend type this factory makes. */
    public static final String TYPE = "emulator";

    /** For {@link java.util.ServiceLoader}. */
    public EmulatorBackendFactory() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Backend create(String name, Map<String, Object> config, BackendContext context) {
        BackendConfig c = BackendConfig.of(config);
        Optional<String> example = c.string("device");
        Optional<Path> file = c.path("device_file", context.baseDirectory());
        boolean noise = c.bool("noise").orElse(true);
        int processors = Math.max(1, Runtime.getRuntime().availableProcessors());
        int threads = c.integer("threads", 1, 1024).orElse(processors);
        Precision precision = c.oneOf("precision", List.of("double", "single"))
                .map(p -> p.equals("single") ? Precision.SINGLE : Precision.DOUBLE).orElse(Precision.DOUBLE);
        int shotChunk = c.integer("shot_chunk", 1, Integer.MAX_VALUE).orElse(EmulatorBackend.DEFAULT_SHOT_CHUNK);
        c.requireNoOtherKeys();

        if (example.isPresent() == file.isPresent()) {
            throw new InvalidBackendConfigException(example.isPresent() ? "device_file" : "",
                    example.isPresent() ? "give either device or device_file, not both"
                            : "set device (one of " + String.join(", ", DeviceDescription.EXAMPLES)
                            + ") or device_file (a device description JSON file)");
        }
        DeviceSource source = example.<DeviceSource>map(DeviceSource.Example::new)
                .orElseGet(() -> new DeviceSource.File(file.orElseThrow()));
        DeviceDescription device = source.load();

        // Executions run side by side as many as the site asks (max_concurrent), each with an equal share of the
        // state memory: small jobs wait on round trips more than on the CPU, so that may exceed the processors.
        int maxConcurrent = context.maxConcurrent();
        EmulatorOptions defaults = EmulatorOptions.defaults();
        EmulatorOptions options = new EmulatorOptions(threads, precision,
                Math.max(1, defaults.maxStateBytes() / maxConcurrent));
        return new EmulatorBackend(name, source, device, noise, options, shotChunk, maxConcurrent,
                context.clock());
    }

    /** Where the device description comes from, so that {@code refreshDescription} can read it again. */
    sealed interface DeviceSource {
        DeviceDescription load();

        record Example(String name) implements DeviceSource {
            @Override
            public DeviceDescription load() {
                try {
                    return DeviceDescription.example(name);
                } catch (IllegalArgumentException e) {
                    throw new InvalidBackendConfigException("device", "unknown example device '" + name
                            + "'; the examples are " + String.join(", ", DeviceDescription.EXAMPLES));
                }
            }
        }

        record File(Path path) implements DeviceSource {
            @Override
            public DeviceDescription load() {
                try {
                    return DeviceDescription.read(path);
                } catch (IOException e) {
                    throw new InvalidBackendConfigException("device_file", "cannot read " + path + ": "
                            + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.toString()));
                } catch (DeviceDescriptionException e) {
                    throw new InvalidBackendConfigException("device_file", e.getMessage());
                }
            }
        }
    }
}
