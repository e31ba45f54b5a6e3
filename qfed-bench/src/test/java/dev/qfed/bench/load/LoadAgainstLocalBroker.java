package dev.qfed.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qfed.sdk.QfedClient;
import dev.qfed.sdk.testing.EmulatingAgent;
import dev.qfed.sdk.testing.LocalBroker;

import java.time.Duration;

/**
 * Not a test: a manual run of the load generator against the broker in this process (H2 in a temporary
 * directory) with a test agent that answers over HTTP. Indicative only; the recorded figures come from
 * {@code qfed bench load} against {@code qfed dev} or a broker on PostgreSQL.
 *
 * <pre>
 * ./mvnw -q -pl qfed-bench -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp qfed-bench/target/test-classes:qfed-bench/target/classes:$(cat qfed-bench/target/cp.txt) \
 *     dev.qfed.bench.load.LoadAgainstLocalBroker JOBS CONCURRENCY RATE AGENT_WORKERS
 * </pre>
 */
public final class LoadAgainstLocalBroker {
    private LoadAgainstLocalBroker() {
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        double rate = args.length > 2 ? Double.parseDouble(args[2]) : 0;
        int workers = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        try (LocalBroker broker = LocalBroker.start();
             EmulatingAgent agent = EmulatingAgent.start(broker, "aurora", "load-site", workers,
                     EmulatingAgent.backend("load-emu-5", 5));
             QfedClient client = broker.client("aurora", "bench")) {
            LoadReport report = new LoadGenerator(client,
                    new LoadOptions(jobs, 0, concurrency, rate, 5, 100, "load-emu-5", Duration.ofMinutes(5)),
                    System.err::println).run();
            System.out.println(new ObjectMapper().writeValueAsString(report.toMap()));
        }
    }
}
