package dev.qfed.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job as its submitter sees it.
 *
 * @param backend          the backend the job runs on (chosen at admission when {@code backend_requested} is
 *                         {@code auto})
 * @param circuitCount     how many circuits the job has
 * @param queuePosition    while {@link JobStatus#QUEUED}: how many jobs on the same backend are ahead (0 = next);
 *                         only a read of the one job ({@code GET /v1/jobs/{id}}) sets it
 * @param attempt          the current or last attempt (0 before the first lease)
 * @param maxAttempts      after this many failed attempts the job is {@link JobStatus#FAILED}
 * @param failures         why earlier attempts ended without a result, oldest first
 */
public record Job(String id, String member, String project, String user, JobStatus status, String backend,
                  String backendRequested, int shots, int circuitCount, Map<String, String> tags,
                  Optional<Long> queuePosition, int attempt, int maxAttempts, JobTimings timings,
                  List<AttemptFailure> failures) {
    public Job {
        id = Checks.text(id, "id");
        member = Checks.text(member, "member");
        project = Checks.text(project, "project");
        user = Checks.text(user, "user");
        status = Checks.present(status, "status");
        backend = Checks.text(backend, "backend");
        backendRequested = Checks.text(backendRequested, "backend_requested");
        tags = Checks.map(tags, "tags");
        queuePosition = Checks.optional(queuePosition);
        timings = Checks.present(timings, "timings");
        failures = Checks.list(failures, "failures");
    }
}
