package dev.qfed.server.scheduler;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Online backends first, then the shortest expected wait, then the smallest device that fits (keeping big devices
 * free for big jobs), then the name for a stable answer.
 */
public final class ShortestWaitChooser implements BackendChooser {
    private static final Comparator<BackendCandidate> ORDER = Comparator
            .comparing((BackendCandidate c) -> !c.online())
            .thenComparingDouble(BackendCandidate::expectedWaitSeconds)
            .thenComparingInt(BackendCandidate::numQubits)
            .thenComparing(BackendCandidate::name);

    @Override
    public Optional<String> choose(JobNeeds needs, List<BackendCandidate> fitting) {
        return fitting.stream().min(ORDER).map(BackendCandidate::name);
    }
}
