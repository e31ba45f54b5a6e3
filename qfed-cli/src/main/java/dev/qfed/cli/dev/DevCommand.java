package dev.qfed.cli.dev;

import dev.qfed.cli.server.Foreground;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code qfed dev [--port 8080] [--data-dir ./.qfed-dev]}: a whole consortium in one process
 * ({@link DevConsortium}), with the next steps printed for a newcomer. Ctrl-C stops it; started again on the same
 * data directory it finds its jobs and its dev key (so stored logins stay valid).
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = "Run a dev consortium in this process: a broker, three members and their emulated backends.",
        footer = {"", "Everything is kept under the data directory (the H2 database, the dev",
                "issuer's key): started again on it, the jobs and logins are still there.",
                "Not for production: anyone who can reach the port can mint a token for any",
                "member (POST /dev/token). Ctrl-C stops it."})
public final class DevCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "TCP port on 127.0.0.1 (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".qfed-dev",
            description = "Where the database and the dev key live (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (port < 0 || port > 65_535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be from 0 to 65535, got " + port);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.println("qfed dev: starting a broker and " + DevConsortium.MEMBERS.size() + " member sites under "
                + dataDir + " …");
        err.flush();
        DevConsortium consortium = DevConsortium.start(dataDir, port);
        out.print(nextSteps(consortium.port(), dataDir));
        out.flush();
        Foreground.runUntilStopped("qfed-dev-stop", () -> {
            err.println("qfed dev: stopping (agents drain, then the broker)…");
            err.flush();
            consortium.close();
            err.println("qfed dev: stopped; state is kept in " + dataDir);
            err.flush();
        });
        return 0;
    }

    /** What a newcomer reads once the consortium is up. */
    static String nextSteps(int port, Path dataDir) {
        String url = "http://localhost:" + port;
        StringBuilder s = new StringBuilder();
        s.append("\nQFed dev consortium running at ").append(url).append("   (data in ").append(dataDir)
                .append("; Ctrl-C stops it)\n\n");
        s.append(String.format("  %-10s %-14s %-20s %7s  %s%n", "MEMBER", "REGION", "BACKEND", "QUBITS", "DEVICE"));
        for (DevConsortium.Member m : DevConsortium.MEMBERS) {
            s.append(String.format("  %-10s %-14s %-20s %7d  %s%n", m.name(), m.region(), m.backend(), m.qubits(),
                    m.device()));
        }
        s.append("\nNext steps, in another terminal:\n");
        s.append("  ./qfed login --dev --server ").append(url).append(" --member aurora --user alice\n");
        s.append("  ./qfed job submit examples/bell.qasm --shots 1000 --backend auto --wait\n");
        s.append("  ./qfed backend list\n");
        s.append("  ./qfed job list\n\n");
        s.append("A token for scripts and curl: POST ").append(url)
                .append("/dev/token with {\"member\": \"aurora\", \"user\": \"alice\"}; keys at ").append(url)
                .append("/dev/jwks.json.\n");
        return s.toString();
    }
}
