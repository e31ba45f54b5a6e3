package dev.qfed.bench.load;

import dev.qfed.api.CircuitResult;
import dev.qfed.api.CircuitSpec;
import dev.qfed.api.Job;
import dev.qfed.api.JobResult;
import dev.qfed.api.JobTimings;
import dev.qfed.api.SubmitJobRequest;
import dev.qfed.api.WaitJobsResponse;
import dev.qfed.sdk.JobQuery;
import dev.qfed.sdk.QfedClient;
import dev.qfed.sdk.QfedException;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Puts a running broker under load and measures it: {@code concurrency} virtual threads submit small jobs (at
 * {@code rate} per second, or as fast as they can), one follower watches every acknowledged job with multi-job
 * waits ({@code POST /v1/jobs/wait}) until each is final, and at the end every job the run created is listed by its
 * tag to look for duplicates.
 *
 * <p>The follower asks about the longest-open jobs in one long poll, which the broker answers as soon as any of them
 * ends; it asks at most every {@link #LINGER}, so that at high rates one call brings several completions instead of
 * one call per job. It names a window of the oldest open jobs, not all of them: jobs end roughly in the order they
 * were submitted, and naming every queued job in every call made each call carry, parse and look up a thousand ids
 * both ways (most of the follower's and a good part of the broker's cost per job when the jobs queue). The window
 * starts at {@value #MIN_WINDOW} ids, doubles whenever a call sees a quarter of it done (up to
 * {@value QfedClient#MAX_WAIT_IDS}) and halves when calls see few. A job that ends outside the window is seen when
 * it enters it, later than it could have been: that only lengthens the measured latency, never shortens it.
 *
 * <p>End to end is measured by the client: from the moment the submit was sent to the moment the follower saw the
 * job final, so it includes up to {@link #LINGER} of observation delay; queued→assigned comes from the timings the
 * broker reports.
 *
 * <p>With {@code warmupJobs}, a run of that many jobs with the same rate and concurrency comes first and is not
 * measured: in a fresh process the first few hundred submits pay for the client's class loading, JIT compilation
 * and connections (at 500 jobs/s, 80–150 submits in the first 300 ms took 20–130 ms, about all of a 10,000-job
 * run's 1 % tail).
 *
 * <p>Bounded by construction: at most {@code jobs} submits, nothing started after the timeout, and every wait cut
 * at it. Jobs carry the tags {@code bench_run} (one id per run) and {@code bench_seq} (the submit's number).
 */
public final class LoadGenerator {
    /** Latencies are recorded in microseconds, up to an hour, to 3 significant digits. */
    private static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);
    /** How long one multi-job wait may park: bounds the delay for jobs acknowledged while a wait is parked. */
    private static final Duration POLL_WAIT = Duration.ofMillis(250);
    private static final Duration IDLE_POLL = Duration.ofMillis(50);
    /** The least time between the starts of two waits. */
    static final Duration LINGER = Duration.ofMillis(10);
    /** The fewest longest-open jobs one wait names (fewer when fewer are open). */
    static final int MIN_WINDOW = 128;
    /** Logged when the warm-up is over and the measured load starts (scripts wait for it to take their snapshots). */
    public static final String MEASURED_RUN_STARTED = "measured run started";

    private final QfedClient client;
    private final LoadOptions options;
    private final Consumer<String> log;

    /**
     * @param log where to say what the run is doing (progress for a person, not the report); may ignore it all
     */
    public LoadGenerator(QfedClient client, LoadOptions options, Consumer<String> log) {
        this.client = Objects.requireNonNull(client, "client");
        this.options = Objects.requireNonNull(options, "options");
        this.log = Objects.requireNonNull(log, "log");
    }

    private record Acknowledged(int seq, String jobId, long sentNanos) {
    }

    /**
     * Runs the warm-up, if any, then the measured load, and returns what the latter measured. Interrupting the
     * calling thread stops it early.
     */
    public LoadReport run() throws InterruptedException {
        if (options.warmupJobs() > 0) {
            log.accept("warming up with " + options.warmupJobs() + " jobs (not measured)");
            LoadReport warmup = measure(options.warmup());
            log.accept(String.format("warm-up done: %d acknowledged, %d final, %d lost; %s", warmup.acknowledged(),
                    warmup.completed() + warmup.failed() + warmup.cancelled(), warmup.lost(), MEASURED_RUN_STARTED));
        } else {
            log.accept(MEASURED_RUN_STARTED);
        }
        return measure(options);
    }

    /** One run of {@code options.jobs()} jobs, measured (the warm-up's report is discarded). */
    private LoadReport measure(LoadOptions options) throws InterruptedException {
        long cpuStart = processCpuNanos();
        String runId = UUID.randomUUID().toString().substring(0, 8);
        String circuit = options.circuit();
        long start = System.nanoTime();
        long deadline = start + options.timeout().toNanos();

        AtomicInteger next = new AtomicInteger();
        AtomicLong submitted = new AtomicLong();
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong submitErrors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        BlockingQueue<Acknowledged> toFollow = new LinkedBlockingQueue<>();
        Histogram submitMicros = new ConcurrentHistogram(MAX_MICROS, 3);

        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < options.concurrency(); t++) {
            submitters.add(Thread.ofVirtual().name("load-submit-" + t).start(() -> {
                while (true) {
                    int seq = next.getAndIncrement();
                    if (seq >= options.jobs()) {
                        return;
                    }
                    long due = options.rate() > 0 ? start + (long) (seq * 1e9 / options.rate()) : System.nanoTime();
                    if (due - deadline >= 0 || System.nanoTime() - deadline >= 0) {
                        return;
                    }
                    if (!sleepUntil(due)) {
                        return;
                    }
                    SubmitJobRequest request = new SubmitJobRequest(
                            List.of(new CircuitSpec(circuit, Optional.of("ghz" + options.qubits()), Map.of())),
                            options.shots(), Optional.of(options.backend()), Optional.empty(),
                            Map.of("bench_run", runId, "bench_seq", Integer.toString(seq)));
                    submitted.incrementAndGet();
                    long t0 = System.nanoTime();
                    try {
                        Job job = client.submit(request, "bench-" + runId + "-" + seq);
                        submitMicros.recordValue(Math.min(MAX_MICROS, (System.nanoTime() - t0) / 1_000));
                        acknowledged.incrementAndGet();
                        toFollow.add(new Acknowledged(seq, job.id(), t0));
                    } catch (QfedException e) {
                        submitErrors.incrementAndGet();
                        firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
            }));
        }

        Histogram assignMicros = new ConcurrentHistogram(MAX_MICROS, 3);
        Histogram e2eMicros = new ConcurrentHistogram(MAX_MICROS, 3);
        Finals finals = new Finals();
        AtomicLong lastFinalSeen = new AtomicLong(start);
        Thread follower = Thread.ofVirtual().name("load-follow").start(() -> follow(toFollow, submitters, deadline,
                (a, r) -> {
                    finals.add(r);
                    long seen = System.nanoTime();
                    lastFinalSeen.accumulateAndGet(seen, Math::max);
                    e2eMicros.recordValue(Math.max(0, Math.min(MAX_MICROS, (seen - a.sentNanos()) / 1_000)));
                    JobTimings timings = r.job().timings();
                    timings.assignedAt().ifPresent(at -> assignMicros.recordValue(micros(timings.submittedAt(), at)));
                }));
        Thread reporter = Thread.ofVirtual().name("load-progress").start(() -> {
            try {
                while (true) {
                    Thread.sleep(2_000);
                    log.accept(String.format("%d submitted, %d acknowledged, %d final, %d errors", submitted.get(),
                            acknowledged.get(), finals.count(), submitErrors.get()));
                }
            } catch (InterruptedException e) {
                // the run is over
            }
        });
        try {
            for (Thread t : submitters) {
                t.join();
            }
            follower.join();
        } catch (InterruptedException e) {
            submitters.forEach(Thread::interrupt);
            follower.interrupt();
            throw e;
        } finally {
            reporter.interrupt();
        }
        if (firstError.get() != null) {
            log.accept("first submit error: " + firstError.get());
        }

        long lost = acknowledged.get() - finals.count();
        long duplicateJobs = duplicateJobs(runId);
        double window = finals.window().toNanos() / 1e9;
        return new LoadReport(runId, options, client.server().toString(), submitted.get(), acknowledged.get(),
                submitErrors.get(), finals.completed, finals.failed, finals.cancelled, lost,
                duplicateJobs + finals.malformed, (lastFinalSeen.get() - start) / 1e9,
                (processCpuNanos() - cpuStart) / 1e9,
                window > 0 ? finals.completed / window : 0,
                percentiles(submitMicros), percentiles(assignMicros), percentiles(e2eMicros));
    }

    /**
     * What the run needs of the final jobs, tallied as they arrive: keeping every {@link JobResult} (counts, tags,
     * timings) until the end grew the load generator's live heap by ~3 KB a job, and its young collections, which
     * copy what survives, paused it for 50–100 ms in a 10,000-job run — pauses its latency figures then included.
     * Written by the follower thread only; {@link #count()} is read by the progress reporter too.
     */
    private static final class Finals {
        private final AtomicLong count = new AtomicLong();
        long completed;
        long failed;
        long cancelled;
        long malformed;
        private Instant firstSubmitted;
        private Instant lastFinished;

        void add(JobResult r) {
            switch (r.job().status()) {
                case COMPLETED -> {
                    completed++;
                    if (!wellFormed(r)) {
                        malformed++;
                    }
                }
                case FAILED -> failed++;
                case CANCELLED -> cancelled++;
                default -> throw new IllegalStateException("a followed job ended " + r.job().status());
            }
            Instant s = r.job().timings().submittedAt();
            firstSubmitted = firstSubmitted == null || s.isBefore(firstSubmitted) ? s : firstSubmitted;
            r.job().timings().finishedAt().filter(f -> lastFinished == null || f.isAfter(lastFinished))
                    .ifPresent(f -> lastFinished = f);
            count.incrementAndGet();
        }

        long count() {
            return count.get();
        }

        /** From the first job's submission to the last one's end, by the broker's clock. */
        Duration window() {
            return firstSubmitted == null || lastFinished == null ? Duration.ZERO
                    : Duration.between(firstSubmitted, lastFinished);
        }
    }

    /**
     * Follows every acknowledged job until it is final or the run's deadline passes (then it counts as lost): one
     * multi-job wait at a time over the longest-open jobs, at most one every {@link #LINGER}.
     */
    private void follow(BlockingQueue<Acknowledged> toFollow, List<Thread> submitters, long deadline,
                        BiConsumer<Acknowledged, JobResult> onFinal) {
        Map<String, Acknowledged> open = new LinkedHashMap<>();
        int window = MIN_WINDOW;
        int failures = 0;
        long lastCall = System.nanoTime() - LINGER.toNanos();
        while (!Thread.currentThread().isInterrupted()) {
            for (Acknowledged a; (a = toFollow.poll()) != null; ) {
                open.put(a.jobId(), a);
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                return;
            }
            if (open.isEmpty()) {
                if (submitters.stream().noneMatch(Thread::isAlive) && toFollow.isEmpty()) {
                    return;
                }
                try {
                    Acknowledged a = toFollow.poll(IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
                    if (a != null) {
                        open.put(a.jobId(), a);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                continue;
            }
            if (!sleepUntil(Math.min(deadline, lastCall + LINGER.toNanos()))) {
                return;
            }
            lastCall = System.nanoTime();
            List<String> batch = new ArrayList<>(Math.min(open.size(), window));
            for (String id : open.keySet()) {
                if (batch.size() == window) {
                    break;
                }
                batch.add(id);
            }
            Duration wait = Duration.ofMillis(Math.max(1, Math.min(POLL_WAIT.toMillis(),
                    (deadline - lastCall) / 1_000_000)));
            try {
                WaitJobsResponse r = client.waitForAny(batch, wait, true);
                for (JobResult done : r.done()) {
                    onFinal.accept(open.remove(done.job().id()), done);
                }
                window = nextWindow(window, batch.size(), r.done().size());
                for (String id : r.notFound()) {
                    // Acknowledged by the broker, then unknown to it: count it as lost, say so once.
                    Acknowledged a = open.remove(id);
                    log.accept("job " + id + " (submit " + a.seq() + ") is unknown to the broker");
                }
            } catch (QfedException e) {
                // The SDK already retried; keep trying until the deadline, but not in a hot loop.
                if (++failures == 1) {
                    log.accept("waiting for " + batch.size() + " jobs: " + e.getMessage());
                }
                if (!sleepUntil(Math.min(deadline, System.nanoTime() + 200_000_000L))) {
                    return;
                }
            }
        }
    }

    /** The window after a call that named {@code named} jobs and saw {@code done} of them final. */
    static int nextWindow(int window, int named, int done) {
        if (named == window && done * 4 >= window) {
            return Math.min(QfedClient.MAX_WAIT_IDS, window * 2);
        }
        if (done * 16 < window) {
            return Math.max(MIN_WINDOW, window / 2);
        }
        return window;
    }

    /**
     * Jobs beyond the first for any {@code bench_seq} of this run: a logical submit that created more than one
     * job despite its idempotency key. Read back by listing the run's tag, so the server's view counts.
     */
    private long duplicateJobs(String runId) {
        Map<String, Integer> perSeq = new HashMap<>();
        try {
            client.listAll(JobQuery.builder().tag("bench_run", runId).pageSize(JobQuery.MAX_PAGE_SIZE).build())
                    .forEach(j -> perSeq.merge(j.tags().getOrDefault("bench_seq", "?"), 1, Integer::sum));
        } catch (QfedException e) {
            log.accept("could not list the run's jobs to look for duplicates: " + e.getMessage());
            return 0;
        }
        return perSeq.values().stream().mapToLong(n -> n - 1).sum();
    }

    /** One set of counts per circuit, each summing to the shots: a second accepted result would break this. */
    private static boolean wellFormed(JobResult r) {
        List<CircuitResult> results = r.results().orElse(List.of());
        return results.size() == r.job().circuitCount()
                && results.stream().allMatch(c -> c.shots() == r.job().shots());
    }

    private static long micros(Instant from, Instant to) {
        long m = Duration.between(from, to).toNanos() / 1_000;
        return Math.max(0, Math.min(MAX_MICROS, m));
    }

    private static LoadReport.Percentiles percentiles(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new LoadReport.Percentiles(0, 0, 0, 0, 0);
        }
        return new LoadReport.Percentiles(h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(95) / 1e3,
                h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3, h.getTotalCount());
    }

    /** CPU time of this whole process so far (every thread: the JIT and the collector too). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Sleeps until {@code nanoTime} reaches {@code due}; false when interrupted. */
    private static boolean sleepUntil(long due) {
        long wait = due - System.nanoTime();
        if (wait <= 0) {
            return true;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
