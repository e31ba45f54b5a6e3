package dev.qfed.agent.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What is needed to reproduce or judge a completed execution, kept with the job's result.
 *
 * @param seed                 the seed the backend used
 * @param backend              the backend's name
 * @param calibrationId        the calibration snapshot the run used (a content hash or the vendor's id)
 * @param calibrationTimestamp when that snapshot was taken
 * @param firmwareVersion      the device's firmware or the emulator's version
 * @param executionTime        wall time of the execution on the backend
 * @param details              anything else worth keeping, as text
 */
public record RunMetadata(long seed, String backend, Optional<String> calibrationId,
                          Optional<Instant> calibrationTimestamp, Optional<String> firmwareVersion,
                          Duration executionTime, Map<String, String> details) {
    public RunMetadata {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(calibrationId, "calibrationId");
        Objects.requireNonNull(calibrationTimestamp, "calibrationTimestamp");
        Objects.requireNonNull(firmwareVersion, "firmwareVersion");
        Objects.requireNonNull(executionTime, "executionTime");
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }
}
