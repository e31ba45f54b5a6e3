package dev.qfed.cli;

import picocli.CommandLine;

import java.util.Locale;

/**
 * How a command prints its result: a readable report ({@code table}, also called {@code text}: the same format),
 * or one JSON document on standard output.
 */
public enum OutputFormat {
    TEXT, JSON;

    /** Reads {@code --output}: {@code table} and {@code text} are one format. */
    public static OutputFormat parse(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "table", "text" -> TEXT;
            case "json" -> JSON;
            default -> throw new CommandLine.TypeConversionException(
                    "expected table (or text) or json, got '" + value + "'");
        };
    }

    /** Commands whose {@code --output} option selects a format; errors are then printed in that format too. */
    public interface Selectable {
        OutputFormat output();
    }
}
