package dev.qfed.cli.connect;

import dev.qfed.cli.Environment;
import dev.qfed.cli.OutputFormat;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** A command that talks to the broker: {@code --server} and {@code --output table|json}. */
public abstract class RemoteCommand implements Callable<Integer>, OutputFormat.Selectable {

    @Mixin
    protected Connection connection;

    @Option(names = "--output", paramLabel = "table|json", defaultValue = "table",
            description = "table (default; also 'text') or json.")
    protected OutputFormat output;

    @CommandLine.Spec
    protected CommandLine.Model.CommandSpec spec;

    @Override
    public OutputFormat output() {
        return output;
    }

    protected boolean json() {
        return output == OutputFormat.JSON;
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** A job id or backend name from the command line: not blank. */
    protected static String name(String value, String what) {
        if (value == null || value.isBlank()) {
            throw dev.qfed.cli.CliException.usage(what + " must not be blank");
        }
        return value.strip();
    }

    protected Environment environment() {
        return connection.environment();
    }
}
