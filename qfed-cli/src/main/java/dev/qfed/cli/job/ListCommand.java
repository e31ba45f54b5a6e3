package dev.qfed.cli.job;

import dev.qfed.api.Job;
import dev.qfed.api.JobStatus;
import dev.qfed.cli.CliException;
import dev.qfed.cli.ExitCode;
import dev.qfed.cli.connect.KeyValues;
import dev.qfed.cli.connect.RemoteCommand;
import dev.qfed.sdk.JobQuery;
import dev.qfed.sdk.QfedClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@code qfed job list [--status S] [--tag k=v] [--project P] [--limit N]}: the member's jobs, newest first. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List your member's jobs (an operator's: any member's), newest first.")
public final class ListCommand extends RemoteCommand {
    static final int MAX_LIMIT = 10_000;

    @Option(names = "--status", paramLabel = "S", split = ",",
            description = "Only jobs in these states (comma-separated or repeated): QUEUED, ASSIGNED, RUNNING, "
                    + "CANCEL_REQUESTED, COMPLETED, FAILED, CANCELLED.")
    List<String> statuses = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "Only jobs with this tag; repeat to require several.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--project", paramLabel = "P", description = "Only jobs of this project.")
    String project;

    @Option(names = "--backend", paramLabel = "NAME", description = "Only jobs on this backend.")
    String backend;

    @Option(names = "--member", paramLabel = "M",
            description = "Only jobs of this member (operators: any member; without it they list every member's).")
    String member;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N jobs (default 50).")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw CliException.usage("--limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        JobQuery.Builder query = JobQuery.builder().pageSize(Math.min(limit, JobQuery.MAX_PAGE_SIZE));
        for (String s : statuses) {
            query.status(status(s));
        }
        KeyValues.text("--tag", tags).forEach(query::tag);
        if (project != null) {
            query.project(project);
        }
        if (backend != null) {
            query.backend(backend);
        }
        if (member != null) {
            query.member(member);
        }
        List<Job> jobs;
        try (QfedClient client = connection.client()) {
            jobs = client.listAll(query.build()).limit(limit).toList();
        }
        if (json()) {
            out().println(JobOutput.jsonList(jobs));
        } else {
            JobOutput.tableList(out(), jobs);
        }
        out().flush();
        return ExitCode.OK.code();
    }

    private static JobStatus status(String text) {
        try {
            return JobStatus.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--status " + text + " is not a job state; use one of "
                    + Arrays.stream(JobStatus.values()).map(Enum::name).collect(Collectors.joining(", ")));
        }
    }
}
