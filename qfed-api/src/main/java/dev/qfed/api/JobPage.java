package dev.qfed.api;

import java.util.List;
import java.util.Optional;

/**
 * One page of {@code GET /v1/jobs}, newest first.
 *
 * @param nextCursor pass as {@code cursor} to get the next page; absent on the last page
 */
public record JobPage(List<Job> jobs, Optional<String> nextCursor) {
    public JobPage {
        jobs = Checks.list(jobs, "jobs");
        nextCursor = Checks.optional(nextCursor);
    }
}
