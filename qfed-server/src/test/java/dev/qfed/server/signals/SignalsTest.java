package dev.qfed.server.signals;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignalsTest {
    private final Signals signals = new Signals();

    @Test
    void aSignalBetweenRegisteringAndWaitingIsNotLost() throws InterruptedException {
        try (Signals.Waiter w = signals.register(List.of(Signals.work("b")))) {
            signals.signal(Signals.work("b"));
            assertThat(w.await(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aWaiterHearsOnlyItsOwnKeys() throws InterruptedException {
        try (Signals.Waiter w = signals.register(List.of(Signals.job("1")))) {
            signals.signal(Signals.job("2"));
            signals.signal(Signals.work("1"));
            assertThat(w.await(Duration.ZERO)).isFalse();
        }
    }

    @Test
    void aSignalIsConsumedByTheWaitThatSawIt() throws InterruptedException {
        try (Signals.Waiter w = signals.register(List.of("k"))) {
            signals.signal("k");
            signals.signal("k");
            assertThat(w.await(Duration.ZERO)).isTrue();
            assertThat(w.await(Duration.ZERO)).isFalse();
        }
    }

    @Test
    void aSignalFromAnotherThreadWakesASleepingWaiter() throws Exception {
        try (Signals.Waiter w = signals.register(List.of("k"))) {
            Thread t = Thread.ofVirtual().start(() -> signals.signal("k"));
            assertThat(w.await(Duration.ofSeconds(30))).isTrue();
            t.join();
        }
    }

    @Test
    void newWorkWakesOnePollerAndAFullPollerPassesItOn() throws InterruptedException {
        try (Signals.Waiter a = signals.register(List.of(Signals.work("b")));
             Signals.Waiter b = signals.register(List.of(Signals.work("b")))) {
            signals.signal(Signals.work("b"));
            boolean aWoke = a.await(Duration.ZERO);
            boolean bWoke = b.await(Duration.ZERO);
            assertThat(aWoke ^ bWoke).as("exactly one woke").isTrue();
            signals.passOn(Signals.work("b"));
            signals.passOn(Signals.work("b"));
            assertThat(a.await(Duration.ZERO) && b.await(Duration.ZERO)).as("each passed signal wakes another").isTrue();
        }
    }

    @Test
    void aJobsOutcomeWakesEveryoneWaitingForIt() throws InterruptedException {
        try (Signals.Waiter a = signals.register(List.of(Signals.job("1")));
             Signals.Waiter b = signals.register(List.of(Signals.job("1")))) {
            signals.signal(Signals.job("1"));
            assertThat(a.await(Duration.ZERO)).isTrue();
            assertThat(b.await(Duration.ZERO)).isTrue();
        }
    }

    @Test
    void closedWaitersAreForgotten() {
        Signals.Waiter w = signals.register(List.of("a", "b"));
        assertThat(signals.waiting()).isEqualTo(2);
        w.close();
        assertThat(signals.waiting()).isZero();
    }

    @Test
    void signalsGoToThePublisherButThoseFromOtherReplicasDoNot() {
        List<String> published = new ArrayList<>();
        signals.publisher((Collection<String> keys) -> published.addAll(keys));
        signals.signal("local");
        signals.signalLocal(List.of("remote"));
        assertThat(published).containsExactly("local");
    }

    /** A client whose hang-up the test triggers by hand, as the HTTP layer's watcher would. */
    private static final class FakeClient implements Signals.Client {
        Runnable onHangup;
        boolean watchClosed;

        @Override
        public Signals.Watch watch(Runnable onHangup) {
            this.onHangup = onHangup;
            return () -> watchClosed = true;
        }
    }

    @Test
    void aWaitForAClientThatHangsUpEndsWithClientGone() throws Exception {
        FakeClient client = new FakeClient();
        signals.forClient(client, () -> {
            try (Signals.Waiter w = signals.register(List.of(Signals.job("1")))) {
                assertThat(w.await(Duration.ZERO)).isFalse();
                client.onHangup.run();
                assertThatThrownBy(() -> w.await(Duration.ofMinutes(10))).isInstanceOf(ClientGoneException.class);
            }
            return null;
        });
        assertThat(client.watchClosed).isTrue();
        assertThat(signals.hangups()).isEqualTo(1);
        assertThat(signals.waiters()).isZero();
    }

    @Test
    void aWaiterThatNeverSleepsDoesNotWatchItsClient() throws Exception {
        FakeClient client = new FakeClient();
        signals.forClient(client, () -> {
            try (Signals.Waiter w = signals.register(List.of(Signals.job("1")))) {
                assertThat(signals.waiters()).isEqualTo(1);
            }
            return null;
        });
        assertThat(client.onHangup).isNull();
        assertThat(signals.waiters()).isZero();
    }

    @Test
    void waitersRegisteredOutsideAClientsPollWatchNothing() throws Exception {
        FakeClient client = new FakeClient();
        signals.forClient(client, () -> null);
        try (Signals.Waiter w = signals.register(List.of(Signals.job("1")))) {
            assertThat(w.await(Duration.ZERO)).isFalse();
        }
        assertThat(client.onHangup).isNull();
    }
}
