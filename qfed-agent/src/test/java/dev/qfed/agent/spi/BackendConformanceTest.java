package dev.qfed.agent.spi;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The rules every {@link Backend} keeps, as a test suite an adapter runs against itself. Cases for optional
 * behaviours run or are skipped by what {@link BackendDescription#behaviors()} declares.
 *
 * <p>To use it from another module, depend on {@code dev.qfed:qfed-agent} with {@code <type>test-jar</type>} and
 * {@code <scope>test</scope>}, then:
 * <pre>{@code
 * class AcmeBackendConformanceTest extends BackendConformanceTest {
 *     @Override
 *     protected Backend createBackend() {
 *         return new AcmeBackendFactory().create("acme-7", Map.of("endpoint", "…"), BackendContext.of(Path.of(".")));
 *     }
 * }
 * }</pre>
 *
 * The backend needs at least two qubits and the standard gates {@code x}, {@code h}, {@code cx} and {@code rx}
 * (natively or by translation). Counts are checked with margins wide enough for a noisy device: most shots of a
 * Bell pair must be {@code 00} or {@code 11}.
 */
public abstract class BackendConformanceTest {
    /** Gate names as the broker accepts them in a registration. */
    private static final Pattern GATE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,31}");
    private static final Pattern BACKEND_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    protected static final String BELL = """
            OPENQASM 2.0;
            include "qelib1.inc";
            qreg q[2];
            creg c[2];
            h q[0];
            cx q[0], q[1];
            measure q -> c;
            """;

    protected static final String X_ON_FIRST = """
            OPENQASM 2.0;
            include "qelib1.inc";
            qreg q[2];
            creg c[2];
            x q[0];
            measure q -> c;
            """;

    protected static final String X_ON_SECOND = """
            OPENQASM 2.0;
            include "qelib1.inc";
            qreg q[2];
            creg c[2];
            x q[1];
            measure q -> c;
            """;

    protected static final String UNIFORM = """
            OPENQASM 2.0;
            include "qelib1.inc";
            qreg q[2];
            creg c[2];
            h q[0];
            h q[1];
            measure q -> c;
            """;

    protected static final String ROTATION = """
            OPENQASM 3.0;
            include "stdgates.inc";
            input float theta;
            qubit[1] q;
            bit[1] c;
            rx(theta) q[0];
            c[0] = measure q[0];
            """;

    protected Backend backend;
    private int executions;

    /**
     * A new backend under test. Called before every test; the suite closes it after. It must have at least two
     * qubits.
     */
    protected abstract Backend createBackend();

    /** Shots for the statistical cases; larger values make the margins safer on noisy devices. */
    protected int shots() {
        return 2000;
    }

    @BeforeEach
    final void openBackend() {
        backend = createBackend();
    }

    @AfterEach
    final void closeBackend() {
        backend.close();
    }

    // ------------------------------------------------------------------------------------------ description

    @Test
    void describeIsConsistentAndFitsTheBroker() {
        BackendDescription d = backend.describe();
        assertThat(d.name()).matches(BACKEND_NAME);
        assertThat(d.numQubits()).as("qubits (the suite needs 2)").isGreaterThanOrEqualTo(2);
        assertThat(d.nativeGates()).isNotEmpty().allMatch(g -> GATE_NAME.matcher(g).matches());
        assertThat(d.supportedGates()).allMatch(g -> GATE_NAME.matcher(g).matches());
        assertThat(d.effectiveSupportedGates()).containsAll(List.of("x", "h", "cx"));
        assertThat(d.maxConcurrentExecutions()).isPositive();
        assertThat(d.version()).isNotBlank();
        d.device().ifPresent(dev -> assertThat(dev.numQubits()).isEqualTo(d.numQubits()));
        assertThat(backend.describe()).as("a second describe()").isEqualTo(d);
    }

    // ------------------------------------------------------------------------------------------ execution

    @Test
    void aBellPairGivesMostlyCorrelatedOutcomes() {
        ExecutionResult.Completed done = completed(run(List.of(CircuitSource.of(BELL)), shots(), 7));
        assertThat(done.circuits()).hasSize(1);
        Map<String, Long> counts = done.circuits().get(0).counts();
        assertThat(counts.keySet()).allMatch(k -> k.matches("[01]{2}"));
        assertThat(done.circuits().get(0).shots()).isEqualTo(shots());
        long correlated = counts.getOrDefault("00", 0L) + counts.getOrDefault("11", 0L);
        assertThat(correlated).as("shots giving 00 or 11 in " + counts).isGreaterThan(shots() * 8L / 10);
        assertThat(counts.getOrDefault("00", 0L)).as("00 in " + counts).isBetween(shots() * 3L / 10, shots() * 7L / 10);
        assertThat(counts.getOrDefault("11", 0L)).as("11 in " + counts).isBetween(shots() * 3L / 10, shots() * 7L / 10);
    }

    @Test
    void bitStringsPutClassicalBitZeroRightmostAndResultsFollowTheCircuitOrder() {
        ExecutionResult.Completed done = completed(run(List.of(CircuitSource.of(X_ON_FIRST),
                CircuitSource.of(X_ON_SECOND)), shots(), 11));
        assertThat(done.circuits()).hasSize(2);
        assertThat(mostFrequent(done.circuits().get(0))).isEqualTo("01");
        assertThat(mostFrequent(done.circuits().get(1))).isEqualTo("10");
    }

    @Test
    void oneShotIsEnough() {
        ExecutionResult.Completed done = completed(run(List.of(CircuitSource.of(BELL)), 1, 3));
        assertThat(done.circuits().get(0).shots()).isEqualTo(1);
    }

    @Test
    void metadataNamesTheBackendAndTheSeed() {
        ExecutionResult.Completed done = completed(run(List.of(CircuitSource.of(BELL)), 10, 12345));
        assertThat(done.metadata().backend()).isEqualTo(backend.describe().name());
        assertThat(done.metadata().seed()).isEqualTo(12345);
        assertThat(done.metadata().executionTime().isNegative()).isFalse();
    }

    @Test
    void aCircuitLargerThanTheDeviceIsRefusedForGood() {
        int n = backend.describe().numQubits() + 1;
        String wide = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[" + n + "];\ncreg c[" + n + "];\n"
                + "x q[" + (n - 1) + "];\nmeasure q -> c;\n";
        ExecutionResult.Failed failed = failed(run(List.of(CircuitSource.of(BELL), CircuitSource.of(wide)), 10, 1));
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.reason()).contains("circuits[1]").contains(Integer.toString(n));
    }

    @Test
    void invalidOpenQasmIsRefusedForGoodWithItsPosition() {
        String broken = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nhh q[0];\n";
        ExecutionResult.Failed failed = failed(run(List.of(CircuitSource.of(broken)), 10, 1));
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.reason()).contains("circuits[0]").contains("4:1").contains("hh");
    }

    @Test
    void includesFromDiskAreRefused() {
        String including = "OPENQASM 2.0;\ninclude \"/etc/passwd\";\nqreg q[1];\n";
        ExecutionResult.Failed failed = failed(run(List.of(CircuitSource.of(including)), 10, 1));
        assertThat(failed.retryable()).isFalse();
    }

    // ------------------------------------------------------------------------------------------ behaviours

    @Test
    void theSameSeedGivesTheSameCounts() {
        assumeTrue(backend.describe().has(BackendBehavior.REPRODUCIBLE_SEEDS), "backend does not declare REPRODUCIBLE_SEEDS");
        List<CircuitSource> circuits = List.of(CircuitSource.of(UNIFORM), CircuitSource.of(BELL));
        ExecutionResult.Completed first = completed(run(circuits, 500, 42));
        ExecutionResult.Completed again = completed(run(circuits, 500, 42));
        ExecutionResult.Completed other = completed(run(circuits, 500, 43));
        assertThat(again.circuits()).isEqualTo(first.circuits());
        assertThat(other.circuits().get(0)).isNotEqualTo(first.circuits().get(0));
    }

    @Test
    void parametersAreBound() {
        assumeTrue(backend.describe().has(BackendBehavior.PARAMETERS), "backend does not declare PARAMETERS");
        ExecutionResult.Completed done = completed(run(List.of(
                CircuitSource.of(ROTATION, Map.of("theta", Math.PI)),
                CircuitSource.of(ROTATION, Map.of("theta", 0.0))), shots(), 5));
        assertThat(mostFrequent(done.circuits().get(0))).isEqualTo("1");
        assertThat(mostFrequent(done.circuits().get(1))).isEqualTo("0");
    }

    @Test
    void aParameterWithoutValueIsRefusedForGood() {
        assumeTrue(backend.describe().has(BackendBehavior.PARAMETERS), "backend does not declare PARAMETERS");
        ExecutionResult.Failed failed = failed(run(List.of(CircuitSource.of(ROTATION)), 10, 1));
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.reason()).contains("theta");
    }

    @Test
    void aValueForAnUnknownParameterIsRefusedForGood() {
        assumeTrue(backend.describe().has(BackendBehavior.PARAMETERS), "backend does not declare PARAMETERS");
        ExecutionResult.Failed failed = failed(run(List.of(
                CircuitSource.of(ROTATION, Map.of("theta", 1.0, "phi", 2.0))), 10, 1));
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.reason()).contains("phi");
    }

    @Test
    void aTokenTrippedBeforehandCancelsTheExecution() {
        assumeTrue(backend.describe().has(BackendBehavior.CANCELLATION), "backend does not declare CANCELLATION");
        CancellationSource token = new CancellationSource();
        token.cancel("cancelled by the submitter");
        ExecutionResult r = backend.execute(request(List.of(CircuitSource.of(BELL)), 100, 1, token));
        assertThat(r).isEqualTo(new ExecutionResult.Cancelled("cancelled by the submitter"));
    }

    @Test
    void aTokenTrippedDuringTheExecutionStopsItBeforeTheNextCircuit() {
        assumeTrue(backend.describe().has(BackendBehavior.CANCELLATION), "backend does not declare CANCELLATION");
        TripsAfter token = new TripsAfter(1);
        ExecutionResult r = backend.execute(request(List.of(CircuitSource.of(BELL), CircuitSource.of(BELL),
                CircuitSource.of(BELL)), 100, 1, token));
        assertThat(r).isInstanceOf(ExecutionResult.Cancelled.class);
        assertThat(token.polls()).as("times the token was looked at").isGreaterThan(1);
    }

    @Test
    void itRunsItsDeclaredNumberOfExecutionsAtOnce() throws Exception {
        int n = Math.min(backend.describe().maxConcurrentExecutions(), 8);
        CountDownLatch ready = new CountDownLatch(n);
        List<Future<ExecutionResult>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                long seed = 100 + i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    ready.await();
                    return run(List.of(CircuitSource.of(BELL)), 500, seed);
                }));
            }
            for (int i = 0; i < n; i++) {
                ExecutionResult.Completed done = completed(futures.get(i).get());
                assertThat(done.circuits().get(0).shots()).isEqualTo(500);
                if (backend.describe().has(BackendBehavior.REPRODUCIBLE_SEEDS)) {
                    assertThat(done.circuits()).isEqualTo(completed(run(List.of(CircuitSource.of(BELL)), 500, 100 + i))
                            .circuits());
                }
            }
        }
    }

    @Test
    void optionalOperationsItDoesNotDeclareThrowTheOneNotSupportedWording() {
        BackendDescription d = backend.describe();
        if (!d.has(BackendBehavior.CANCEL_BY_ID)) {
            assertThatThrownBy(() -> backend.cancel(new ExecutionId("job-1", 1)))
                    .isInstanceOf(UnsupportedBackendOperationException.class)
                    .hasMessage("backend '" + d.name() + "' does not support cancel");
        }
        if (!d.has(BackendBehavior.REFRESH_DESCRIPTION)) {
            assertThatThrownBy(() -> backend.refreshDescription())
                    .isInstanceOf(UnsupportedBackendOperationException.class)
                    .hasMessage("backend '" + d.name() + "' does not support refreshDescription");
        }
    }

    @Test
    void aRefreshedDescriptionKeepsNameAndQubits() {
        assumeTrue(backend.describe().has(BackendBehavior.REFRESH_DESCRIPTION),
                "backend does not declare REFRESH_DESCRIPTION");
        BackendDescription before = backend.describe();
        BackendDescription after = backend.refreshDescription();
        assertThat(after.name()).isEqualTo(before.name());
        assertThat(after.numQubits()).isEqualTo(before.numQubits());
        assertThat(backend.describe()).isEqualTo(after);
    }

    @Test
    void cancelOfAnUnknownExecutionIsIgnored() {
        assumeTrue(backend.describe().has(BackendBehavior.CANCEL_BY_ID), "backend does not declare CANCEL_BY_ID");
        backend.cancel(new ExecutionId("no-such-job", 1));
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** Runs circuits with a token that is never tripped. */
    protected ExecutionResult run(List<CircuitSource> circuits, int shots, long seed) {
        return backend.execute(request(circuits, shots, seed, CancellationToken.NONE));
    }

    protected ExecutionRequest request(List<CircuitSource> circuits, int shots, long seed, CancellationToken token) {
        int n;
        synchronized (this) {
            n = ++executions;
        }
        return new ExecutionRequest(new ExecutionId("conformance-" + n, 1), circuits, shots, seed, token);
    }

    protected static ExecutionResult.Completed completed(ExecutionResult r) {
        assertThat(r).isInstanceOf(ExecutionResult.Completed.class);
        return (ExecutionResult.Completed) r;
    }

    protected static ExecutionResult.Failed failed(ExecutionResult r) {
        assertThat(r).isInstanceOf(ExecutionResult.Failed.class);
        return (ExecutionResult.Failed) r;
    }

    protected static String mostFrequent(CircuitCounts counts) {
        return counts.counts().entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /** A token that reads as tripped from its {@code n+1}-th poll on: deterministic "cancel while running". */
    public static final class TripsAfter implements CancellationToken {
        private final AtomicInteger polls = new AtomicInteger();
        private final int falsePolls;

        public TripsAfter(int falsePolls) {
            this.falsePolls = falsePolls;
        }

        @Override
        public boolean isCancellationRequested() {
            return polls.incrementAndGet() > falsePolls;
        }

        /** How many times the token was looked at. */
        public int polls() {
            return polls.get();
        }

        @Override
        public Optional<String> reason() {
            return polls.get() > falsePolls ? Optional.of("cancelled during the run") : Optional.empty();
        }
    }
}
