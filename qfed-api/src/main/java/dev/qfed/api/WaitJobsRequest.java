package dev.qfed.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Body of {@code POST /v1/jobs/wait}: the jobs to wait for, at least one of them to become final.
 *
 * @param jobIds         the ids of the jobs, 1 to the broker's limit (1,000 by default), each at most once
 * @param includeResults whether each final job comes with its results (counts and execution metadata) when it
 *                       completed; false sends the jobs only
 */
public record WaitJobsRequest(@JsonProperty(required = true) List<String> jobIds, boolean includeResults) {
    public WaitJobsRequest {
        jobIds = Checks.list(jobIds, "job_ids");
    }

    /** Waits for these jobs without their results. */
    public static WaitJobsRequest of(List<String> jobIds) {
        return new WaitJobsRequest(jobIds, false);
    }
}
