package dev.qfed.sdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qfed.api.ApiJson;
import dev.qfed.api.Backend;
import dev.qfed.api.BackendList;
import dev.qfed.api.DevToken;
import dev.qfed.api.DevTokenRequest;
import dev.qfed.api.ErrorCode;
import dev.qfed.api.Problem;
import dev.qfed.api.JobHistory;
import dev.qfed.api.WaitJobsRequest;
import dev.qfed.api.WaitJobsResponse;
import dev.qfed.api.Job;
import dev.qfed.api.JobPage;
import dev.qfed.api.JobResult;
import dev.qfed.api.JobStatus;
import dev.qfed.api.SubmitJobRequest;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A client of a QFed broker's REST API ({@code /v1}). Thread-safe: build one per server and share it.
 *
 * {@snippet :
 * try (QfedClient qfed = QfedClient.builder()
 *         .server("http://127.0.0.1:8080")
 *         .token(System.getenv("QFED_TOKEN"))
 *         .build()) {
 *     Job job = qfed.submit(SubmitJobRequest.of(List.of(CircuitSpec.of(qasm)), 1000));
 *     JobResult done = qfed.awaitResult(job.id(), Duration.ofMinutes(5), ProgressListener.NONE);
 *     Map<String, Long> counts = done.results().orElseThrow().get(0).counts();
 * }
 * }
 *
 * <p>Every call either returns what the server sent or throws a {@link QfedException}: a {@link ProblemException}
 * subclass when the server refused (not found, forbidden, invalid input with OpenQASM line and column, …), a
 * {@link ServerUnreachableException} when it could not be reached. Failures that may pass are retried by the
 * {@link RetryPolicy} first; a submit sends the same {@code Idempotency-Key} on every attempt, so a retry never
 * creates a second job.
 */
public final class QfedClient implements AutoCloseable {
    /** How long one long poll of {@link #awaitResult} asks the server to wait. */
    static final Duration POLL_WAIT = Duration.ofSeconds(20);
    /** The same with a progress listener, so that it hears about the job every few seconds. */
    static final Duration PROGRESS_POLL_WAIT = Duration.ofSeconds(3);
    private static final Duration MIN_POLL_INTERVAL = Duration.ofMillis(200);
    /** How many job ids {@link #completions} names in one wait: the broker's default limit. */
    public static final int MAX_WAIT_IDS = 1_000;
    private static final String JSON = "application/json";

    private final URI server;
    private final Supplier<Optional<String>> tokens;
    private final HttpClient http;
    private final ExecutorService httpTasks;
    private final Duration requestTimeout;
    private final RetryPolicy retryPolicy;
    private final ObjectMapper json = ApiJson.lenientMapper();

    private QfedClient(Builder b) {
        this.server = b.server;
        this.tokens = b.tokens;
        this.requestTimeout = b.requestTimeout;
        this.retryPolicy = b.retryPolicy;
        // HTTP/1.1: the JDK client's default, HTTP/2, would offer an h2c upgrade on every new plain-http connection.
        // The client hands each response from its selector thread to an executor; its default, a cached pool of
        // platform threads, costs about a third more CPU per call than a virtual thread per task (measured by
        // `qfed bench load`, docs/performance.md), and a virtual thread cannot starve the selector as running the
        // tasks on it directly could with large bodies.
        this.httpTasks = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("qfed-sdk-http-", 0).factory());
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(httpTasks)
                .build();
    }

    /** A builder; {@link Builder#server} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The server this client talks to, without a trailing slash. */
    public URI server() {
        return server;
    }

    /** The retry policy in force. */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    // ---- jobs ----------------------------------------------------------------------------------------------

    /**
     * Submits a job with a fresh idempotency key, used again on every retry of this call.
     *
     * @return the job, usually {@link JobStatus#QUEUED}
     * @throws InvalidInputException  an OpenQASM error (with circuit, line and column), an unknown backend, none fits
     * @throws LimitExceededException too many shots, circuits or bytes
     */
    public Job submit(SubmitJobRequest request) {
        return submit(request, UUID.randomUUID().toString());
    }

    /**
     * Submits a job with the caller's idempotency key: submitting the same request with the same key again (even
     * from another process) returns the job created first; the same key with a different request throws
     * {@link ConflictException}.
     *
     * @param idempotencyKey 1 to 255 printable ASCII characters
     */
    public Job submit(SubmitJobRequest request, String idempotencyKey) {
        Objects.requireNonNull(request, "request");
        checkIdempotencyKey(idempotencyKey);
        byte[] body = bytes(request);
        return read(send(new Call("POST", "/v1/jobs", "", Optional.of(body), Optional.of(idempotencyKey),
                requestTimeout)), Job.class);
    }

    /**
     * The job now: status, queue position, timings.
     *
     * @throws NotFoundException no such job, or not the caller's member's
     */
    public Job get(String jobId) {
        return read(send(Call.get("/v1/jobs/" + segment(jobId), "", requestTimeout)), Job.class);
    }

    /** One page of the caller's member's jobs, newest first. Continue with {@code query.withCursor(next)}. */
    public JobPage list(JobQuery query) {
        return read(send(Call.get("/v1/jobs", queryString(query), requestTimeout)), JobPage.class);
    }

    /**
     * Every job that matches, newest first, fetching pages as the stream is consumed (so {@code limit(n)} stops
     * early). Each page is one request; a failure surfaces as the exception of that request.
     */
    public Stream<Job> listAll(JobQuery query) {
        Objects.requireNonNull(query, "query");
        Iterator<Job> jobs = new Iterator<>() {
            private Iterator<Job> page = List.<Job>of().iterator();
            private Optional<JobQuery> next = Optional.of(query);

            @Override
            public boolean hasNext() {
                while (!page.hasNext() && next.isPresent()) {
                    JobPage p = list(next.get());
                    page = p.jobs().iterator();
                    next = p.nextCursor().map(query::withCursor);
                }
                return page.hasNext();
            }

            @Override
            public Job next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.next();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(jobs, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }

    /**
     * Cancels a job: at once when queued; when an agent holds it, the job becomes
     * {@link JobStatus#CANCEL_REQUESTED} and the agent stops it. Cancelling again is harmless.
     *
     * @return the job after the request
     * @throws ConflictException the job is already completed or failed
     */
    public Job cancel(String jobId) {
        return read(send(new Call("POST", "/v1/jobs/" + segment(jobId) + "/cancel", "", Optional.empty(),
                Optional.empty(), requestTimeout)), Job.class);
    }

    /** The job and, when it completed, its results, without waiting. */
    public JobResult result(String jobId) {
        return result(jobId, Duration.ZERO);
    }

    /**
     * The job and, when it completed, its results; if it is not final yet, the server holds the request up to
     * {@code wait} for it to become final (a long poll; the server caps the wait, 60 s by default).
     */
    public JobResult result(String jobId, Duration wait) {
        if (wait.isNegative()) {
            throw new IllegalArgumentException("wait must not be negative, got " + wait);
        }
        String query = wait.isZero() ? "" : "wait=" + wait.toMillis() + "ms";
        return read(send(Call.get("/v1/jobs/" + segment(jobId) + "/result", query, requestTimeout.plus(wait))),
                JobResult.class);
    }

    /** {@link #awaitResult(String, Duration, ProgressListener)} without a listener. */
    public JobResult awaitResult(String jobId, Duration timeout) {
        return awaitResult(jobId, timeout, ProgressListener.NONE);
    }

    /**
     * Waits until the job is final (completed, failed or cancelled) by long polls, and returns its result. The
     * listener hears the job after every poll: every few seconds when it is not {@link ProgressListener#NONE}.
     *
     * @throws AwaitTimeoutException the job was not final within {@code timeout}; it goes on
     */
    public JobResult awaitResult(String jobId, Duration timeout, ProgressListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
        Duration pollWait = listener == ProgressListener.NONE ? POLL_WAIT : PROGRESS_POLL_WAIT;
        long deadline = System.nanoTime() + saturatedNanos(timeout);
        while (true) {
            long started = System.nanoTime();
            Duration wait = min(pollWait, Duration.ofNanos(Math.max(0, deadline - started)));
            JobResult r = result(jobId, wait);
            listener.onProgress(r.job());
            if (r.job().status().isFinal()) {
                return r;
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw new AwaitTimeoutException(r.job(), timeout);
            }
            // A server that answers at once despite the wait (an old one, a cap of 0) must not make this spin.
            long spent = now - started;
            if (spent < MIN_POLL_INTERVAL.toNanos()) {
                sleep(Duration.ofNanos(Math.min(MIN_POLL_INTERVAL.toNanos() - spent, deadline - now)));
            }
        }
    }

    /**
     * One long poll over many jobs ({@code POST /v1/jobs/wait}): the server answers as soon as at least one of them
     * is final or names no job the caller may see, or when {@code wait} runs out. Every id comes back in exactly
     * one of the answer's {@code done}, {@code pending} and {@code notFound}.
     *
     * @param jobIds         1 to the broker's limit ({@value #MAX_WAIT_IDS} by default) distinct job ids
     * @param includeResults whether completed jobs come with their counts and execution metadata
     * @throws LimitExceededException more ids than the broker takes in one call
     * @throws InvalidInputException  an id that is not a job id, or one named twice
     */
    public WaitJobsResponse waitForAny(Collection<String> jobIds, Duration wait, boolean includeResults) {
        Objects.requireNonNull(jobIds, "jobIds");
        if (wait.isNegative()) {
            throw new IllegalArgumentException("wait must not be negative, got " + wait);
        }
        byte[] body = bytes(new WaitJobsRequest(List.copyOf(jobIds), includeResults));
        String query = wait.isZero() ? "" : "wait=" + wait.toMillis() + "ms";
        return read(send(new Call("POST", "/v1/jobs/wait", query, Optional.of(body), Optional.empty(),
                requestTimeout.plus(wait))), WaitJobsResponse.class);
    }

    /**
     * The jobs' results as each job becomes final, in the order they end, fetched by {@link #waitForAny} long
     * polls (each over the {@value #MAX_WAIT_IDS} longest-waiting ids still open) as the stream is consumed.
     * Completed jobs come with their results. The stream ends when every job is final.
     *
     * @throws AwaitTimeoutException when consuming the stream past {@code timeout} with jobs still open; it
     *                               carries their ids (the jobs go on)
     * @throws NotFoundException     when consuming reaches an id that names no job the caller may see
     */
    public Stream<JobResult> completions(Collection<String> jobIds, Duration timeout) {
        Objects.requireNonNull(jobIds, "jobIds");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
        java.util.LinkedHashSet<String> open = new java.util.LinkedHashSet<>(jobIds);
        if (open.size() != jobIds.size()) {
            throw new IllegalArgumentException("the job ids must be distinct");
        }
        List<String> order = List.copyOf(open);
        long deadline = System.nanoTime() + saturatedNanos(timeout);
        List<JobResult> seen = new ArrayList<>();
        Iterator<JobResult> results = new Iterator<>() {
            private final java.util.ArrayDeque<JobResult> ready = new java.util.ArrayDeque<>();

            @Override
            public boolean hasNext() {
                while (ready.isEmpty() && !open.isEmpty()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        List<String> pending = order.stream().filter(open::contains).toList();
                        throw AwaitTimeoutException.of(pending, done(order, seen), timeout);
                    }
                    List<String> batch = open.stream().limit(MAX_WAIT_IDS).toList();
                    WaitJobsResponse r = waitForAny(batch, min(POLL_WAIT, Duration.ofNanos(left)), true);
                    if (!r.notFound().isEmpty()) {
                        throw (NotFoundException) Problems.toException(Problem.of(ErrorCode.NOT_FOUND,
                                r.notFound().size() + " job ids name no job you may see: "
                                        + String.join(", ", r.notFound().subList(0, Math.min(5, r.notFound().size())))
                                        + (r.notFound().size() > 5 ? ", …" : "")), Optional.empty());
                    }
                    for (JobResult done : r.done()) {
                        open.remove(done.job().id());
                        seen.add(done);
                        ready.add(done);
                    }
                }
                return !ready.isEmpty();
            }

            @Override
            public JobResult next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(results,
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT), false);
    }

    /**
     * Waits until every job is final and returns their results in the order of {@code jobIds}; completed jobs come
     * with their counts. See {@link #completions} for how it waits.
     *
     * @throws AwaitTimeoutException some jobs were not final within {@code timeout}; it carries which, and the
     *                               results of the others (the jobs go on)
     * @throws NotFoundException     an id names no job the caller may see
     */
    public List<JobResult> awaitAll(Collection<String> jobIds, Duration timeout) {
        List<String> order = List.copyOf(jobIds);
        return done(order, completions(order, timeout).toList());
    }

    private static List<JobResult> done(List<String> order, List<JobResult> results) {
        java.util.Map<String, JobResult> byId = new java.util.HashMap<>();
        results.forEach(r -> byId.put(r.job().id(), r));
        return order.stream().filter(byId::containsKey).map(byId::get).toList();
    }

    /**
     * The job's history: every transition (submitted, leased, started, retried, completed, …), oldest first.
     *
     * @throws NotFoundException no such job, or not one the caller may see
     */
    public JobHistory events(String jobId) {
        return read(send(Call.get("/v1/jobs/" + segment(jobId) + "/events", "", requestTimeout)), JobHistory.class);
    }

    // ---- backends ------------------------------------------------------------------------------------------

    /** Every backend of the consortium, ordered by name. */
    public List<Backend> backends() {
        return read(send(Call.get("/v1/backends", "", requestTimeout)), BackendList.class).backends();
    }

    /**
     * One backend: status, qubits, gates, queue depth, owner member.
     *
     * @throws NotFoundException no backend of that name
     */
    public Backend backend(String name) {
        return read(send(Call.get("/v1/backends/" + segment(name), "", requestTimeout)), Backend.class);
    }

    // ---- dev mode ------------------------------------------------------------------------------------------

    /**
     * Mints a token from the dev issuer of a broker started in dev mode ({@code POST /dev/token}; needs no token).
     *
     * @throws NotFoundException the broker is not in dev mode
     */
    public DevToken devToken(DevTokenRequest request) {
        byte[] body = bytes(request);
        return read(send(new Call("POST", "/dev/token", "", Optional.of(body), Optional.empty(), requestTimeout)),
                DevToken.class);
    }

    /** Releases the HTTP client's connections and threads. */
    @Override
    public void close() {
        http.close();
        httpTasks.close();
    }

    // ---- transport -----------------------------------------------------------------------------------------

    private record Call(String method, String path, String query, Optional<byte[]> body,
                        Optional<String> idempotencyKey, Duration timeout) {
        static Call get(String path, String query, Duration timeout) {
            return new Call("GET", path, query, Optional.empty(), Optional.empty(), timeout);
        }
    }

    private record Answer(int status, byte[] body) {
    }

    private Answer send(Call call) {
        URI uri = URI.create(server + call.path() + (call.query().isEmpty() ? "" : "?" + call.query()));
        for (int attempt = 1; ; attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(call.timeout())
                    .header("Accept", JSON + ", application/problem+json")
                    .header("User-Agent", "qfed-sdk");
            tokens.get().ifPresent(t -> request.header("Authorization", "Bearer " + t));
            call.idempotencyKey().ifPresent(k -> request.header("Idempotency-Key", k));
            if (call.body().isPresent()) {
                request.header("Content-Type", JSON)
                        .method(call.method(), HttpRequest.BodyPublishers.ofByteArray(call.body().get()));
            } else {
                request.method(call.method(), HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                if (attempt >= retryPolicy.maxAttempts()) {
                    throw new ServerUnreachableException(server, attempt, e);
                }
                sleep(retryPolicy.backoff(attempt, Optional.empty(), ThreadLocalRandom.current()));
                continue;
            } catch (InterruptedException e) {
                throw interrupted(e);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Answer(status, response.body());
            }
            Optional<Duration> retryAfter = response.headers().firstValue("Retry-After")
                    .flatMap(QfedClient::parseRetryAfter);
            ProblemException failure = Problems.toException(
                    Problems.read(status, response.headers().firstValue("Content-Type"), response.body()), retryAfter);
            boolean retryable = Problems.retryableStatus(status) || failure.retryable();
            if (!retryable || attempt >= retryPolicy.maxAttempts()) {
                throw failure;
            }
            sleep(retryPolicy.backoff(attempt, retryAfter, ThreadLocalRandom.current()));
        }
    }

    /** The request as JSON, written straight to bytes (as {@link ApiJson#write} would, without the String). */
    private static byte[] bytes(Object request) {
        try {
            return ApiJson.mapper().writeValueAsBytes(request);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + request.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    private <T> T read(Answer answer, Class<T> type) {
        try {
            return json.readValue(answer.body(), type);
        } catch (IOException | IllegalArgumentException e) {
            // The server promised this shape; an answer that is not it is the server's bug (or not a QFed server).
            throw Problems.toException(Problems.synthesise(500, "HTTP " + answer.status() + " but the body is not a "
                    + type.getSimpleName() + ": " + e.getMessage()), Optional.empty());
        }
    }

    private static String queryString(JobQuery q) {
        List<String> parts = new ArrayList<>();
        q.project().ifPresent(p -> parts.add("project=" + encode(p)));
        if (!q.statuses().isEmpty()) {
            parts.add("status=" + q.statuses().stream().map(JobStatus::name).collect(Collectors.joining(",")));
        }
        q.tags().forEach((k, v) -> parts.add("tag=" + encode(k + "=" + v)));
        q.member().ifPresent(m -> parts.add("member=" + encode(m)));
        q.backend().ifPresent(b -> parts.add("backend=" + encode(b)));
        q.pageSize().ifPresent(n -> parts.add("limit=" + n));
        q.cursor().ifPresent(c -> parts.add("cursor=" + encode(c)));
        return String.join("&", parts);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String segment(String id) {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("an id or name must not be blank");
        }
        return encode(id);
    }

    static void checkIdempotencyKey(String key) {
        Objects.requireNonNull(key, "idempotencyKey");
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("an idempotency key is 1 to 255 printable ASCII characters, got '"
                    + key + "'");
        }
    }

    static Optional<Duration> parseRetryAfter(String value) {
        String v = value.strip();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(Instant.now(), at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException ignored) {
                return Optional.empty();
            }
        }
    }

    private static void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    private static CancellationException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        CancellationException c = new CancellationException("interrupted while talking to the QFed server");
        c.initCause(e);
        return c;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }

    /** Option bag for {@link QfedClient}. */
    public static final class Builder {
        private URI server;
        private Supplier<Optional<String>> tokens = Optional::empty;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private RetryPolicy retryPolicy = RetryPolicy.defaults();

        private Builder() {
        }

        /** The broker's base URL, e.g. {@code http://127.0.0.1:8080} (a path prefix is kept). */
        public Builder server(String url) {
            Objects.requireNonNull(url, "url");
            try {
                return server(new URI(url.strip()));
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("not a URL: '" + url + "' (" + e.getReason() + ")", e);
            }
        }

        /** The broker's base URL. */
        public Builder server(URI url) {
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || url.getHost() == null) {
                throw new IllegalArgumentException("the server URL must be http://HOST[:PORT] or https://…, got '"
                        + url + "'");
            }
            if (url.getQuery() != null || url.getFragment() != null) {
                throw new IllegalArgumentException("the server URL must not have a query or fragment: '" + url + "'");
            }
            String text = url.toString();
            while (text.endsWith("/")) {
                text = text.substring(0, text.length() - 1);
            }
            this.server = URI.create(text);
            return this;
        }

        /** A fixed bearer token (a JWT). */
        public Builder token(String token) {
            Objects.requireNonNull(token, "token");
            if (token.isBlank()) {
                throw new IllegalArgumentException("the token must not be blank");
            }
            this.tokens = () -> Optional.of(token);
            return this;
        }

        /**
         * Where to get the bearer token, asked before every request (so it can refresh an expiring one). An
         * empty answer sends no token.
         */
        public Builder tokenSupplier(Supplier<Optional<String>> tokens) {
            this.tokens = Objects.requireNonNull(tokens, "tokens");
            return this;
        }

        /** How long to wait for a connection (default 5 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** How long to wait for an answer, beyond the wait a long poll asks for (default 30 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** When to retry ({@link RetryPolicy#defaults()} unless set). */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The client; fails if no server URL was given. */
        public QfedClient build() {
            if (server == null) {
                throw new IllegalStateException("no server URL: call server(\"http://HOST:PORT\") first");
            }
            return new QfedClient(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }
    }
}
