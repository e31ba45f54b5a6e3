package dev.qfed.cli.backend;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qfed.api.ApiJson;
import dev.qfed.api.Backend;
import dev.qfed.cli.ExitCode;
import dev.qfed.cli.Tables;
import dev.qfed.cli.connect.RemoteCommand;
import dev.qfed.sdk.QfedClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** {@code qfed backend list|show NAME}: what the consortium can run on. */
@Command(name = "backend", mixinStandardHelpOptions = true,
        description = "The backends of the consortium: status, qubits, gates, queue.",
        subcommands = {BackendCommand.ListBackends.class, BackendCommand.Show.class})
public final class BackendCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "qfed backend needs a subcommand: list or show");
    }

    /** {@code qfed backend list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List every backend, by name.")
    public static final class ListBackends extends RemoteCommand {
        @Override
        public Integer call() {
            List<Backend> backends;
            try (QfedClient client = connection.client()) {
                backends = client.backends();
            }
            PrintWriter out = out();
            if (json()) {
                ObjectNode json = ApiJson.mapper().createObjectNode();
                ArrayNode array = json.putArray("backends");
                backends.forEach(b -> array.add(ApiJson.mapper().<ObjectNode>valueToTree(b)));
                out.println(json);
            } else if (backends.isEmpty()) {
                out.println("no backends (no site agent has registered one yet)");
            } else {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"NAME", "MEMBER", "STATUS", "QUBITS", "QUEUED", "RUNNING", "LAST SEEN"});
                for (Backend b : backends) {
                    rows.add(new String[] {b.name(), b.member(), b.status().name(), Integer.toString(b.numQubits()),
                            Long.toString(b.queueDepth()), Long.toString(b.runningJobs()),
                            b.lastSeenAt().map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString()).orElse("never")});
                }
                Tables.columns(out, rows);
            }
            out.flush();
            return ExitCode.OK.code();
        }
    }

    /** {@code qfed backend show NAME}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one backend.")
    public static final class Show extends RemoteCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The backend's name.")
        String name;

        @Override
        public Integer call() {
            Backend b;
            try (QfedClient client = connection.client()) {
                b = client.backend(RemoteCommand.name(name, "the backend NAME"));
            }
            PrintWriter out = out();
            if (json()) {
                out.println(ApiJson.mapper().<ObjectNode>valueToTree(b));
            } else {
                Tables.row(out, "name", b.name());
                Tables.row(out, "member", b.member());
                Tables.row(out, "status", b.status().name());
                Tables.row(out, "qubits", Integer.toString(b.numQubits()));
                Tables.row(out, "queued", Long.toString(b.queueDepth()));
                Tables.row(out, "running", Long.toString(b.runningJobs()));
                Tables.row(out, "last seen", b.lastSeenAt().map(t -> t.truncatedTo(ChronoUnit.MILLIS).toString())
                        .orElse("never"));
                Tables.row(out, "native", String.join(" ", b.nativeGates()));
                Tables.row(out, "gates", String.join(" ", b.supportedGates()));
                b.description().ifPresent(d -> Tables.row(out, "about", d));
            }
            out.flush();
            return ExitCode.OK.code();
        }
    }
}
