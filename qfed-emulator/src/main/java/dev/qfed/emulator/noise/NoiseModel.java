package dev.qfed.emulator.noise;

import dev.qfed.emulator.noise.DeviceDescription.GateCalibration;
import dev.qfed.emulator.noise.DeviceDescription.QubitCalibration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The noise the emulator applies to imitate a device, derived from its {@link DeviceDescription}:
 * <ul>
 *   <li>after each gate on qubits Q: depolarizing noise on Q with the gate's error probability (a uniformly chosen
 *       non-identity Pauli on Q), then thermal relaxation on each qubit of Q for the gate's duration (amplitude
 *       damping with γ = 1 − e^{−t/T1}, and pure dephasing at rate 1/T_φ = 1/T2 − 1/(2·T1));</li>
 *   <li>each measurement is ideal and then misread with the qubit's readout error probabilities;</li>
 *   <li>resets are ideal; idle qubits do not decay (only the qubits a gate acts on do).</li>
 * </ul>
 * A gate's error and duration come from its {@link GateCalibration} on exactly those qubits (in that order, else
 * in any order), else from the defaults by its number of qubits; a gate on k ≥ 3 qubits without an entry counts
 * as k − 1 two-qubit gates: error 1 − (1 − error_2q)^(k−1), duration (k − 1)·duration_2q_ns.
 */
public final class NoiseModel {
    private final DeviceDescription device;
    private final Map<String, GateCalibration> byOrderedQubits = new HashMap<>();
    private final Map<String, GateCalibration> byQubitSet = new HashMap<>();

    private NoiseModel(DeviceDescription device) {
        this.device = device;
        for (GateCalibration g : device.gates()) {
            byOrderedQubits.put(key(g.gate(), g.qubits().stream().mapToInt(Integer::intValue).toArray(), false), g);
            byQubitSet.putIfAbsent(key(g.gate(), g.qubits().stream().mapToInt(Integer::intValue).toArray(), true), g);
        }
    }

    public static NoiseModel of(DeviceDescription device) {
        return new NoiseModel(Objects.requireNonNull(device, "device"));
    }

    public DeviceDescription device() {
        return device;
    }

    /** The noise after one application of gate {@code name} (its OpenQASM name) on {@code qubits}. */
    public GateNoise gate(String name, int[] qubits) {
        int k = qubits.length;
        if (k == 0) {
            return GateNoise.NONE;
        }
        for (int q : qubits) {
            if (q < 0 || q >= device.numQubits()) {
                throw new IllegalArgumentException("qubit " + q + " is not on device " + device.name() + " ("
                        + device.numQubits() + " qubits)");
            }
        }
        GateCalibration c = byOrderedQubits.get(key(name, qubits, false));
        if (c == null) {
            c = byQubitSet.get(key(name, qubits, true));
        }
        double error;
        double durationNs;
        if (c != null) {
            error = c.error();
            durationNs = c.durationNs();
        } else if (k == 1) {
            error = device.defaults().error1q();
            durationNs = device.defaults().duration1qNs();
        } else if (k == 2) {
            error = device.defaults().error2q();
            durationNs = device.defaults().duration2qNs();
        } else {
            error = 1 - Math.pow(1 - device.defaults().error2q(), k - 1);
            durationNs = (k - 1) * device.defaults().duration2qNs();
        }
        double[] gamma = new double[k];
        double[] phaseFlip = new double[k];
        for (int j = 0; j < k; j++) {
            QubitCalibration q = device.qubits().get(qubits[j]);
            double tUs = durationNs / 1000;
            gamma[j] = -Math.expm1(-tUs / q.t1Us());
            double dephasingRate = Math.max(0, 1 / q.t2Us() - 1 / (2 * q.t1Us()));
            phaseFlip[j] = -Math.expm1(-tUs * dephasingRate) / 2;
        }
        return GateNoise.of(qubits.clone(), error, gamma, phaseFlip);
    }

    /** How measurements of {@code qubit} are misread. */
    public ReadoutError readout(int qubit) {
        QubitCalibration q = device.qubits().get(qubit);
        return new ReadoutError(q.readoutP1Given0(), q.readoutP0Given1());
    }

    private static String key(String name, int[] qubits, boolean unordered) {
        int[] q = unordered ? Arrays.stream(qubits).sorted().toArray() : qubits;
        return name + Arrays.toString(q);
    }
}
