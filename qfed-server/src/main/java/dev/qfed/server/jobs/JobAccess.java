package dev.qfed.server.jobs;

import dev.qfed.api.ErrorCode;
import dev.qfed.server.ApiException;
import dev.qfed.server.identity.Principal;
import dev.qfed.server.identity.Role;

/**
 * Who may do what with jobs, in one place:
 *
 * <ul>
 *   <li><b>write</b> (submit, cancel): {@link Role#RESEARCHER} or {@link Role#MEMBER_ADMIN}, and only for the
 *       caller's own member. An operator who also holds one of those roles writes for their own member only.
 *   <li><b>read</b> (get, list, result, events, wait): the writers, for their own member's jobs; and
 *       {@link Role#OPERATOR} (the consortium's SREs) for every member's jobs.
 * </ul>
 *
 * A job the caller may not read does not exist for them (404), so ids of other members' jobs reveal nothing; a
 * job they may read but not change (an operator cancelling another member's job) is {@code 403}.
 */
public final class JobAccess {
    private JobAccess() {
    }

    /** Whether the caller may submit and cancel for its own member. */
    public static boolean canWrite(Principal p) {
        return p.has(Role.RESEARCHER) || p.has(Role.MEMBER_ADMIN);
    }

    /** Whether the caller reads across members. */
    public static boolean readsEveryMember(Principal p) {
        return p.has(Role.OPERATOR);
    }

    /** Whether the caller may read a job of {@code member}. */
    public static boolean canRead(Principal p, String member) {
        return readsEveryMember(p) || (canWrite(p) && p.member().equals(member));
    }

    /** Refuses callers that may not submit or cancel jobs at all. */
    public static Principal requireWriter(Principal p) {
        if (!canWrite(p)) {
            throw ApiException.of(ErrorCode.FORBIDDEN, "submitting and cancelling jobs needs the RESEARCHER or "
                    + "MEMBER_ADMIN role; the token of " + p.user() + " has " + p.roles());
        }
        return p;
    }

    /** Refuses callers that may not read jobs at all. */
    public static Principal requireReader(Principal p) {
        if (!canWrite(p) && !readsEveryMember(p)) {
            throw ApiException.of(ErrorCode.FORBIDDEN, "reading jobs needs the RESEARCHER, MEMBER_ADMIN or OPERATOR "
                    + "role; the token of " + p.user() + " has " + p.roles());
        }
        return p;
    }

    /** Refuses changing a job of another member (the caller can read it, being an operator). */
    static void requireOwnMember(Principal p, JobRow job) {
        if (!p.member().equals(job.member()) || !canWrite(p)) {
            throw ApiException.of(ErrorCode.FORBIDDEN, "job " + job.id() + " belongs to member " + job.member()
                    + "; operators read every member's jobs but only the member's own researchers change them");
        }
    }
}
