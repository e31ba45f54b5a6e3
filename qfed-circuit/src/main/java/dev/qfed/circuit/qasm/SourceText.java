package dev.qfed.circuit.qasm;

/** The text of one source file and the name its diagnostics report. */
record SourceText(String name, String text) {

    /** Line {@code line} (1-based) without its terminator, cut shortly after {@code column} so huge lines stay readable. */
    String line(int line, int column) {
        int start = 0;
        for (int l = 1; l < line && start < text.length(); l++) {
            int next = nextLineStart(start);
            if (next < 0) {
                return "";
            }
            start = next;
        }
        int end = start;
        while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
            end++;
        }
        int cut = (int) Math.min(end, start + (long) Math.max(column, 1) + 80);
        return cut < end ? text.substring(start, cut) + " …" : text.substring(start, end);
    }

    private int nextLineStart(int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                return i + 1;
            }
            if (c == '\r') {
                return i + 1 < text.length() && text.charAt(i + 1) == '\n' ? i + 2 : i + 1;
            }
        }
        return -1;
    }
}
