package dev.qfed.cli;

/** How a command prints its result: a readable report, or one JSON document on standard output. */
public enum OutputFormat {
    TEXT, JSON;

    /** Commands whose {@code --output} option selects a format; errors are then printed in that format too. */
    public interface Selectable {
        OutputFormat output();
    }
}
