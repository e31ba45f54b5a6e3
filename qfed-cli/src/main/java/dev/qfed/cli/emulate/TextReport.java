package dev.qfed.cli.emulate;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Tables and ASCII histograms for {@code --output text}. */
public final class TextReport {
    private static final int BAR_WIDTH = 40;
    private static final int MAX_ROWS = 32;

    private TextReport() {
    }

    /**
     * One row per outcome with a bar scaled to the largest value. Counts are listed most frequent first with
     * their share of {@code total}; probabilities in bit-string order.
     */
    public static void histogram(PrintWriter out, String heading, List<Map.Entry<String, Double>> rows, double total,
                          boolean counts) {
        Comparator<Map.Entry<String, Double>> order = counts
                ? Comparator.<Map.Entry<String, Double>>comparingDouble(Map.Entry::getValue).reversed()
                        .thenComparing(Map.Entry::getKey)
                : Map.Entry.comparingByKey();
        List<Map.Entry<String, Double>> sorted = rows.stream().sorted(order).toList();
        int labelWidth = Math.max(heading.length(), sorted.stream().mapToInt(e -> e.getKey().length()).max().orElse(0));
        double max = sorted.stream().mapToDouble(Map.Entry::getValue).max().orElse(1);
        out.println(String.format("%-" + labelWidth + "s  %s", heading,
                counts ? "       count  probability" : "probability").stripTrailing());
        for (Map.Entry<String, Double> e : sorted.subList(0, Math.min(MAX_ROWS, sorted.size()))) {
            String label = e.getKey().isEmpty() ? "(no bits)" : e.getKey();
            String value = counts
                    ? String.format(Locale.ROOT, "%12d  %11.4f", e.getValue().longValue(), e.getValue() / total)
                    : String.format(Locale.ROOT, "%11.6f", e.getValue());
            int bar = (int) Math.round(BAR_WIDTH * e.getValue() / max);
            out.printf("%-" + labelWidth + "s  %s  %s%n", label, value, "#".repeat(bar));
        }
        if (sorted.size() > MAX_ROWS) {
            out.printf("... %d more outcomes (use --output json for all)%n", sorted.size() - MAX_ROWS);
        }
    }
}
