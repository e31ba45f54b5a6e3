package dev.qfed.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Argument checks for the compact constructors of wire records; messages name the JSON field. */
final class Checks {
    private Checks() {
    }

    static String text(String value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }

    static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    static <T> Optional<T> optional(Optional<T> value) {
        return value == null ? Optional.empty() : value;
    }

    static <T> List<T> list(List<T> value, String field) {
        if (value == null) {
            return List.of();
        }
        for (T item : value) {
            if (item == null) {
                throw new IllegalArgumentException(field + " must not contain null");
            }
        }
        return List.copyOf(value);
    }

    /** An unmodifiable copy that keeps the order the sender gave. */
    static <K, V> Map<K, V> map(Map<K, V> value, String field) {
        if (value == null) {
            return Map.of();
        }
        Map<K, V> copy = new LinkedHashMap<>();
        value.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new IllegalArgumentException(field + " must not contain null keys or values");
            }
            copy.put(k, v);
        });
        return java.util.Collections.unmodifiableMap(copy);
    }

    static int nonNegative(int value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative, got " + value);
        }
        return value;
    }

    static long nonNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative, got " + value);
        }
        return value;
    }

    static void requireNonNull(Object value, String field) {
        Objects.requireNonNull(value, field);
    }
}
