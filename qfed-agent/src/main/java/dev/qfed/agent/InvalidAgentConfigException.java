package dev.qfed.agent;

/**
 * The site configuration is wrong. The message names the file and the key path, e.g.
 * {@code site.yaml: backends[1].max_concurrent: must be an integer from 1 to 1024, got 0}.
 */
public final class InvalidAgentConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message {@code SOURCE: PATH: PROBLEM} */
    public InvalidAgentConfigException(String message) {
        super(message);
    }

    /** A problem at {@code path} (empty for the document as a whole) in {@code source}. */
    static InvalidAgentConfigException at(String source, String path, String problem) {
        return new InvalidAgentConfigException(source + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
    }
}
