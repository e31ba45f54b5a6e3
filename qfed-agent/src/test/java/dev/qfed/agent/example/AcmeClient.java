package dev.qfed.agent.example;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The (made-up) Acme Quantum cloud API, as a vendor's client library might offer it. */
public interface AcmeClient {
    /** Where a remote job is. */
    enum State { QUEUED, RUNNING, DONE, FAILED, CANCELLED }

    /** A remote job's state; {@code error} says why it FAILED. */
    record Status(State state, String error, boolean permanent) {
    }

    /** Queues circuits on the device; answers the remote job id. */
    String submit(List<String> qasm, int shots, long seed) throws IOException;

    Status status(String remoteId) throws IOException;

    /** One map of bit string to count per circuit, once DONE. */
    List<Map<String, Long>> counts(String remoteId) throws IOException;

    void cancel(String remoteId) throws IOException;

    int qubits();
}
