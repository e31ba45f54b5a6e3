package dev.qfed.server.jobs;

import dev.qfed.api.AttemptFailure;
import dev.qfed.api.ErrorCode;
import dev.qfed.api.ExecutionMetadata;
import dev.qfed.api.Job;
import dev.qfed.api.JobHistory;
import dev.qfed.api.JobResult;
import dev.qfed.api.JobTransition;
import dev.qfed.api.JobEventType;
import dev.qfed.api.SubmitResultRequest;
import dev.qfed.api.WaitJobsRequest;
import dev.qfed.api.WaitJobsResponse;
import dev.qfed.server.ApiException;
import dev.qfed.server.identity.Principal;
import dev.qfed.server.signals.Signals;
import dev.qfed.server.store.Ids;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads of jobs that are not one job's row: waiting for any of many jobs to end ({@code POST /v1/jobs/wait}) and
 * a job's history ({@code GET /v1/jobs/{id}/events}).
 *
 * <p>The wait registers for every job's signal before it first looks, like the single-job result poll, so an end
 * between the look and the sleep is never missed; each look is one statement over all the ids (owner and state
 * only), and the full rows, failures and results are read once, for the jobs that are final, when answering.
 */
public final class JobWaits {
    private final Jdbi jdbi;
    private final JobStore jobs;
    private final Signals signals;
    private final Clock clock;
    private final int maxIds;

    public JobWaits(Jdbi jdbi, JobStore jobs, Signals signals, Clock clock, int maxIds) {
        this.jdbi = jdbi;
        this.jobs = jobs;
        this.signals = signals;
        this.clock = clock;
        this.maxIds = maxIds;
    }

    /**
     * Waits up to {@code wait} until at least one of the jobs is final or names no job the caller may read, and
     * sorts every id into done, pending and not found.
     */
    public WaitJobsResponse waitForAny(Principal caller, WaitJobsRequest request, Duration wait)
            throws InterruptedException {
        List<String> ids = validate(request.jobIds());
        Instant deadline = clock.instant().plus(wait);
        try (Signals.Waiter waiter = signals.register(ids.stream().map(Signals::job).toList())) {
            while (true) {
                Map<String, JobStore.JobBrief> seen = new HashMap<>();
                jdbi.useHandle(h -> jobs.briefs(h, ids).forEach(b -> seen.put(b.id(), b)));
                boolean answer = false;
                for (String id : ids) {
                    JobStore.JobBrief b = seen.get(id);
                    if (b == null || !JobAccess.canRead(caller, b.member()) || b.state().isFinal()) {
                        answer = true;
                        break;
                    }
                }
                Duration left = Duration.between(clock.instant(), deadline);
                if (answer || left.isNegative() || left.isZero()) {
                    return respond(caller, ids, seen, request.includeResults());
                }
                // Signals from other replicas may be lost; look again every second anyway.
                waiter.await(JobService.min(left, Duration.ofSeconds(1)));
            }
        }
    }

    private List<String> validate(List<String> ids) {
        if (ids.isEmpty()) {
            throw ApiException.field(ErrorCode.INVALID_REQUEST, "job_ids", "job_ids must name at least one job");
        }
        if (ids.size() > maxIds) {
            throw ApiException.field(ErrorCode.LIMIT_EXCEEDED, "job_ids", "one wait may name at most " + maxIds
                    + " jobs, this one names " + ids.size() + "; wait for the rest in another call");
        }
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (!Ids.looksLikeId(id)) {
                throw ApiException.field(ErrorCode.INVALID_REQUEST, "job_ids[" + i + "]", "job_ids[" + i + "] '"
                        + JobService.abbreviate(id) + "' is not a job id (36 characters, lower-case hex and dashes, "
                        + "as POST /v1/jobs returns)");
            }
            if (!distinct.add(id)) {
                throw ApiException.field(ErrorCode.INVALID_REQUEST, "job_ids[" + i + "]", "job " + id
                        + " is named twice in job_ids; name each job once");
            }
        }
        return ids;
    }

    private WaitJobsResponse respond(Principal caller, List<String> ids, Map<String, JobStore.JobBrief> seen,
                                     boolean includeResults) {
        List<String> pending = new ArrayList<>();
        List<String> notFound = new ArrayList<>();
        List<String> done = new ArrayList<>();
        for (String id : ids) {
            JobStore.JobBrief b = seen.get(id);
            if (b == null || !JobAccess.canRead(caller, b.member())) {
                notFound.add(id);
            } else if (b.state().isFinal()) {
                done.add(id);
            } else {
                pending.add(id);
            }
        }
        if (done.isEmpty()) {
            return new WaitJobsResponse(List.of(), pending, notFound);
        }
        List<JobResult> results = jdbi.withHandle(h -> {
            Map<String, JobRow> rows = new HashMap<>();
            jobs.findAny(h, done).forEach(r -> rows.put(r.id(), r));
            Map<String, List<AttemptFailure>> failures = jobs.failures(h, done.stream()
                    .filter(id -> JobStore.mayHaveFailures(rows.get(id))).toList());
            Map<String, JobStore.StoredResult> stored = includeResults
                    ? jobs.findResults(h, done.stream().filter(id -> rows.get(id).state() == JobState.COMPLETED)
                            .toList())
                    : Map.of();
            List<JobResult> out = new ArrayList<>(done.size());
            for (String id : done) {
                Job job = JobService.toApi(rows.get(id), failures.getOrDefault(id, List.of()), Optional.empty());
                JobStore.StoredResult s = stored.get(id);
                if (s == null) {
                    out.add(new JobResult(job, Optional.empty(), Optional.empty()));
                } else {
                    SubmitResultRequest body = JobService.readResult(s.body());
                    out.add(new JobResult(job, Optional.of(body.results()),
                            Optional.of(body.execution().orElse(ExecutionMetadata.EMPTY))));
                }
            }
            return out;
        });
        return new WaitJobsResponse(results, pending, notFound);
    }

    /** Every transition of a job the caller may read, oldest first. */
    public JobHistory history(Principal caller, String id) {
        return jdbi.withHandle(h -> {
            JobRow row = jobs.find(h, id).filter(r -> JobAccess.canRead(caller, r.member()))
                    .orElseThrow(() -> JobService.notVisible(caller, id));
            List<JobTransition> events = jobs.events(h, row.id()).stream()
                    .map(e -> new JobTransition(JobEventType.valueOf(e.event().name()),
                            e.from().map(JobState::toStatus), e.to().toStatus(), e.attempt(), e.reason(), e.at()))
                    .toList();
            return new JobHistory(row.id(), events);
        });
    }
}
