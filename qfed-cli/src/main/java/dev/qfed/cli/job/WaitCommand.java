package dev.qfed.cli.job;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qfed.api.ApiJson;
import dev.qfed.api.JobResult;
import dev.qfed.cli.CliException;
import dev.qfed.cli.ExitCode;
import dev.qfed.cli.connect.RemoteCommand;
import dev.qfed.sdk.AwaitTimeoutException;
import dev.qfed.sdk.QfedClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** {@code qfed job wait ID… [--timeout SECONDS]}: waits until every job is final, then prints them. */
@Command(name = "wait", mixinStandardHelpOptions = true,
        description = "Wait until every job given is final, then print them (with counts when completed).",
        footer = {"", "Waits with multi-job long polls (POST /v1/jobs/wait). When --timeout runs out first, the jobs",
                "print as they are then (status says which are not final); the exit code is 0 either way."})
public final class WaitCommand extends RemoteCommand {
    @Parameters(index = "0..*", arity = "1..*", paramLabel = "ID", description = "The job ids.")
    List<String> ids = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up after this many seconds (default: wait as long as it takes).")
    Double timeoutSeconds;

    @Override
    public Integer call() {
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (String id : ids) {
            distinct.add(name(id, "a job ID"));
        }
        Duration timeout = SubmitCommand.FOREVER;
        if (timeoutSeconds != null) {
            if (!(timeoutSeconds >= 0) || timeoutSeconds > 86_400 * 365.0) {
                throw CliException.usage("--timeout must be a number of seconds from 0 to a year, got " + timeoutSeconds);
            }
            timeout = Duration.ofMillis((long) (timeoutSeconds * 1000));
        }
        List<String> order = List.copyOf(distinct);
        List<JobResult> results;
        try (QfedClient client = connection.client()) {
            try {
                results = client.awaitAll(order, timeout);
            } catch (AwaitTimeoutException e) {
                Map<String, JobResult> byId = new HashMap<>();
                e.done().forEach(r -> byId.put(r.job().id(), r));
                results = new ArrayList<>();
                for (String id : order) {
                    JobResult r = byId.get(id);
                    results.add(r != null ? r : client.result(id));
                }
            }
        }
        if (json()) {
            ObjectNode json = ApiJson.mapper().createObjectNode();
            ArrayNode array = json.putArray("jobs");
            results.forEach(r -> array.add(JobOutput.json(r)));
            out().println(json);
        } else {
            JobOutput.tableList(out(), results.stream().map(JobResult::job).toList());
        }
        out().flush();
        return ExitCode.OK.code();
    }
}
