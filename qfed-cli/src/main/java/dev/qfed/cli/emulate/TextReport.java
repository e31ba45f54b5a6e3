package dev.qfed.cli.emulate;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Tables and ASCII histograms for {@code --output text}. */
final class TextReport {
    private static final int BAR_WIDTH = 40;
    private static final int MAX_ROWS = 32;

    private TextReport() {
    }

    /**
     * One row per outcome, most frequent first: label, value (a count when {@code counts}, else a probability),
     * share of {@code total}, and a bar scaled to the largest value.
     */
    static void histogram(PrintWriter out, String heading, List<Map.Entry<String, Double>> rows, double total,
                          boolean counts) {
        List<Map.Entry<String, Double>> sorted = rows.stream()
                .sorted(Comparator.<Map.Entry<String, Double>>comparingDouble(Map.Entry::getValue).reversed()
                        .thenComparing(Map.Entry::getKey))
                .toList();
        int labelWidth = Math.max(heading.length(), sorted.stream().mapToInt(e -> e.getKey().length()).max().orElse(0));
        double max = sorted.isEmpty() ? 1 : sorted.getFirst().getValue();
        out.printf("%-" + labelWidth + "s  %12s  %11s%n", heading, counts ? "count" : "probability",
                counts ? "probability" : "");
        for (Map.Entry<String, Double> e : sorted.subList(0, Math.min(MAX_ROWS, sorted.size()))) {
            String label = e.getKey().isEmpty() ? "(no bits)" : e.getKey();
            String value = counts ? String.format("%12d", e.getValue().longValue())
                    : String.format(java.util.Locale.ROOT, "%12.6f", e.getValue());
            String share = counts ? String.format(java.util.Locale.ROOT, "%11.4f", e.getValue() / total) : "           ";
            int bar = (int) Math.round(BAR_WIDTH * e.getValue() / max);
            out.printf("%-" + labelWidth + "s  %s  %s  %s%n", label, value, share, "#".repeat(bar));
        }
        if (sorted.size() > MAX_ROWS) {
            out.printf("... %d more outcomes (use --output json for all)%n", sorted.size() - MAX_ROWS);
        }
    }
}
