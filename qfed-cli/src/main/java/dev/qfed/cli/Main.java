package dev.qfed.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qfed.circuit.qasm.QasmException;
import dev.qfed.cli.emulate.RunCommand;
import dev.qfed.cli.emulate.SimulateCommand;
import dev.qfed.emulator.EmulatorException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code qfed} command and the composition root of the CLI role: registers every subcommand and turns every
 * failure into one message and an {@link ExitCode}.
 */
@Command(name = "qfed", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "QFed: run OpenQASM circuits on an exact, noise-aware emulator (and, soon, on a consortium's backends).",
        subcommands = {RunCommand.class, SimulateCommand.class, VersionCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:internal error", "2:usage error", "3:invalid input (circuit, noise model)",
                "4:resource limit exceeded"})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line with the given streams and returns its exit code (tests call this directly). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, arguments) -> {
            err.println("qfed: " + ex.getMessage());
            err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCode.USAGE.code();
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            CliException failure = translate(ex);
            if (failure.exitCode() == ExitCode.INTERNAL) {
                StringWriter trace = new StringWriter();
                ex.printStackTrace(new PrintWriter(trace));
                err.print(trace);
            }
            err.println(failure.getMessage().startsWith("qfed:") ? failure.getMessage() : "qfed: " + failure.getMessage());
            if (commandLine.getCommand() instanceof OutputFormat.Selectable s && s.output() == OutputFormat.JSON) {
                out.println(errorJson(failure, ex));
            }
            err.flush();
            out.flush();
            return failure.exitCode().code();
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The one place where exceptions of the libraries become exit codes. */
    static CliException translate(Exception ex) {
        return switch (ex) {
            case CliException c -> c;
            case QasmException q -> new CliException(
                    q.kind() == QasmException.Kind.LIMIT ? ExitCode.LIMIT : ExitCode.INVALID_INPUT,
                    switch (q.kind()) {
                        case SYNTAX -> "qasm-syntax";
                        case SEMANTIC -> "qasm-semantic";
                        case UNSUPPORTED -> "qasm-unsupported";
                        case LIMIT -> "qasm-limit";
                    }, q.getMessage());
            case EmulatorException e -> new CliException(
                    e.kind() == EmulatorException.Kind.RESOURCE_LIMIT ? ExitCode.LIMIT : ExitCode.INVALID_INPUT,
                    e.kind() == EmulatorException.Kind.RESOURCE_LIMIT ? "resource-limit" : "invalid-circuit",
                    e.getMessage());
            default -> new CliException(ExitCode.INTERNAL, "internal", "internal error: " + ex
                    + " (please report this with the command that caused it)");
        };
    }

    private static String errorJson(CliException failure, Exception cause) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", failure.type());
        error.put("exit_code", failure.exitCode().code());
        error.put("message", failure.getMessage());
        if (cause instanceof QasmException q) {
            error.put("file", q.diagnostic().file());
            error.put("line", q.diagnostic().line());
            error.put("column", q.diagnostic().column());
            error.put("detail", q.diagnostic().message());
        }
        try {
            return new ObjectMapper().writeValueAsString(Map.of("error", error));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
