package dev.qfed.api;

import java.util.Map;
import java.util.Optional;

/**
 * What is needed to reproduce or judge a run, as the agent reports it.
 *
 * @param seed           the random seed the backend used
 * @param firmwareVersion the device's or emulator's version
 * @param calibrationId  the calibration snapshot the run used
 * @param executionMs    wall time of the execution on the backend
 * @param details        anything else the backend wants kept (text values)
 */
public record ExecutionMetadata(Optional<Long> seed, Optional<String> firmwareVersion, Optional<String> calibrationId,
                                Optional<Double> executionMs, Map<String, String> details) {
    public static final ExecutionMetadata EMPTY =
            new ExecutionMetadata(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of());

    public ExecutionMetadata {
        seed = Checks.optional(seed);
        firmwareVersion = Checks.optional(firmwareVersion);
        calibrationId = Checks.optional(calibrationId);
        executionMs = Checks.optional(executionMs);
        details = Checks.map(details, "details");
    }
}
