package dev.qfed.cli.job;

import dev.qfed.api.JobResult;
import dev.qfed.cli.ExitCode;
import dev.qfed.cli.connect.RemoteCommand;
import dev.qfed.sdk.ProgressListener;
import dev.qfed.sdk.QfedClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;


/** {@code qfed job result ID [--wait]}: the counts of a completed job. */
@Command(name = "result", mixinStandardHelpOptions = true,
        description = "Print a job and, once it completed, the counts of each circuit.",
        footer = {"", "Without --wait a job that is not final yet prints without results."})
public final class ResultCommand extends RemoteCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
    String id;

    @Option(names = "--wait", description = "Wait until the job is final.")
    boolean wait;

    @Override
    public Integer call() {
        JobResult result;
        try (QfedClient client = connection.client()) {
            if (wait) {
                ProgressListener progress = Progress.on(environment(), err());
                try {
                    result = client.awaitResult(name(id, "the job ID"), SubmitCommand.FOREVER, progress);
                } finally {
                    Progress.finish(progress);
                }
            } else {
                result = client.result(name(id, "the job ID"));
            }
        }
        if (json()) {
            out().println(JobOutput.json(result));
        } else {
            JobOutput.table(out(), result);
        }
        out().flush();
        return ExitCode.OK.code();
    }
}
