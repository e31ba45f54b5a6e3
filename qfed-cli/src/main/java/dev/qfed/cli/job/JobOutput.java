package dev.qfed.cli.job;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qfed.api.ApiJson;
import dev.qfed.api.AttemptFailure;
import dev.qfed.api.CircuitResult;
import dev.qfed.api.ExecutionMetadata;
import dev.qfed.api.Job;
import dev.qfed.api.JobResult;
import dev.qfed.api.JobStatus;
import dev.qfed.cli.Tables;
import dev.qfed.cli.emulate.TextReport;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How jobs print. JSON is the API's own shape ({@code snake_case}, RFC 3339 times): a job is the {@code Job}
 * object; a result is the same object plus {@code results} (one {@code {"counts": …}} per circuit, in submission
 * order, when it completed) and {@code execution}.
 */
final class JobOutput {
    private JobOutput() {
    }

    static ObjectNode json(Job job) {
        return ApiJson.mapper().valueToTree(job);
    }

    static ObjectNode json(JobResult result) {
        ObjectNode json = json(result.job());
        result.results().ifPresent(r -> json.set("results", ApiJson.mapper().valueToTree(r)));
        result.execution().ifPresent(e -> json.set("execution", ApiJson.mapper().valueToTree(e)));
        return json;
    }

    static ObjectNode jsonList(List<Job> jobs) {
        ObjectNode json = ApiJson.mapper().createObjectNode();
        ArrayNode array = json.putArray("jobs");
        jobs.forEach(j -> array.add(json(j)));
        return json;
    }

    static void table(PrintWriter out, Job job) {
        Tables.row(out, "id", job.id());
        Tables.row(out, "status", job.status() + job.queuePosition().filter(p -> job.status() == JobStatus.QUEUED)
                .map(p -> p == 0 ? " (next in line)" : " (" + p + " ahead)").orElse(""));
        Tables.row(out, "backend", job.backend() + (job.backendRequested().equals(job.backend()) ? ""
                : " (requested " + job.backendRequested() + ")"));
        Tables.row(out, "member", job.member());
        Tables.row(out, "project", job.project());
        Tables.row(out, "user", job.user());
        Tables.row(out, "shots", job.shots() + " per circuit, " + job.circuitCount()
                + (job.circuitCount() == 1 ? " circuit" : " circuits"));
        if (!job.tags().isEmpty()) {
            Tables.row(out, "tags", tags(job.tags()));
        }
        Tables.row(out, "submitted", time(job.timings().submittedAt()));
        job.timings().assignedAt().ifPresent(t -> Tables.row(out, "assigned", time(t)));
        job.timings().startedAt().ifPresent(t -> Tables.row(out, "started", time(t)));
        job.timings().finishedAt().ifPresent(t -> Tables.row(out, "finished", time(t)));
        if (job.attempt() > 0) {
            Tables.row(out, "attempt", job.attempt() + " of " + job.maxAttempts());
        }
        for (AttemptFailure f : job.failures()) {
            Tables.row(out, "failure", "attempt " + f.attempt() + " at " + time(f.at()) + ": " + f.reason());
        }
    }

    /** The job, then a histogram of counts per circuit, with the circuit's name when it has one. */
    static void table(PrintWriter out, JobResult result) {
        table(out, result.job());
        result.execution().flatMap(ExecutionMetadata::seed).ifPresent(seed -> Tables.row(out, "seed",
                seed + " (--seed " + seed + " reproduces the counts on an emulator)"));
        Optional<List<CircuitResult>> results = result.results();
        if (results.isEmpty()) {
            return;
        }
        List<CircuitResult> list = results.get();
        for (int i = 0; i < list.size(); i++) {
            CircuitResult r = list.get(i);
            out.println();
            out.printf("circuit %d%s: %d shots%n", i, r.name().map(n -> " (" + n + ")").orElse(""), r.shots());
            TextReport.histogram(out, "outcome", r.counts().entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), (double) e.getValue())).toList(), Math.max(1, r.shots()), true);
        }
    }

    static void tableList(PrintWriter out, List<Job> jobs) {
        if (jobs.isEmpty()) {
            out.println("no jobs");
            return;
        }
        List<String[]> rows = new java.util.ArrayList<>();
        rows.add(new String[] {"ID", "STATUS", "BACKEND", "SHOTS", "CIRCUITS", "PROJECT", "SUBMITTED", "TAGS"});
        for (Job j : jobs) {
            rows.add(new String[] {j.id(), j.status().name(), j.backend(), Integer.toString(j.shots()),
                    Integer.toString(j.circuitCount()), j.project(), time(j.timings().submittedAt()), tags(j.tags())});
        }
        Tables.columns(out, rows);
    }

    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    static String tags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
