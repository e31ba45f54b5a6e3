package dev.qfed.sdk;

import dev.qfed.api.Backend;
import dev.qfed.api.CircuitSpec;
import dev.qfed.api.Job;
import dev.qfed.api.JobHistory;
import dev.qfed.api.JobResult;
import dev.qfed.api.JobStatus;
import dev.qfed.api.SubmitJobRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The examples of {@code docs/sdk.md}, compiled and run by {@link SdkGuideIT}; that test also checks that the
 * guide quotes each region exactly.
 */
final class Snippets {
    private Snippets() {
    }

    static Map<String, Long> submitAndWait(String serverUrl, String token, String qasm) {
        // @start region=submit
        try (QfedClient qfed = QfedClient.builder()
                .server(serverUrl)                       // e.g. http://127.0.0.1:8080
                .token(token)                            // a JWT, e.g. from `qfed login` or $QFED_TOKEN
                .build()) {
            SubmitJobRequest request = new SubmitJobRequest(
                    List.of(CircuitSpec.of(qasm)),       // one or more OpenQASM 2.0/3 circuits
                    1000,                                // shots per circuit
                    Optional.of("auto"),                 // or a backend name
                    Optional.empty(),                    // project: "default"
                    Map.of("experiment", "bell"));       // tags, to find the job again
            Job job = qfed.submit(request);              // retried safely: one Idempotency-Key per submit
            JobResult done = qfed.awaitResult(job.id(), Duration.ofMinutes(10),
                    j -> System.err.println(j.id() + " " + j.status()));
            if (done.job().status() != JobStatus.COMPLETED) {
                throw new IllegalStateException(done.job().id() + " ended " + done.job().status()
                        + ": " + done.job().failures());
            }
            return done.results().orElseThrow().get(0).counts();   // {"00": 503, "11": 497}
        }
        // @end
    }

    static String describe(QfedClient qfed, SubmitJobRequest request) {
        // @start region=errors
        try {
            return "submitted " + qfed.submit(request).id();
        } catch (InvalidInputException e) {                // 400/422: fix the request
            return e.line().map(l -> "circuit " + e.circuit().orElse(0) + ", line " + l + ", column "
                    + e.column().orElse(0) + ": ").orElse("") + e.getMessage();
        } catch (LimitExceededException e) {               // too many shots, circuits or bytes
            return "too big: " + e.getMessage();
        } catch (NotFoundException | ForbiddenException | UnauthenticatedException e) {
            return "not allowed: " + e.getMessage();
        } catch (ConflictException e) {                    // e.g. an idempotency key reused for another job
            return "conflict: " + e.code();
        } catch (UnavailableException | ServerUnreachableException e) {   // retries were exhausted
            return "try again later: " + e.getMessage();
        } catch (ServerErrorException e) {
            return "server bug: " + e.problem().instance().orElse("?");
        }
        // @end
    }

    static long listCompleted(QfedClient qfed) {
        // @start region=list
        long completed = qfed.listAll(JobQuery.builder()
                        .status(JobStatus.COMPLETED)
                        .tag("experiment", "bell")
                        .pageSize(100)
                        .build())                        // pages are fetched as the stream is consumed
                .limit(1000)
                .count();
        List<Backend> backends = qfed.backends();        // name, member, status, qubits, queue depth
        // @end
        return completed;
    }

    static QfedClient tuned(String serverUrl) {
        // @start region=builder
        QfedClient qfed = QfedClient.builder()
                .server(serverUrl)
                .tokenSupplier(() -> Optional.ofNullable(System.getenv("QFED_TOKEN")))  // asked before every request
                .connectTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(10))                     // plus the wait of a long poll
                .retryPolicy(new RetryPolicy(8, Duration.ofMillis(200), Duration.ofSeconds(10), 2.0))
                .build();
        // @end
        return qfed;
    }

    static List<JobResult> sweep(QfedClient qfed, List<SubmitJobRequest> points) {
        // @start region=many
        List<String> ids = new ArrayList<>();
        for (SubmitJobRequest point : points) {
            ids.add(qfed.submit(point).id());
        }
        List<JobResult> all = qfed.awaitAll(ids, Duration.ofMinutes(30));   // in the order of ids, with counts
        qfed.completions(ids, Duration.ofMinutes(30))                       // or each one as it ends
                .forEach(r -> System.err.println(r.job().id() + " " + r.job().status()));
        JobHistory history = qfed.events(ids.get(0));                      // every transition, oldest first
        // @end
        assert history.events().size() >= 2;
        return all;
    }
}
