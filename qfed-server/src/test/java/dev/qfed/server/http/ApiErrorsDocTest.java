package dev.qfed.server.http;

import dev.qfed.api.ErrorCode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/api-errors.md documents every problem type with its status, kind and retryable bit. */
class ApiErrorsDocTest {
    @Test
    void everyErrorCodeHasARowInTheErrorsDocument() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "api-errors.md"));
        for (ErrorCode code : ErrorCode.values()) {
            String row = "| `" + code.slug() + "` | " + code.httpStatus() + " | " + code.kind().name().toLowerCase()
                    + " | " + (code.retryable() ? "yes" : "no") + " |";
            assertThat(doc).as("row for %s", code).contains(row);
        }
    }
}
