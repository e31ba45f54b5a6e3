package dev.qfed.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the agent's bearer token comes from: given as text, or read from a file. A file is read again whenever the
 * broker refuses the token, so an operator (or a sidecar) can rotate it without restarting the agent.
 */
public sealed interface AgentToken {
    /** The token text to send now. */
    String read();

    /** A token given as text ({@code token:} or {@code QFED_TOKEN}). */
    record Literal(String value) implements AgentToken {
        public Literal {
            Objects.requireNonNull(value, "value");
            if (value.isBlank()) {
                throw new IllegalArgumentException("the token must not be blank");
            }
            value = value.strip();
        }

        @Override
        public String read() {
            return value;
        }

        @Override
        public String toString() {
            return "Literal[***]"; // never log a token
        }
    }

    /** A token read from a file ({@code token_file:} or {@code QFED_TOKEN_FILE}); surrounding whitespace ignored. */
    record File(Path path) implements AgentToken {
        public File {
            Objects.requireNonNull(path, "path");
        }

        /**
         * @throws UncheckedIOException when the file cannot be read
         * @throws IllegalStateException when it is empty
         */
        @Override
        public String read() {
            String text;
            try {
                text = Files.readString(path, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the token file " + path + ": "
                        + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.toString()), e);
            }
            if (text.isEmpty()) {
                throw new IllegalStateException("the token file " + path + " is empty");
            }
            return text;
        }
    }
}
