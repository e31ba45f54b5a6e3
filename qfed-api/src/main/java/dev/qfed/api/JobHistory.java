package dev.qfed.api;

import java.util.List;

/**
 * Body of {@code GET /v1/jobs/{id}/events}: every transition of the job, oldest first.
 */
public record JobHistory(String jobId, List<JobTransition> events) {
    public JobHistory {
        jobId = Checks.text(jobId, "job_id");
        events = Checks.list(events, "events");
    }
}
