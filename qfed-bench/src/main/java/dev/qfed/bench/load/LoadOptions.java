package dev.qfed.bench.load;

import java.time.Duration;
import java.util.Objects;

/**
 * What one load run does.
 *
 * @param jobs        how many jobs to submit and measure
 * @param warmupJobs  how many jobs to submit first, with the same rate and concurrency, and not measure: the
 *                    client's own start (JIT compilation, connections) would otherwise count as the broker's latency
 * @param concurrency submits in flight at once (one follower waits for all the acknowledged jobs)
 * @param rate        target submits per second; 0 means as fast as {@code concurrency} allows
 * @param qubits      width of the GHZ circuit each job runs
 * @param shots       shots per job
 * @param backend     a backend name or {@code auto}
 * @param timeout     the run's bound (and the warm-up's): no submit starts and no wait goes on after it
 */
public record LoadOptions(int jobs, int warmupJobs, int concurrency, double rate, int qubits, int shots,
                          String backend, Duration timeout) {
    public static final int MAX_JOBS = 1_000_000;
    public static final int MAX_CONCURRENCY = 4_096;

    public LoadOptions {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(timeout, "timeout");
        if (jobs < 1 || jobs > MAX_JOBS) {
            throw new IllegalArgumentException("--jobs must be between 1 and " + MAX_JOBS + ", got " + jobs);
        }
        if (warmupJobs < 0 || warmupJobs > MAX_JOBS) {
            throw new IllegalArgumentException("--warmup must be between 0 and " + MAX_JOBS + ", got " + warmupJobs);
        }
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("--concurrency must be between 1 and " + MAX_CONCURRENCY + ", got "
                    + concurrency);
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("--rate must be a finite number of jobs per second (0 = as fast as "
                    + "possible), got " + rate);
        }
        if (qubits < 1 || qubits > 32) {
            throw new IllegalArgumentException("--qubits must be between 1 and 32, got " + qubits);
        }
        if (shots < 1) {
            throw new IllegalArgumentException("--shots must be at least 1, got " + shots);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be positive, got " + timeout);
        }
    }

    /** The warm-up run: {@code warmupJobs} jobs, measured by nobody, with no warm-up of its own. */
    LoadOptions warmup() {
        return new LoadOptions(warmupJobs, 0, concurrency, rate, qubits, shots, backend, timeout);
    }

    /** The GHZ state on {@code qubits} qubits, all measured: outcomes 0…0 and 1…1. */
    public String circuit() {
        StringBuilder q = new StringBuilder("OPENQASM 2.0;\ninclude \"qelib1.inc\";\n");
        q.append("qreg q[").append(qubits).append("];\ncreg c[").append(qubits).append("];\nh q[0];\n");
        for (int i = 1; i < qubits; i++) {
            q.append("cx q[").append(i - 1).append("], q[").append(i).append("];\n");
        }
        return q.append("measure q -> c;\n").toString();
    }
}
