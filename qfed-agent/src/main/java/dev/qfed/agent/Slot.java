package dev.qfed.agent;

import dev.qfed.agent.spi.Backend;

/** One configured backend and how many of its slots are taken ({@link #running} is guarded by the agent's lock). */
final class Slot {
    final String name;
    final Backend backend;
    final int limit;
    int running;

    Slot(String name, Backend backend, int limit) {
        this.name = name;
        this.backend = backend;
        this.limit = limit;
    }
}
