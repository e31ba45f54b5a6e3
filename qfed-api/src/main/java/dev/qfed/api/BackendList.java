package dev.qfed.api;

import java.util.List;

/** Body of {@code GET /v1/backends}, ordered by name. */
public record BackendList(List<Backend> backends) {
    public BackendList {
        backends = Checks.list(backends, "backends");
    }
}
