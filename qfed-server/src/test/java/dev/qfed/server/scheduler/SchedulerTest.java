package dev.qfed.server.scheduler;

import dev.qfed.server.ApiException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchedulerTest {
    private static final Set<String> GATES = Set.of("h", "cx", "rz", "x");
    private final Scheduler scheduler = new Scheduler(new ShortestWaitChooser());

    private static BackendCandidate backend(String name, int qubits, boolean online, long queued, double meanSeconds) {
        return new BackendCandidate(name, "aurora", qubits, GATES, online, queued, 0, meanSeconds);
    }

    private static JobNeeds needs(int qubits, String... gates) {
        return new JobNeeds(qubits, Set.of(gates));
    }

    @Test
    void autoPicksTheFittingBackendWithTheShortestExpectedWait() {
        var busyFast = backend("busy-fast", 5, true, 10, 0.1);  // 1 s
        var idleSlow = backend("idle-slow", 5, true, 1, 5.0);   // 5 s
        var tooSmall = backend("tiny", 1, true, 0, 0.1);
        assertThat(scheduler.place("auto", needs(2, "h", "cx"), List.of(idleSlow, busyFast, tooSmall)))
                .isEqualTo("busy-fast");
    }

    @Test
    void autoPrefersOnlineBackendsEvenWithLongerQueues() {
        var offline = backend("offline", 5, false, 0, 1);
        var online = backend("online", 5, true, 50, 1);
        assertThat(scheduler.place("auto", needs(2, "h"), List.of(offline, online))).isEqualTo("online");
    }

    @Test
    void onEqualWaitsTheSmallestFittingDeviceIsChosen() {
        var big = backend("big", 27, true, 0, 1);
        var small = backend("small", 5, true, 0, 1);
        assertThat(scheduler.place("auto", needs(2, "h"), List.of(big, small))).isEqualTo("small");
    }

    @Test
    void aCircuitWithAnUnsupportedGateFitsNoBackend() {
        var b = backend("b", 5, true, 0, 1);
        assertThatThrownBy(() -> scheduler.place("auto", needs(2, "h", "ccx"), List.of(b)))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("no-fitting-backend")
                .hasMessageContaining("gates [ccx] are not supported");
    }

    @Test
    void aNamedBackendMustExistAndFit() {
        var b = backend("b", 2, false, 0, 1);
        assertThat(scheduler.place("b", needs(2, "h"), List.of(b))).as("offline is fine: it queues").isEqualTo("b");
        assertThatThrownBy(() -> scheduler.place("c", needs(2, "h"), List.of(b)))
                .hasMessageContaining("unknown-backend");
        assertThatThrownBy(() -> scheduler.place("b", needs(3, "h"), List.of(b)))
                .hasMessageContaining("needs 3 qubits, the backend has 2");
    }

    @Test
    void withNoBackendAtAllTheCallerIsToldToStartAnAgent() {
        assertThatThrownBy(() -> scheduler.place("auto", needs(1), List.of()))
                .hasMessageContaining("no backend is registered yet");
    }

    @Test
    void aPolicyMayRefuseEveryBackend() {
        Scheduler refusing = new Scheduler((n, fitting) -> java.util.Optional.empty());
        assertThatThrownBy(() -> refusing.place("auto", needs(1), List.of(backend("b", 5, true, 0, 1))))
                .hasMessageContaining("refused every fitting backend");
    }
}
