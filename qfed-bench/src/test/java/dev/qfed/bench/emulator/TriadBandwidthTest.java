package dev.qfed.bench.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TriadBandwidthTest {

    @Test
    void theTriadReportsAPositiveFiniteBandwidthOnOneAndTwoThreads() {
        for (int threads = 1; threads <= 2; threads++) {
            double bw = TriadBandwidth.measure(threads, 4L << 20, 2);
            assertThat(bw).isPositive().isFinite();
        }
    }
}
