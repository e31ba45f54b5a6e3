package dev.qfed.cli.agent;

import dev.qfed.agent.AgentRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code qfed agent --config site.yaml}: runs a member's site agent in the foreground ({@link AgentRunner}); SIGTERM
 * or Ctrl-C drains it (running jobs finish or are handed back) before the process exits.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Run a site agent: offer this member's backends to the broker and run the jobs it leases.",
        footer = {"", "The site file lists the broker, the agent's token and the backends;",
                "QFED_SERVER, QFED_TOKEN and QFED_TOKEN_FILE override it. See docs/agent.md",
                "and examples/site-aurora.yaml. SIGTERM or Ctrl-C drains the agent: it stops",
                "leasing and lets running jobs finish (drain_timeout).",
                "", "Exit codes: 0 stopped after a drain, 2 usage, 3 invalid site file or",
                "registration refused as invalid, 5 registration not allowed (the token is",
                "not an AGENT token of the member)."})
public final class AgentCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "SITE.yaml", required = true, description = "The site file.")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try (PrintStream stream = new PrintStream(new WriterStream(err), true, StandardCharsets.UTF_8)) {
            return AgentRunner.run(config, stream);
        }
    }

    /** Bytes printed by the runner, passed on to the command's error writer at each flush. */
    private static final class WriterStream extends OutputStream {
        private final PrintWriter writer;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        WriterStream(PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public synchronized void write(int b) {
            pending.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public synchronized void flush() {
            writer.print(pending.toString(StandardCharsets.UTF_8));
            writer.flush();
            pending.reset();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
