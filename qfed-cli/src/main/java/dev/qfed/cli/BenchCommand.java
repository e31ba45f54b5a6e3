package dev.qfed.cli;

import dev.qfed.bench.EmulatorBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code qfed bench …}: the benchmark suites of qfed-bench. */
@Command(name = "bench", description = "Run benchmarks.", subcommands = {EmulatorBenchCommand.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
