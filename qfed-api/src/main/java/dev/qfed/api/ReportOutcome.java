package dev.qfed.api;

import java.util.Optional;

/**
 * The broker's answer to one reported item.
 *
 * @param leaseId the lease the item named
 * @param verdict accepted, a repeat, or refused
 * @param problem why it was refused; present exactly when {@code verdict} is {@link ReportVerdict#REFUSED}
 */
public record ReportOutcome(String leaseId, ReportVerdict verdict, Optional<Problem> problem) {
    public ReportOutcome {
        leaseId = Checks.text(leaseId, "lease_id");
        verdict = Checks.present(verdict, "verdict");
        problem = Checks.optional(problem);
        if (problem.isPresent() != (verdict == ReportVerdict.REFUSED)) {
            throw new IllegalArgumentException("problem must be present exactly when the verdict is REFUSED");
        }
    }

    public static ReportOutcome accepted(String leaseId) {
        return new ReportOutcome(leaseId, ReportVerdict.ACCEPTED, Optional.empty());
    }

    public static ReportOutcome repeated(String leaseId) {
        return new ReportOutcome(leaseId, ReportVerdict.REPEATED, Optional.empty());
    }

    public static ReportOutcome refused(String leaseId, Problem problem) {
        return new ReportOutcome(leaseId, ReportVerdict.REFUSED, Optional.of(problem));
    }
}
