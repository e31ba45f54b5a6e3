package dev.qfed.server.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The broker's metrics, exposed at {@code /metrics} in Prometheus text format.
 *
 * <p>Label values are bounded: {@code member} and {@code backend} come from registrations and trusted issuers
 * (never from free request text), {@code route} is the route template ({@code /v1/jobs/{id}}, never the path),
 * {@code status} an HTTP status. No job, lease or user id is ever a label.
 */
public final class Telemetry implements AutoCloseable {
    private static final Duration[] SLOS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(10)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge queueDepth;
    /** Listens to the JVM's collections (pauses, bytes allocated and promoted) until {@link #close()}. */
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private volatile LongSupplier longPollHangups = () -> 0;
    /**
     * The meters recorded on every request and job, by name and labels: building a meter's id and looking it up in
     * the registry on each use cost more than recording. Bounded like the labels.
     */
    private final Map<MeterKey, Counter> counters = new ConcurrentHashMap<>();
    private final Map<MeterKey, Timer> timers = new ConcurrentHashMap<>();
    private final Map<HttpKey, Timer> httpTimers = new ConcurrentHashMap<>();

    private record MeterKey(String name, String member, String backend) {
    }

    private record HttpKey(String method, String route, int status) {
    }

    public Telemetry() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        gc.bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        queueDepth = MultiGauge.builder("qfed.queue.depth").description("Jobs queued, by backend")
                .register(registry);
    }

    public void jobSubmitted(String member, String backend) {
        counter("qfed.jobs.submitted", "Jobs admitted", member, backend).increment();
    }

    /** A job reached a final state; {@code outcome} is completed, failed or cancelled. */
    public void jobFinished(String member, String backend, String outcome, Duration endToEnd) {
        counter("qfed.jobs." + outcome, "Jobs " + outcome, member, backend).increment();
        if (outcome.equals("completed")) {
            timer("qfed.job.end.to.end", "Submission to accepted result", backend).record(endToEnd);
        }
    }

    /** A job was leased after waiting {@code wait} in the queue (since submission or its last requeue). */
    public void jobLeased(String backend, Duration wait) {
        // Replicas' clocks and a claim that began just before the job was committed can make this slightly negative.
        timer("qfed.job.queue.wait", "Time a job waited in the queue before a lease", backend).record(wait.isNegative() ? Duration.ZERO : wait);
    }

    public void leaseExpired(String backend) {
        Counter.builder("qfed.lease.expiries").description("Leases that ran out before their agent reported")
                .tag("backend", backend).register(registry).increment();
    }

    public void duplicateResultRefused(String backend) {
        Counter.builder("qfed.results.refused").description("Results refused because their lease was not current")
                .tag("backend", backend).register(registry).increment();
    }

    /** One HTTP request, by route template. */
    public void httpRequest(String method, String route, int status, Duration duration) {
        httpTimers.computeIfAbsent(new HttpKey(method, route, status), k ->
                Timer.builder("qfed.http.server.requests").description("HTTP requests by route template")
                        .tags("method", k.method(), "route", k.route(), "status", Integer.toString(k.status()))
                        .publishPercentileHistogram(false)
                        .serviceLevelObjectives(SLOS)
                        .register(registry)).record(duration);
    }

    /** Long polls waiting now, and those that ended because their client hung up. */
    public void longPolls(IntSupplier waiting, LongSupplier hangups) {
        // Micrometer holds a function counter's object weakly: keep it here.
        longPollHangups = hangups;
        Gauge.builder("qfed.long_polls.waiting", waiting::getAsInt)
                .description("Long polls (result, multi-job wait, lease) waiting now").register(registry);
        FunctionCounter.builder("qfed.long_polls.hangups", this, t -> (double) t.longPollHangups.getAsLong())
                .description("Long polls ended early because their client closed the connection").register(registry);
    }

    /** Replaces the queue depth gauge's values. */
    public void queueDepths(Map<String, Long> depthByBackend) {
        queueDepth.register(depthByBackend.entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("backend", e.getKey()), e.getValue()))
                .toList(), true);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    private Counter counter(String name, String description, String member, String backend) {
        return counters.computeIfAbsent(new MeterKey(name, member, backend), k -> Counter.builder(name)
                .description(description).tags("member", member, "backend", backend).register(registry));
    }

    private Timer timer(String name, String description, String backend) {
        return timers.computeIfAbsent(new MeterKey(name, "", backend), k -> Timer.builder(name)
                .description(description).tag("backend", backend).serviceLevelObjectives(SLOS).register(registry));
    }

    static List<Duration> slos() {
        return List.of(SLOS);
    }

    /** Stops listening to the JVM's collections (a process may start and stop several brokers, as tests do). */
    @Override
    public void close() {
        gc.close();
    }
}
