package dev.qfed.circuit;

/** A circuit was evaluated while one of its run-time inputs had no value. */
public final class UnboundParameterException extends RuntimeException {
    private final String parameter;

    public UnboundParameterException(String parameter) {
        super("input parameter '" + parameter + "' has no value; bind it (CLI: --param " + parameter + "=VALUE)");
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
