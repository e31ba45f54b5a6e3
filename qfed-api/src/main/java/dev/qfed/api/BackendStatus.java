package dev.qfed.api;

/** Whether a backend can take work now. */
public enum BackendStatus {
    /** Its agent has been heard from recently. */
    ONLINE,
    /** Its agent has not been heard from within the heartbeat timeout; jobs still queue for it. */
    OFFLINE
}
