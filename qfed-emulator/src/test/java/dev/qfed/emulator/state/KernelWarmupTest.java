package dev.qfed.emulator.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KernelWarmupTest {

    @Test
    void theWarmupRunsEveryKernelPathOnBothImplementationsWithinItsBudget() {
        // ten paths; a path that throws fails the test, one still slow when the budget ends is counted
        assertThat(FloatKernelWarmup.run(VectorFloatKernels.INSTANCE, 30_000_000L)).isBetween(0, 10);
        assertThat(DoubleKernelWarmup.run(new ScalarDoubleKernels(4), 30_000_000L)).isBetween(0, 10);
        assertThat(FloatKernelWarmup.run(VectorFloatKernels.INSTANCE, 0)).as("no budget, nothing run").isEqualTo(10);
    }
}
