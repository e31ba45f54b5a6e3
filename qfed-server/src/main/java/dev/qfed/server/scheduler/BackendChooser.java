package dev.qfed.server.scheduler;

import java.util.List;
import java.util.Optional;

/**
 * The policy seam for {@code backend: auto}: given the backends that fit a job, pick one. The first policy is
 * {@link ShortestWaitChooser}; fair-share, fidelity or price policies replace it later without touching
 * admission.
 */
public interface BackendChooser {

    /**
     * @param fitting backends that can run the job (enough qubits, every gate supported), never empty
     * @return the chosen backend's name; empty to refuse the job
     */
    Optional<String> choose(JobNeeds needs, List<BackendCandidate> fitting);
}
