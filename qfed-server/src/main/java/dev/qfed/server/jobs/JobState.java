package dev.qfed.server.jobs;

import dev.qfed.api.JobStatus;

/** The states of {@link JobLifecycle}; stored by name in {@code jobs.state}. */
public enum JobState {
    QUEUED, ASSIGNED, RUNNING, CANCEL_REQUESTED, COMPLETED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** Whether an agent holds the job (it has a current lease). */
    public boolean isLeased() {
        return this == ASSIGNED || this == RUNNING || this == CANCEL_REQUESTED;
    }

    public JobStatus toStatus() {
        return JobStatus.valueOf(name());
    }

    public static JobState of(JobStatus status) {
        return valueOf(status.name());
    }
}
