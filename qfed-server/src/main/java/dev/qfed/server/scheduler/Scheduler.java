package dev.qfed.server.scheduler;

import dev.qfed.api.ErrorCode;
import dev.qfed.api.SubmitJobRequest;
import dev.qfed.server.ApiException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Places a job on a backend at admission. A named backend must exist and fit; {@code auto} asks the
 * {@link BackendChooser} among those that fit. Whether a backend is online does not decide fit: a job may queue
 * for a backend whose agent is away.
 */
public final class Scheduler {
    private final BackendChooser chooser;

    public Scheduler(BackendChooser chooser) {
        this.chooser = chooser;
    }

    /**
     * @param requested a backend name or {@link SubmitJobRequest#AUTO}
     * @throws ApiException {@code unknown-backend} or {@code no-fitting-backend}, saying why
     */
    public String place(String requested, JobNeeds needs, List<BackendCandidate> candidates) {
        if (!requested.equals(SubmitJobRequest.AUTO)) {
            BackendCandidate named = candidates.stream().filter(c -> c.name().equals(requested)).findFirst()
                    .orElseThrow(() -> ApiException.field(ErrorCode.UNKNOWN_BACKEND, "backend",
                            "there is no backend named '" + requested + "'; GET /v1/backends lists them, or use 'auto'"));
            misfit(needs, named).ifPresent(why -> {
                throw ApiException.field(ErrorCode.NO_FITTING_BACKEND, "backend",
                        "backend '" + requested + "' cannot run this job: " + why);
            });
            return requested;
        }
        List<BackendCandidate> fitting = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (BackendCandidate c : candidates) {
            Optional<String> why = misfit(needs, c);
            if (why.isEmpty()) {
                fitting.add(c);
            } else if (reasons.size() < 10) {
                reasons.add(c.name() + ": " + why.get());
            }
        }
        if (fitting.isEmpty()) {
            throw ApiException.field(ErrorCode.NO_FITTING_BACKEND, "backend", candidates.isEmpty()
                    ? "no backend is registered yet; start an agent, then submit again"
                    : "no backend can run this job (" + String.join("; ", reasons) + ")");
        }
        return chooser.choose(needs, List.copyOf(fitting)).orElseThrow(() -> ApiException.field(
                ErrorCode.NO_FITTING_BACKEND, "backend", "the scheduling policy refused every fitting backend"));
    }

    /** Why the backend cannot run the job, or empty if it can. */
    public static Optional<String> misfit(JobNeeds needs, BackendCandidate backend) {
        if (needs.numQubits() > backend.numQubits()) {
            return Optional.of("the job needs " + needs.numQubits() + " qubits, the backend has "
                    + backend.numQubits());
        }
        Set<String> missing = new TreeSet<>(needs.gates());
        missing.removeAll(backend.supportedGates());
        if (!missing.isEmpty()) {
            return Optional.of("gates " + missing + " are not supported (supported: "
                    + new TreeSet<>(backend.supportedGates()) + ")");
        }
        return Optional.empty();
    }
}
