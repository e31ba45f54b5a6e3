package dev.qfed.server.jobs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobLifecycleTest {

    /** The committed diagram, relative to the module directory Maven runs tests in. */
    private static final Path DIAGRAM = Path.of("..", "docs", "job-lifecycle.puml");

    @Test
    void theCommittedDiagramIsTheOneTheTableDraws() throws IOException {
        String drawn = JobLifecycle.plantUml();
        if (Boolean.getBoolean("qfed.updateDiagrams")) {
            Files.writeString(DIAGRAM, drawn, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(DIAGRAM, StandardCharsets.UTF_8))
                .as("docs/job-lifecycle.puml is stale; run this test with -Dqfed.updateDiagrams=true and commit it")
                .isEqualTo(drawn);
    }

    @Test
    void aTableWithTwoTransitionsForOneStateAndEventIsRefused() {
        var builder = new JobLifecycle.Builder().add(JobState.QUEUED, JobEvent.LEASE, JobState.ASSIGNED);
        assertThatThrownBy(() -> builder.add(JobState.QUEUED, JobEvent.LEASE, JobState.RUNNING))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("duplicate transition for QUEUED on LEASE");
    }

    @Test
    void aTableWithATransitionOutOfAFinalStateIsRefused() {
        for (JobState fin : EnumSet.of(JobState.COMPLETED, JobState.FAILED, JobState.CANCELLED)) {
            assertThatThrownBy(() -> new JobLifecycle.Builder().add(fin, JobEvent.RETRY, JobState.QUEUED))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("leaves the final state " + fin);
        }
    }

    @Test
    void submitIsNotATransitionBetweenStates() {
        assertThatThrownBy(() -> new JobLifecycle.Builder().add(JobState.QUEUED, JobEvent.SUBMIT, JobState.QUEUED))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void everyStateIsReachableAndEveryNonFinalStateHasAWayToAFinalOne() {
        Set<JobState> reached = JobLifecycle.transitions().stream().map(JobLifecycle.Transition::to)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(JobState.class)));
        assertThat(reached).containsExactlyInAnyOrder(JobState.values());
        for (JobState s : JobState.values()) {
            assertThat(canFinish(s, EnumSet.noneOf(JobState.class))).as("%s can end", s).isTrue();
        }
    }

    private static boolean canFinish(JobState s, Set<JobState> seen) {
        if (s.isFinal()) {
            return true;
        }
        if (!seen.add(s)) {
            return false;
        }
        return JobLifecycle.transitions().stream()
                .filter(t -> t.from() == s)
                .anyMatch(t -> canFinish(t.to(), seen));
    }

    @Test
    void aDisallowedEventIsAnIllegalTransition() {
        assertThat(JobLifecycle.allows(JobState.QUEUED, JobEvent.COMPLETE)).isFalse();
        assertThatThrownBy(() -> JobLifecycle.next(JobState.COMPLETED, JobEvent.CANCEL))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage("event CANCEL is not allowed in state COMPLETED");
        assertThat(JobLifecycle.tryNext(JobState.CANCEL_REQUESTED, JobEvent.START)).isEmpty();
    }

    @Test
    void cancellingIsImmediateOnlyForQueuedJobs() {
        assertThat(JobLifecycle.next(JobState.QUEUED, JobEvent.CANCEL)).isEqualTo(JobState.CANCELLED);
        assertThat(JobLifecycle.next(JobState.ASSIGNED, JobEvent.CANCEL)).isEqualTo(JobState.CANCEL_REQUESTED);
        assertThat(JobLifecycle.next(JobState.RUNNING, JobEvent.CANCEL)).isEqualTo(JobState.CANCEL_REQUESTED);
    }
}
