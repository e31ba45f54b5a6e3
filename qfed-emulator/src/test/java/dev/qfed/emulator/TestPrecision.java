package dev.qfed.emulator;

import dev.qfed.emulator.state.Precision;
import java.util.Locale;

/**
 * The precision the emulator tests run in: double by default; the build runs them a second time in single
 * precision ({@code -Dqfed.test.precision=single}, see the module's pom).
 */
final class TestPrecision {
    static final Precision PRECISION = Precision.valueOf(
            System.getProperty("qfed.test.precision", "double").toUpperCase(Locale.ROOT));

    private TestPrecision() {
    }

    /** {@code doubleTolerance} in double precision; in single precision what float rounding allows. */
    static double tolerance(double doubleTolerance) {
        return PRECISION == Precision.SINGLE ? Math.max(doubleTolerance, 1e-5) : doubleTolerance;
    }
}
