package dev.qfed.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qfed.api.DevTokenRequest;
import dev.qfed.sdk.QfedClient;
import dev.qfed.sdk.RetryPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code qfed bench load --server URL [--jobs N] [--warmup N] [--concurrency C] [--rate R] [--token T]
 * --output json}: submits small jobs to a running broker with agents, waits for all of them and reports throughput,
 * latencies and lost or duplicated jobs, after an unmeasured warm-up of the same shape.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Put a running broker (with agents) under load and report jobs/s, latencies, lost and duplicated jobs.",
        footer = {"", "Each job is a GHZ circuit (--qubits, default 5) with --shots (default 100) on --backend (default auto),",
                "tagged bench_run=RUN and bench_seq=N. Without --token, QFED_TOKEN is used, else a dev broker's",
                "POST /dev/token is asked for a token of --member. The run stops by itself: after --jobs submits,",
                "and at --timeout at the latest (jobs not final by then are reported as lost); a --warmup run",
                "of its own, not measured, comes first with the same bound.",
                "Latencies: submit = client time of POST /v1/jobs; assign = queued -> assigned, from the timings the",
                "server reports; e2e = submit sent -> job seen final by the client (multi-job waits, POST /v1/jobs/wait)."})
public final class LoadBenchCommand implements Callable<Integer> {

    @Option(names = "--server", paramLabel = "URL", required = true, description = "The broker, e.g. http://127.0.0.1:8080.")
    String server;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "1000", description = "Jobs to submit (default 1000).")
    int jobs;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "500",
            description = "Jobs submitted first, at the same rate and concurrency, and not measured, so that the "
                    + "client's own start is not counted (default 500; 0 for none).")
    int warmup;

    @Option(names = "--concurrency", paramLabel = "C", defaultValue = "32",
            description = "Submits in flight at once (default 32); one follower waits for every job.")
    int concurrency;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "0",
            description = "Target submits per second; 0 (default) submits as fast as --concurrency allows.")
    double rate;

    @Option(names = "--token", paramLabel = "T", description = "Bearer token (default: $QFED_TOKEN, else a dev token).")
    String token;

    @Option(names = "--member", paramLabel = "M", defaultValue = "aurora",
            description = "Member of the dev token asked for when there is no token (default aurora).")
    String member;

    @Option(names = "--backend", paramLabel = "NAME|auto", defaultValue = "auto", description = "Backend (default auto).")
    String backend;

    @Option(names = "--qubits", paramLabel = "Q", defaultValue = "5", description = "Qubits of each job's circuit (default 5).")
    int qubits;

    @Option(names = "--shots", paramLabel = "S", defaultValue = "100", description = "Shots per job (default 100).")
    int shots;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "Bound of the measured run in seconds, and of the warm-up's (default 300).")
    double timeoutSeconds;

    @Option(names = "--output", paramLabel = "table|json", defaultValue = "table", description = "table (default; also text) or json.")
    String output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String format = output.strip().toLowerCase(Locale.ROOT);
        if (!List.of("table", "text", "json").contains(format)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--output: expected table (or text) or json, got '" + output + "'");
        }
        LoadOptions options;
        try {
            if (!(timeoutSeconds > 0) || timeoutSeconds > 86_400) {
                throw new IllegalArgumentException("--timeout must be between 0 and 86400 seconds, got "
                        + timeoutSeconds);
            }
            options = new LoadOptions(jobs, warmup, concurrency, rate, qubits, shots, backend,
                    Duration.ofMillis((long) (timeoutSeconds * 1000)));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        QfedClient.Builder builder;
        try {
            builder = QfedClient.builder().server(server).retryPolicy(RetryPolicy.defaults())
                    .requestTimeout(Duration.ofSeconds(30));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--server: " + e.getMessage());
        }
        String bearer = Optional.ofNullable(token).filter(t -> !t.isBlank())
                .or(() -> Optional.ofNullable(System.getenv("QFED_TOKEN")).filter(t -> !t.isBlank()))
                .orElseGet(() -> {
                    try (QfedClient anonymous = builder.build()) {
                        return anonymous.devToken(new DevTokenRequest(member, "bench", List.of(), Optional.empty()))
                                .token();
                    }
                });
        LoadReport report;
        try (QfedClient client = builder.token(bearer).build()) {
            err.printf("qfed bench load: %d jobs, concurrency %d, %s against %s%n", options.jobs(),
                    options.concurrency(), options.rate() > 0 ? options.rate() + " jobs/s" : "as fast as possible",
                    client.server());
            err.flush();
            report = new LoadGenerator(client, options, line -> {
                err.println("qfed bench load: " + line);
                err.flush();
            }).run();
        }
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> map = report.toMap();
        if (format.equals("json")) {
            out.println(new ObjectMapper().writeValueAsString(map));
        } else {
            map.forEach((k, v) -> out.printf("%-16s %s%n", k, v));
        }
        out.flush();
        return 0;
    }
}
