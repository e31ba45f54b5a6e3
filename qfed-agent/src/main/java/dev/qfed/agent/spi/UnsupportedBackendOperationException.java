package dev.qfed.agent.spi;

/** An optional {@link Backend} operation that this backend does not implement. */
public final class UnsupportedBackendOperationException extends UnsupportedOperationException {
    private static final long serialVersionUID = 1L;

    private final String backend;
    private final String operation;

    private UnsupportedBackendOperationException(String backend, String operation) {
        super("backend '" + backend + "' does not support " + operation);
        this.backend = backend;
        this.operation = operation;
    }

    /**
     * The exception every default method throws, in one wording: {@code backend 'NAME' does not support OP}.
     *
     * @param backend   the backend's name
     * @param operation the method name, e.g. {@code cancel}
     */
    public static UnsupportedBackendOperationException of(String backend, String operation) {
        return new UnsupportedBackendOperationException(backend, operation);
    }

    public String backend() {
        return backend;
    }

    public String operation() {
        return operation;
    }
}
