package dev.qfed.emulator.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NoiseModelTest {
    private final NoiseModel model = NoiseModel.of(DeviceDescription.parse(DeviceDescriptionTest.VALID, "tiny.json"));

    @Test
    void aCalibratedGateUsesItsErrorAndDurationInEitherQubitOrder() {
        // cx on [1, 0] is calibrated: error 0.01, 300 ns; qubit 1 has T1 = 80 µs, T2 = 60 µs
        for (int[] qubits : new int[][] {{1, 0}, {0, 1}}) {
            GateNoise noise = model.gate("cx", qubits);
            assertThat(noise.depolarizing()).isEqualTo(0.01);
            int j = qubits[0] == 1 ? 0 : 1;
            assertThat(noise.gamma(j)).isCloseTo(1 - Math.exp(-0.3 / 80), within(1e-15));
            double dephasingRate = 1 / 60.0 - 1 / 160.0;
            assertThat(noise.phaseFlip(j)).isCloseTo((1 - Math.exp(-0.3 * dephasingRate)) / 2, within(1e-15));
        }
    }

    @Test
    void uncalibratedGatesUseTheDefaultsByTheirNumberOfQubits() {
        GateNoise one = model.gate("h", new int[] {0});
        assertThat(one.depolarizing()).isEqualTo(0.001);
        assertThat(one.gamma(0)).isCloseTo(1 - Math.exp(-0.035 / 100), within(1e-15));
        GateNoise two = model.gate("cz", new int[] {0, 1});
        assertThat(two.depolarizing()).isEqualTo(0.02);
        assertThat(two.gamma(0)).isCloseTo(1 - Math.exp(-0.4 / 100), within(1e-15));
    }

    @Test
    void aThreeQubitGateCountsAsTwoTwoQubitGates() {
        NoiseModel three = NoiseModel.of(DeviceDescription.parse(DeviceDescriptionTest.VALID
                .replace("\"num_qubits\": 2", "\"num_qubits\": 3")
                .replace("\"coupling_map\": [[0, 1]],", "")
                .replace("\"qubits\": [\n", "\"qubits\": [\n    {\"t1_us\": 50, \"t2_us\": 50, \"readout_p1_given_0\": 0,"
                        + " \"readout_p0_given_1\": 0},\n"), "three.json"));
        GateNoise ccx = three.gate("ccx", new int[] {0, 1, 2});
        assertThat(ccx.depolarizing()).isCloseTo(1 - 0.98 * 0.98, within(1e-15));
        assertThat(ccx.gamma(0)).isCloseTo(1 - Math.exp(-0.8 / 50), within(1e-15));
    }

    @Test
    void whenT2IsTwiceT1ThereIsNoPureDephasing() {
        NoiseModel limit = NoiseModel.of(DeviceDescription.parse(DeviceDescriptionTest.VALID
                .replace("\"t2_us\": 60", "\"t2_us\": 160"), "limit.json"));
        assertThat(limit.gate("sx", new int[] {1}).phaseFlip(0)).isZero();
    }

    @Test
    void readoutErrorsComeFromTheQubit() {
        assertThat(model.readout(1)).isEqualTo(new ReadoutError(0.03, 0.04));
    }

    @Test
    void aGateWithoutErrorOrDurationIsNoiseless() {
        NoiseModel quiet = NoiseModel.of(DeviceDescription.parse(DeviceDescriptionTest.VALID
                .replace("\"error_1q\": 0.001", "\"error_1q\": 0").replace("\"duration_1q_ns\": 35",
                        "\"duration_1q_ns\": 0"), "quiet.json"));
        assertThat(quiet.gate("rz", new int[] {0}).isNone()).isTrue();
        assertThat(quiet.gate("cx", new int[] {0, 1}).isNone()).isFalse();
    }
}
