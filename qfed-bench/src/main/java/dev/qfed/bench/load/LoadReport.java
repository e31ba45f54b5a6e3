package dev.qfed.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a load run measured. Latencies are in milliseconds; {@code assign} (queued → assigned) comes from the
 * timings the server reports for each job; {@code submit} is the client's time for {@code POST /v1/jobs} including
 * retries; {@code e2e} is the client's time from sending the submit to seeing the job final (through a multi-job
 * wait, so it includes up to {@link LoadGenerator#LINGER} of observation delay).
 *
 * @param submitted     submits attempted
 * @param acknowledged  submits the server answered with a job
 * @param submitErrors  submits that failed for good (after the SDK's retries); their jobs may or may not exist
 * @param completed     acknowledged jobs that ended COMPLETED
 * @param failed        acknowledged jobs that ended FAILED
 * @param cancelled     acknowledged jobs that ended CANCELLED (nobody cancels them: should be 0)
 * @param lost          acknowledged jobs not final when the run's timeout ran out
 * @param duplicated    logical submits that created more than one job, plus completed jobs whose results are not
 *                      exactly one set of counts per circuit summing to the shots
 * @param elapsedSeconds the client's wall time from the first submit to the last job seen final
 * @param clientCpuSeconds CPU time of the load generator's whole process during this run (JIT and collector
 *                      included), to tell its share of a shared machine
 * @param jobsPerSecond completed jobs per second over the server's window from the first job's submission to the
 *                      last one's end
 */
public record LoadReport(String runId, LoadOptions options, String server, long submitted, long acknowledged,
                         long submitErrors, long completed, long failed, long cancelled, long lost, long duplicated,
                         double elapsedSeconds, double clientCpuSeconds, double jobsPerSecond, Percentiles submit,
                         Percentiles assign, Percentiles e2e) {

    /** p50, p95, p99 and max of one latency, in milliseconds; all 0 when nothing was measured. */
    public record Percentiles(double p50, double p95, double p99, double max, long count) {
    }

    /** The report as flat JSON-ready keys, parameters first. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server", server);
        m.put("jobs", options.jobs());
        m.put("warmup_jobs", options.warmupJobs());
        m.put("concurrency", options.concurrency());
        m.put("rate", options.rate());
        m.put("qubits", options.qubits());
        m.put("shots", options.shots());
        m.put("backend", options.backend());
        m.put("timeout_s", options.timeout().toMillis() / 1000.0);
        m.put("run_id", runId);
        m.put("submitted", submitted);
        m.put("acknowledged", acknowledged);
        m.put("submit_errors", submitErrors);
        m.put("completed", completed);
        m.put("failed", failed);
        m.put("cancelled", cancelled);
        m.put("lost", lost);
        m.put("duplicated", duplicated);
        m.put("elapsed_s", round(elapsedSeconds));
        m.put("jobs_per_second", round(jobsPerSecond));
        m.put("client_cpu_ms_per_job", round(clientCpuSeconds * 1000 / Math.max(1, completed + failed + cancelled)));
        put(m, "submit", submit);
        put(m, "assign", assign);
        put(m, "e2e", e2e);
        return m;
    }

    private static void put(Map<String, Object> m, String name, Percentiles p) {
        m.put(name + "_p50_ms", round(p.p50()));
        m.put(name + "_p95_ms", round(p.p95()));
        m.put(name + "_p99_ms", round(p.p99()));
        m.put(name + "_max_ms", round(p.max()));
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
