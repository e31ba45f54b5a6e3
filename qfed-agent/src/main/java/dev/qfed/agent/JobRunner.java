package dev.qfed.agent;

import dev.qfed.agent.internal.AgentLog;
import dev.qfed.agent.internal.BrokerCallException;
import dev.qfed.agent.spi.CircuitCounts;
import dev.qfed.agent.spi.CircuitSource;
import dev.qfed.agent.spi.ExecutionRequest;
import dev.qfed.agent.spi.ExecutionResult;
import dev.qfed.agent.spi.RunMetadata;
import dev.qfed.api.CircuitResult;
import dev.qfed.api.CircuitSpec;
import dev.qfed.api.ErrorCode;
import dev.qfed.api.ExecutionMetadata;
import dev.qfed.api.FailLeaseRequest;
import dev.qfed.api.Lease;
import dev.qfed.api.Problem;
import dev.qfed.api.ReportOutcome;
import dev.qfed.api.ReportVerdict;
import dev.qfed.api.SubmitResultRequest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * What the thread of each leased job does: queue its start, execute on the backend (the slot is free again as soon
 * as the backend returns), then queue the result or the failure and wait for the broker's verdict.
 */
final class JobRunner {
    private static final AgentLog LOG = AgentLog.of("dev.qfed.agent");

    /** What a job thread needs to know of the agent and tell it. */
    interface Agent {
        /** Whether the agent was halted: a result is then dropped. */
        boolean halted();

        /** The backend is done with a job: its slot may take the next one while the report is on its way. */
        void releaseSlot(Slot slot);

        /** The job no longer holds a lease here (reported, dropped or abandoned). */
        void ended(Execution ex);
    }

    private final Agent agent;
    private final String agentName;
    private final Reporter reporter;

    JobRunner(Agent agent, String agentName, Reporter reporter) {
        this.agent = agent;
        this.agentName = agentName;
        this.reporter = reporter;
    }

    /** The body of a job's thread. */
    void run(Execution ex) {
        boolean holdsSlot = true;
        try {
            LOG.info("lease.granted", ex.keys());
            reporter.queueStart(ex); // not waited for: the answer comes while the job runs, and cancels it if need be
            ExecutionResult result = execute(ex);
            agent.releaseSlot(ex.slot);
            holdsSlot = false;
            if (ex.gone || agent.halted()) {
                LOG.warn("lease.lost", ex.keys("dropped", result.getClass().getSimpleName()));
                return;
            }
            report(ex, result);
        } finally {
            if (holdsSlot) {
                agent.releaseSlot(ex.slot);
            }
            agent.ended(ex);
        }
    }

    private ExecutionResult execute(Execution ex) {
        Lease l = ex.lease;
        List<CircuitSource> circuits = new ArrayList<>(l.circuits().size());
        for (CircuitSpec c : l.circuits()) {
            circuits.add(new CircuitSource(c.qasm(), c.name(), c.parameters()));
        }
        ExecutionRequest request = new ExecutionRequest(ex.id(), circuits, l.shots(),
                l.seed().orElseGet(() -> SiteAgent.seedFor(l.jobId())), ex.token);
        try {
            return ex.slot.backend.execute(request);
        } catch (RuntimeException e) {
            LOG.error("job.backend_error", e, ex.keys());
            return ExecutionResult.transientFailure("backend '" + ex.slot.name + "' failed unexpectedly: " + e);
        }
    }

    private void report(Execution ex, ExecutionResult result) {
        switch (result) {
            case ExecutionResult.Completed c -> {
                Optional<String> invalid = check(ex, c);
                if (invalid.isPresent()) {
                    LOG.error("job.invalid_result", null, ex.keys("detail", invalid.get()));
                    deliverFailure(ex, invalid.get(), false);
                    return;
                }
                // Each result carries its circuit's name from the lease, so clients can match results by name.
                List<CircuitResult> results = new ArrayList<>(c.circuits().size());
                for (int i = 0; i < c.circuits().size(); i++) {
                    results.add(CircuitResult.of(ex.lease.circuits().get(i).name(), c.circuits().get(i).counts()));
                }
                SubmitResultRequest body = new SubmitResultRequest(results, Optional.of(metadata(ex, c.metadata())));
                Optional<ReportOutcome> outcome = await(ex, "result", reporter.queueResult(ex, body));
                if (outcome.isEmpty()) {
                    return;
                }
                ReportOutcome o = outcome.get();
                if (o.verdict() != ReportVerdict.REFUSED) {
                    LOG.info("job.completed", ex.keys("execution_ms", c.metadata().executionTime().toMillis()));
                } else if (o.problem().flatMap(Problem::errorCode).filter(code -> code == ErrorCode.INVALID_RESULT)
                        .isPresent()) {
                    deliverFailure(ex, "the broker refused the backend's result: "
                            + o.problem().map(Problem::detail).orElse(""), false);
                } else {
                    LOG.warn("report.refused", ex.keys("report", "result", "detail",
                            o.problem().map(Problem::detail).orElse("")));
                }
            }
            case ExecutionResult.Failed f -> deliverFailure(ex, f.reason(), f.retryable());
            case ExecutionResult.Cancelled c -> {
                if (ex.cancelRequested) {
                    deliverFailure(ex, "cancelled by the submitter", false);
                } else if (ex.drainCancelled) {
                    deliverFailure(ex, "agent '" + agentName + "' shut down before the job finished; it will "
                            + "run again", true);
                } else {
                    deliverFailure(ex, "execution cancelled: " + c.reason(), true);
                }
            }
        }
    }

    private void deliverFailure(Execution ex, String reason, boolean retryable) {
        String text = reason.length() > 4000 ? reason.substring(0, 4000) + "…" : reason;
        Optional<ReportOutcome> outcome = await(ex, "fail",
                reporter.queueFailure(ex, new FailLeaseRequest(text, retryable)));
        if (outcome.isEmpty()) {
            return;
        }
        if (outcome.get().verdict() == ReportVerdict.REFUSED) {
            LOG.warn("report.refused", ex.keys("report", "fail", "detail",
                    outcome.get().problem().map(Problem::detail).orElse("")));
        } else {
            LOG.info("job.failed", ex.keys("retryable", retryable, "reason", text));
        }
    }

    /** Waits for the broker's verdict on a queued report; empty when it could not be delivered (logged). */
    private static Optional<ReportOutcome> await(Execution ex, String what, CompletableFuture<ReportOutcome> verdict) {
        try {
            return Optional.of(verdict.get());
        } catch (InterruptedException e) {
            return Optional.empty(); // halted, or abandoned at the end of a drain
        } catch (ExecutionException e) {
            String detail = e.getCause().getMessage();
            if (e.getCause() instanceof BrokerCallException b && !b.retryable()) {
                LOG.error("report.rejected", null, ex.keys("report", what, "detail", detail));
            } else {
                LOG.warn("report.abandoned", ex.keys("report", what, "detail", detail));
            }
            return Optional.empty();
        }
    }

    /** A backend bug the broker must not see as a result: wrong number of circuits, or counts off the shots. */
    private static Optional<String> check(Execution ex, ExecutionResult.Completed c) {
        int expected = ex.lease.circuits().size();
        if (c.circuits().size() != expected) {
            return Optional.of("backend '" + ex.slot.name + "' returned " + c.circuits().size() + " results for "
                    + expected + " circuits");
        }
        for (int i = 0; i < expected; i++) {
            CircuitCounts counts = c.circuits().get(i);
            if (counts.shots() != ex.lease.shots()) {
                return Optional.of("backend '" + ex.slot.name + "' returned counts adding up to " + counts.shots()
                        + " for circuits[" + i + "], which asked for " + ex.lease.shots() + " shots");
            }
        }
        return Optional.empty();
    }

    private ExecutionMetadata metadata(Execution ex, RunMetadata m) {
        Map<String, String> details = new LinkedHashMap<>(m.details());
        details.put("backend", m.backend());
        details.put("agent", agentName);
        details.put("attempt", Integer.toString(ex.lease.attempt()));
        m.calibrationTimestamp().ifPresent(t -> details.put("calibration_timestamp", t.toString()));
        return new ExecutionMetadata(Optional.of(m.seed()), m.firmwareVersion(), m.calibrationId(),
                Optional.of(m.executionTime().toNanos() / 1e6), details);
    }
}
