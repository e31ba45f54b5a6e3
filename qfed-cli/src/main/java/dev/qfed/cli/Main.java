package dev.qfed.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qfed.circuit.qasm.QasmException;
import dev.qfed.cli.agent.AgentCommand;
import dev.qfed.cli.backend.BackendCommand;
import dev.qfed.cli.connect.LoginCommand;
import dev.qfed.cli.dev.DevCommand;
import dev.qfed.cli.emulate.RunCommand;
import dev.qfed.cli.emulate.SimulateCommand;
import dev.qfed.cli.job.JobCommand;
import dev.qfed.cli.server.DatabaseUnavailableException;
import dev.qfed.cli.server.InvalidServerConfigException;
import dev.qfed.cli.server.PortInUseException;
import dev.qfed.cli.server.ServerCommand;
import dev.qfed.emulator.EmulatorException;
import dev.qfed.sdk.ConflictException;
import dev.qfed.sdk.ForbiddenException;
import dev.qfed.sdk.InvalidInputException;
import dev.qfed.sdk.LimitExceededException;
import dev.qfed.sdk.NotFoundException;
import dev.qfed.sdk.ProblemException;
import dev.qfed.sdk.ServerErrorException;
import dev.qfed.sdk.ServerUnreachableException;
import dev.qfed.sdk.UnauthenticatedException;
import dev.qfed.sdk.UnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code qfed} command and the composition root of the CLI role: registers the subcommands and turns every
 * failure into one message and an {@link ExitCode}.
 */
@Command(name = "qfed", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "QFed: run OpenQASM circuits on an exact, noise-aware emulator, or on a consortium's backends.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:internal error", "2:usage error", "3:invalid input (circuit, noise model, request)",
                "4:limit exceeded", "5:not found or not allowed", "6:server unreachable"})
public final class Main implements Runnable {

    /** Every subcommand, in the order help lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(RunCommand.class, SimulateCommand.class,
            LoginCommand.class, JobCommand.class, BackendCommand.class, DevCommand.class, ServerCommand.class,
            AgentCommand.class, BenchCommand.class, VersionCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Environment environment;

    private Main(Environment environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line with the given streams and returns its exit code (tests call this directly). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return execute(Environment.system(), out, err, args);
    }

    /** Runs one command line in the given environment (variables, home, terminal) instead of the process's. */
    public static int execute(Environment environment, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main(environment));
        // picocli builds the model of every registered command up front (~0.1 s of reflection for all of them, a
        // third of a small `qfed run`): a line that names its subcommand gets only that one; help, version, typos
        // and a bare `qfed` get them all (settings below reach the subcommands registered by then)
        for (Class<?> command : subcommandsFor(args)) {
            cli.addSubcommand(command);
        }
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.registerConverter(OutputFormat.class, OutputFormat::parse);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, arguments) -> {
            err.println("qfed: " + ex.getMessage());
            err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCode.USAGE.code();
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            CliException failure = translate(ex);
            if (failure.exitCode() == ExitCode.INTERNAL && !(ex instanceof ServerErrorException)) {
                StringWriter trace = new StringWriter();
                ex.printStackTrace(new PrintWriter(trace));
                err.print(trace);
            }
            List<String> files = commandLine.getCommand() instanceof CircuitFiles c ? c.circuitFiles() : List.of();
            String message = where(ex, files).map(w -> w + ": " + failure.getMessage()).orElse(failure.getMessage());
            err.println(message.startsWith("qfed:") ? message : "qfed: " + message);
            if (commandLine.getCommand() instanceof OutputFormat.Selectable s && s.output() == OutputFormat.JSON) {
                out.println(errorJson(failure, ex, files));
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

    /** The one subcommand {@code args} names, or all of them (for help, options, typos, nothing). */
    static List<Class<?>> subcommandsFor(String... args) {
        if (args.length > 0) {
            for (Class<?> command : SUBCOMMANDS) {
                if (command != CommandLine.HelpCommand.class // help names another subcommand
                        && command.getAnnotation(Command.class).name().equals(args[0])) {
                    return List.of(command);
                }
            }
        }
        return SUBCOMMANDS;
    }

    /** The environment a command runs in, from its place under the root command. */
    public static Environment environment(CommandLine.Model.CommandSpec spec) {
        return spec.root().userObject() instanceof Main main ? main.environment : Environment.system();
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
            case InvalidServerConfigException i -> new CliException(ExitCode.INVALID_INPUT, "invalid-config",
                    i.getMessage());
            case PortInUseException p -> new CliException(ExitCode.USAGE, "port-in-use", p.getMessage());
            case DatabaseUnavailableException d -> switch (d.reason()) {
                case IN_USE -> new CliException(ExitCode.USAGE, "database-in-use", d.getMessage());
                case UNREACHABLE -> new CliException(ExitCode.UNREACHABLE, "database-unreachable", d.getMessage());
            };
            case ServerUnreachableException u -> new CliException(ExitCode.UNREACHABLE, "server-unreachable",
                    u.getMessage() + " (--server, QFED_SERVER or 'qfed login' set the URL)");
            case UnavailableException u -> new CliException(ExitCode.UNREACHABLE, u.code(),
                    "the server is unavailable: " + u.getMessage() + " (HTTP " + u.status() + "); try again later");
            case UnauthenticatedException u -> new CliException(ExitCode.NOT_FOUND_OR_NOT_ALLOWED, u.code(),
                    u.getMessage() + " (log in again with 'qfed login', or set QFED_TOKEN)");
            case NotFoundException n -> new CliException(ExitCode.NOT_FOUND_OR_NOT_ALLOWED, n.code(), n.getMessage());
            case ForbiddenException f -> new CliException(ExitCode.NOT_FOUND_OR_NOT_ALLOWED, f.code(), f.getMessage());
            case InvalidInputException i -> new CliException(ExitCode.INVALID_INPUT, i.code(), i.getMessage());
            case ConflictException c -> new CliException(ExitCode.INVALID_INPUT, c.code(), c.getMessage());
            case LimitExceededException l -> new CliException(ExitCode.LIMIT, l.code(), l.getMessage());
            case ServerErrorException s -> new CliException(ExitCode.INTERNAL, s.code(), "the server failed: "
                    + s.getMessage() + s.problem().instance().map(i -> " (report it with instance " + i + ")").orElse(""));
            default -> new CliException(ExitCode.INTERNAL, "internal", "internal error: " + ex
                    + " (please report this with the command that caused it)");
        };
    }

    /** For a server's OpenQASM error: {@code file:line:column} (the file of the circuit at fault, when known). */
    private static java.util.Optional<String> where(Exception ex, List<String> files) {
        if (ex instanceof InvalidInputException i && i.line().isPresent()) {
            int circuit = i.circuit().orElse(0);
            String file = circuit < files.size() ? files.get(circuit) : "circuit " + circuit;
            return java.util.Optional.of(file + ":" + i.line().get() + i.column().map(c -> ":" + c).orElse(""));
        }
        return java.util.Optional.empty();
    }

    private static String errorJson(CliException failure, Exception cause, List<String> files) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", failure.type());
        error.put("exit_code", failure.exitCode().code());
        error.put("message", failure.getMessage());
        if (cause instanceof ProblemException p) {
            error.put("status", p.status());
            error.put("detail", p.getMessage());
            p.field().ifPresent(f -> error.put("field", f));
        }
        if (cause instanceof InvalidInputException i) {
            i.circuit().ifPresent(c -> {
                error.put("circuit", c);
                if (c < files.size()) {
                    error.put("file", files.get(c));
                }
            });
            i.line().ifPresent(l -> error.put("line", l));
            i.column().ifPresent(c -> error.put("column", c));
        }
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
