package dev.qfed.agent.example;

import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.qasm.OpenQasm;
import dev.qfed.circuit.qasm.ParseLimits;
import dev.qfed.circuit.qasm.QasmException;
import dev.qfed.emulator.Emulator;
import dev.qfed.emulator.EmulatorOptions;
import dev.qfed.emulator.RunRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory Acme cloud: an ideal 5-qubit device on the emulator, each job on a virtual thread. */
final class FakeAcmeCloud implements AcmeClient {
    private record RemoteJob(Status status, List<Map<String, Long>> counts) {
    }

    private final Map<String, RemoteJob> jobs = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Emulator emulator = new Emulator(EmulatorOptions.defaults().withThreads(1));

    @Override
    public String submit(List<String> qasm, int shots, long seed) {
        String id = "acme-" + ids.incrementAndGet();
        jobs.put(id, new RemoteJob(new Status(State.QUEUED, "", false), List.of()));
        Thread.ofVirtual().start(() -> run(id, qasm, shots, seed));
        return id;
    }

    private void run(String id, List<String> qasm, int shots, long seed) {
        List<Map<String, Long>> out = new ArrayList<>();
        for (int i = 0; i < qasm.size(); i++) {
            if (jobs.get(id).status().state() == State.CANCELLED) {
                return;
            }
            Circuit c;
            try {
                c = OpenQasm.parse(qasm.get(i), "circuits[" + i + "]", null, ParseLimits.DEFAULT);
            } catch (QasmException e) {
                jobs.put(id, new RemoteJob(new Status(State.FAILED, e.getMessage(), true), List.of()));
                return;
            }
            if (c.numQubits() > qubits()) {
                jobs.put(id, new RemoteJob(new Status(State.FAILED, "circuits[" + i + "] needs " + c.numQubits()
                        + " qubits; the device has " + qubits(), true), List.of()));
                return;
            }
            out.add(emulator.run(c, RunRequest.of(shots, seed + i)).counts());
        }
        jobs.computeIfPresent(id, (k, j) -> j.status().state() == State.CANCELLED ? j
                : new RemoteJob(new Status(State.DONE, "", false), out));
    }

    @Override
    public Status status(String remoteId) {
        return jobs.get(remoteId).status();
    }

    @Override
    public List<Map<String, Long>> counts(String remoteId) {
        return jobs.get(remoteId).counts();
    }

    @Override
    public void cancel(String remoteId) {
        jobs.computeIfPresent(remoteId, (k, j) -> j.status().state() == State.DONE ? j
                : new RemoteJob(new Status(State.CANCELLED, "", true), List.of()));
    }

    @Override
    public int qubits() {
        return 5;
    }
}
