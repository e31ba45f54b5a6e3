package dev.qfed.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Body of {@code POST /v1/jobs}. Send an {@code Idempotency-Key} header to make retries safe: the same key with
 * the same body returns the job created first; the same key with a different body is refused (409).
 *
 * @param circuits one or more circuits, run with the same shots on the same backend
 * @param shots    shots per circuit (the server's limits say how many at most)
 * @param backend  a backend name, or {@code auto} (the default) to let the scheduler choose one that fits
 * @param project  the member's project to account the job to; {@code default} when absent
 * @param tags     free labels for finding the job again ({@code GET /v1/jobs?tag=k=v})
 * @param seed     the random seed, 0 to 2<sup>63</sup>−1, for backends that can reproduce a run (emulators): the same
 *                 seed, circuits and shots give the same counts. Without one the agent picks a seed (the same for
 *                 every attempt of the job) and the result's execution metadata reports it.
 */
public record SubmitJobRequest(@JsonProperty(required = true) List<CircuitSpec> circuits,
                               @JsonProperty(required = true) int shots,
                               Optional<String> backend, Optional<String> project, Map<String, String> tags,
                               Optional<Long> seed) {
    /** The backend name that asks the scheduler to choose. */
    public static final String AUTO = "auto";

    public SubmitJobRequest {
        circuits = Checks.list(Checks.present(circuits, "circuits"), "circuits");
        backend = Checks.optional(backend);
        project = Checks.optional(project);
        tags = Checks.map(tags, "tags");
        seed = Checks.optional(seed);
    }

    /** A request without a seed. */
    public SubmitJobRequest(List<CircuitSpec> circuits, int shots, Optional<String> backend, Optional<String> project,
                            Map<String, String> tags) {
        this(circuits, shots, backend, project, tags, Optional.empty());
    }

    /** This request with {@code seed}. */
    public SubmitJobRequest withSeed(long seed) {
        return new SubmitJobRequest(circuits, shots, backend, project, tags, Optional.of(seed));
    }

    /** A request on {@code auto}, in the default project, without tags. */
    public static SubmitJobRequest of(List<CircuitSpec> circuits, int shots) {
        return new SubmitJobRequest(circuits, shots, Optional.empty(), Optional.empty(), Map.of());
    }
}
