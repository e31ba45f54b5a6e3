package dev.qfed.cli.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code qfed} command in its own JVM ({@code java -cp <this JVM's class path> dev.qfed.cli.Main ARGS}), for
 * tests that kill it with SIGKILL or stop it with SIGTERM. Output goes to a log file per start, kept for a failing
 * test's reader. Restartable: {@link #start()} again after {@link #kill()} runs the same command line.
 */
public final class QfedProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final List<String> args;
    private final Path logDir;
    private final Map<String, String> environment;
    private Process process;
    private int starts;

    private QfedProcess(String name, List<String> args, Path logDir, Map<String, String> environment) {
        this.name = name;
        this.args = List.copyOf(args);
        this.logDir = logDir;
        this.environment = Map.copyOf(environment);
    }

    /** A process not yet started. */
    public static QfedProcess of(String name, Path logDir, Map<String, String> environment, String... args) {
        return new QfedProcess(name, List.of(args), logDir, environment);
    }

    /** Starts (again). */
    public synchronized QfedProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running already");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small, quick-starting JVMs: several run at once on a 2-core machine.
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss1m",
                "-cp", System.getProperty("java.class.path"), "dev.qfed.cli.Main"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logDir.resolve(name + "-" + (++starts) + ".log").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("QFED_"));
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        return this;
    }

    /** SIGKILL, and waits until the process is gone. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(process);
        }
    }

    /** SIGTERM, and waits until the process has exited; returns its exit code. */
    public synchronized int stop() {
        if (process == null) {
            return -1;
        }
        process.destroy();
        waitFor(process);
        return process.exitValue();
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public String name() {
        return name;
    }

    /** Starts it when it is not running. */
    public synchronized void ensureRunning() {
        if (!isAlive()) {
            start();
        }
    }

    /** What the last start printed so far. */
    public String output() {
        try {
            return Files.readString(logDir.resolve(name + "-" + starts + ".log"));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** Waits until {@code GET url} answers 200, failing with the process's output after {@code timeout}. */
    public void awaitHttpOk(URI url, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isAlive()) {
                throw new IllegalStateException(name + " exited while starting:\n" + output());
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            sleep(100);
        }
        throw new IllegalStateException(name + " did not answer " + url + " within " + timeout + ":\n" + output());
    }

    @Override
    public void close() {
        kill();
    }

    private static void waitFor(Process p) {
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
