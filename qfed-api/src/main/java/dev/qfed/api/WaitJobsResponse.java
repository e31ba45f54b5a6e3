package dev.qfed.api;

import java.util.List;

/**
 * Answer of {@code POST /v1/jobs/wait}: every asked-for job is in exactly one of the three lists. The broker
 * answers as soon as {@code done} or {@code notFound} is not empty, or when the wait ran out (then only
 * {@code pending} has entries). A client holding a set of outstanding jobs removes {@code done} and
 * {@code notFound} from it and asks again with the rest.
 *
 * @param done     the jobs that are final, as {@link JobResult}s ({@code results} and {@code execution} only when
 *                 asked for and the job completed), in the order they were asked for
 * @param pending  ids of the jobs that are not final yet, in the order they were asked for
 * @param notFound ids that name no job the caller may see (no such job, or another member's), in the order they
 *                 were asked for; they never become final, so do not ask for them again
 */
public record WaitJobsResponse(List<JobResult> done, List<String> pending, List<String> notFound) {
    public WaitJobsResponse {
        done = Checks.list(done, "done");
        pending = Checks.list(pending, "pending");
        notFound = Checks.list(notFound, "not_found");
    }
}
