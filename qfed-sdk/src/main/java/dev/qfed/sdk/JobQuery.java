package dev.qfed.sdk;

import dev.qfed.api.JobStatus;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Filters for {@link QfedClient#list} and {@link QfedClient#listAll}: every filter given must hold. Build one with
 * {@link #builder()}; {@link #all()} matches every job of the caller's member.
 *
 * @param project  only jobs of this project
 * @param statuses only jobs in one of these states; empty means any
 * @param tags     only jobs that carry all of these tags
 * @param backend  only jobs on this backend
 * @param member   only jobs of this member; operators may name any member (and see every member's jobs without
 *                 it), others only their own
 * @param pageSize jobs per page (1 to 500); the server's default when empty
 * @param cursor   where to continue: the {@code next_cursor} of an earlier page
 */
public record JobQuery(Optional<String> project, Set<JobStatus> statuses, Map<String, String> tags,
                       Optional<String> backend, Optional<String> member, Optional<Integer> pageSize,
                       Optional<String> cursor) {

    /** The most jobs one page may hold. */
    public static final int MAX_PAGE_SIZE = 500;

    /** Checks the page size and tag keys; copies the collections. */
    public JobQuery {
        project = Objects.requireNonNull(project, "project");
        statuses = statuses.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(statuses));
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        backend = Objects.requireNonNull(backend, "backend");
        member = Objects.requireNonNull(member, "member");
        pageSize = Objects.requireNonNull(pageSize, "pageSize");
        cursor = Objects.requireNonNull(cursor, "cursor");
        pageSize.ifPresent(n -> {
            if (n < 1 || n > MAX_PAGE_SIZE) {
                throw new IllegalArgumentException("pageSize must be between 1 and " + MAX_PAGE_SIZE + ", got " + n);
            }
        });
        tags.forEach((k, v) -> {
            if (k.isEmpty() || k.indexOf('=') >= 0) {
                throw new IllegalArgumentException("a tag key must be non-empty and contain no '=', got '" + k + "'");
            }
        });
    }

    /** Every job of the caller's member, in pages of the server's default size. */
    public static JobQuery all() {
        return builder().build();
    }

    /** A builder with no filters. */
    public static Builder builder() {
        return new Builder();
    }

    /** The same filters, continuing at {@code nextCursor}. */
    public JobQuery withCursor(String nextCursor) {
        return new JobQuery(project, statuses, tags, backend, member, pageSize, Optional.of(nextCursor));
    }

    /** Option bag for {@link JobQuery}. */
    public static final class Builder {
        private Optional<String> project = Optional.empty();
        private final Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
        private final Map<String, String> tags = new LinkedHashMap<>();
        private Optional<String> backend = Optional.empty();
        private Optional<String> member = Optional.empty();
        private Optional<Integer> pageSize = Optional.empty();
        private Optional<String> cursor = Optional.empty();

        private Builder() {
        }

        /** Only jobs of this project. */
        public Builder project(String project) {
            this.project = Optional.of(project);
            return this;
        }

        /** Adds states a job may be in (any of them matches). */
        public Builder status(JobStatus... statuses) {
            Collections.addAll(this.statuses, statuses);
            return this;
        }

        /** Requires a tag; call again to require several. */
        public Builder tag(String key, String value) {
            tags.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Only jobs on this backend. */
        public Builder backend(String backend) {
            this.backend = Optional.of(backend);
            return this;
        }

        /** Only jobs of this member (operators: any member; others: their own). */
        public Builder member(String member) {
            this.member = Optional.of(member);
            return this;
        }

        /** Jobs per page, 1 to {@value JobQuery#MAX_PAGE_SIZE}. */
        public Builder pageSize(int pageSize) {
            this.pageSize = Optional.of(pageSize);
            return this;
        }

        /** Where to continue: an earlier page's {@code next_cursor}. */
        public Builder cursor(String cursor) {
            this.cursor = Optional.of(cursor);
            return this;
        }

        /** The query; fails if the page size is out of range. */
        public JobQuery build() {
            return new JobQuery(project, statuses, tags, backend, member, pageSize, cursor);
        }
    }
}
