package dev.qfed.cli.job;

import dev.qfed.api.Job;
import dev.qfed.cli.ExitCode;
import dev.qfed.cli.connect.RemoteCommand;
import dev.qfed.sdk.QfedClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code qfed job status ID}: the job's state, queue position and timings. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Print a job: status, queue position, backend, timings.")
public final class StatusCommand extends RemoteCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
    String id;

    @Override
    public Integer call() {
        try (QfedClient client = connection.client()) {
            Job job = client.get(name(id, "the job ID"));
            if (json()) {
                out().println(JobOutput.json(job));
            } else {
                JobOutput.table(out(), job);
            }
        }
        out().flush();
        return ExitCode.OK.code();
    }
}
