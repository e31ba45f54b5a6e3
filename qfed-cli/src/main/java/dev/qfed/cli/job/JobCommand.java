package dev.qfed.cli.job;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code qfed job …}: submit jobs to the broker and follow them. */
@Command(name = "job", mixinStandardHelpOptions = true,
        description = "Submit jobs to a QFed broker and follow them.",
        subcommands = {SubmitCommand.class, StatusCommand.class, ResultCommand.class, CancelCommand.class,
                ListCommand.class, WaitCommand.class, EventsCommand.class})
public final class JobCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "qfed job needs a subcommand: submit, status, result, cancel, list, wait or events");
    }
}
