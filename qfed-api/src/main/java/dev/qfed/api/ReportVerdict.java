package dev.qfed.api;

/** What the broker made of one reported item. */
public enum ReportVerdict {
    /** Recorded now. */
    ACCEPTED,
    /** The same report from the same lease was recorded before; nothing changed. */
    REPEATED,
    /** Not recorded; the outcome's problem says why (e.g. {@code lease-not-current}: drop the job). */
    REFUSED
}
