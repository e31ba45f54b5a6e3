package dev.qfed.cli.job;

import dev.qfed.api.ApiJson;
import dev.qfed.api.JobHistory;
import dev.qfed.api.JobTransition;
import dev.qfed.cli.ExitCode;
import dev.qfed.cli.Tables;
import dev.qfed.cli.connect.RemoteCommand;
import dev.qfed.sdk.QfedClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code qfed job events ID}: the job's history, oldest first. */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Print a job's history: every transition, oldest first.")
public final class EventsCommand extends RemoteCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
    String id;

    @Override
    public Integer call() {
        JobHistory history;
        try (QfedClient client = connection.client()) {
            history = client.events(name(id, "the job ID"));
        }
        if (json()) {
            out().println(ApiJson.write(history));
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"AT", "EVENT", "FROM", "TO", "ATTEMPT", "REASON"});
            for (JobTransition t : history.events()) {
                rows.add(new String[] {JobOutput.time(t.at()), t.event().name(),
                        t.from().map(Enum::name).orElse("-"), t.to().name(), Integer.toString(t.attempt()),
                        t.reason().orElse("")});
            }
            Tables.columns(out(), rows);
        }
        out().flush();
        return ExitCode.OK.code();
    }
}
