package dev.qfed.agent.spi;

import dev.qfed.emulator.noise.DeviceDescription;
import dev.qfed.emulator.noise.DeviceDescription.QubitPair;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a backend is, as {@link Backend#describe()} reports it and the agent registers it with the broker.
 *
 * @param name                    the backend's configured name
 * @param numQubits               qubits a circuit may use
 * @param nativeGates             the OpenQASM names of the gates the device executes natively
 * @param supportedGates          the OpenQASM gate names a submitted circuit may use (the backend translates them to
 *                                native gates); empty means the native gates
 * @param couplingMap             pairs of qubits a two-qubit gate may act on; empty means all-to-all
 * @param device                  the device description with its current calibration snapshot, when the backend
 *                                has one (the emulator's noise device; a real device's calibration)
 * @param maxConcurrentExecutions how many {@link Backend#execute} calls the backend accepts at once (at least 1)
 * @param behaviors               the optional behaviours it has
 * @param version                 the backend's software or firmware version, kept with every result
 */
public record BackendDescription(String name, int numQubits, List<String> nativeGates, List<String> supportedGates,
                                 Optional<List<QubitPair>> couplingMap, Optional<DeviceDescription> device,
                                 int maxConcurrentExecutions, Set<BackendBehavior> behaviors, String version) {
    public BackendDescription {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("backend name must not be blank");
        }
        if (numQubits < 1) {
            throw new IllegalArgumentException("backend '" + name + "': num_qubits must be at least 1, got "
                    + numQubits);
        }
        nativeGates = List.copyOf(nativeGates);
        supportedGates = List.copyOf(supportedGates);
        couplingMap = Objects.requireNonNull(couplingMap, "couplingMap").map(List::copyOf);
        Objects.requireNonNull(device, "device");
        behaviors = behaviors.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(behaviors));
        Objects.requireNonNull(version, "version");
        if (maxConcurrentExecutions < 1) {
            throw new IllegalArgumentException("backend '" + name
                    + "': max concurrent executions must be at least 1, got " + maxConcurrentExecutions);
        }
        for (QubitPair pair : couplingMap.orElse(List.of())) {
            if (pair.first() < 0 || pair.second() < 0 || pair.first() >= numQubits || pair.second() >= numQubits
                    || pair.first() == pair.second()) {
                throw new IllegalArgumentException("backend '" + name + "': coupling pair [" + pair.first() + ", "
                        + pair.second() + "] is not two distinct qubits below " + numQubits);
            }
        }
        if (device.isPresent() && device.get().numQubits() != numQubits) {
            throw new IllegalArgumentException("backend '" + name + "' has " + numQubits
                    + " qubits but its device description has " + device.get().numQubits());
        }
    }

    /** The gates a circuit may use: {@link #supportedGates()}, or the native gates when that is empty. */
    public List<String> effectiveSupportedGates() {
        return supportedGates.isEmpty() ? nativeGates : supportedGates;
    }

    /** Whether the backend declares {@code behavior}. */
    public boolean has(BackendBehavior behavior) {
        return behaviors.contains(behavior);
    }
}
