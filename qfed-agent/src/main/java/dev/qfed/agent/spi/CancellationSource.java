package dev.qfed.agent.spi;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** A {@link CancellationToken} that whoever holds it can trip: the agent makes one per execution. */
public final class CancellationSource implements CancellationToken {
    private final AtomicReference<String> reason = new AtomicReference<>();

    /**
     * Trips the token. Only the first reason is kept.
     *
     * @return whether this call tripped it (false when it was tripped already)
     */
    public boolean cancel(String why) {
        return reason.compareAndSet(null, Objects.requireNonNull(why, "why"));
    }

    @Override
    public boolean isCancellationRequested() {
        return reason.get() != null;
    }

    @Override
    public Optional<String> reason() {
        return Optional.ofNullable(reason.get());
    }
}
