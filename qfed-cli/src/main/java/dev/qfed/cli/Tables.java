package dev.qfed.cli;

import java.io.PrintWriter;
import java.util.List;

/** The two text layouts of {@code --output table}: key-value rows and aligned columns. */
public final class Tables {
    private Tables() {
    }

    /** {@code key} padded to a column, then the value. */
    public static void row(PrintWriter out, String key, String value) {
        out.printf("%-10s %s%n", key, value);
    }

    /** Left-aligned columns two spaces apart, the first row as heading, trailing blanks trimmed. */
    public static void columns(PrintWriter out, List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < r.length; c++) {
                line.append(String.format("%-" + width[c] + "s", r[c])).append(c < r.length - 1 ? "  " : "");
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
