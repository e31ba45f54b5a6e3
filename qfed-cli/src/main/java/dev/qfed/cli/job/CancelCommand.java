package dev.qfed.cli.job;

import dev.qfed.api.Job;
import dev.qfed.cli.ExitCode;
import dev.qfed.cli.connect.RemoteCommand;
import dev.qfed.sdk.QfedClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code qfed job cancel ID}. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel a job: at once when queued, else the agent running it is told to stop.",
        footer = {"", "Prints the job after the request: CANCELLED, or CANCEL_REQUESTED while its agent stops it.",
                "A completed or failed job cannot be cancelled (exit 3)."})
public final class CancelCommand extends RemoteCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
    String id;

    @Override
    public Integer call() {
        try (QfedClient client = connection.client()) {
            Job job = client.cancel(name(id, "the job ID"));
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
