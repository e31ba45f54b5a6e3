package dev.qfed.cli;

import dev.qfed.bench.EmulatorBenchCommand;
import dev.qfed.bench.load.LoadBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code qfed bench …}: benchmarks that measure QFed itself. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: the emulator (kernels, fusion, bandwidth) and the broker under load.",
        subcommands = {EmulatorBenchCommand.class, LoadBenchCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "qfed bench needs a subcommand, e.g. load");
    }
}
