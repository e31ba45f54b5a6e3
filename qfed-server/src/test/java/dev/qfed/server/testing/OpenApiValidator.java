package dev.qfed.server.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import dev.qfed.api.OpenApi;

/**
 * Checks responses against {@code openapi.yaml} with Atlassian's swagger-request-validator.
 *
 * <p>The validator reads the document's schemas with a JSON Schema draft-4 engine and, given
 * {@code openapi: 3.1.0}, silently drops {@code type} and {@code additionalProperties} (it sees the 3.1
 * {@code types} set instead), which would let wrong shapes pass. The document keeps to the subset that means the
 * same in 3.0 and 3.1 ({@code OpenApiDocumentTest} in qfed-api guards that), so it is handed to the validator
 * labelled 3.0.3 and every keyword is enforced.
 */
public final class OpenApiValidator {
    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
            .createForInlineApiSpecification(OpenApi.yaml().replaceFirst("(?m)^openapi: 3\\.1\\.0$", "openapi: 3.0.3"))
            .build();

    private OpenApiValidator() {
    }

    /** The problems with a response, empty when it matches the document. */
    public static ValidationReport validate(String method, String path, int status, String contentType, String body) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        if (contentType != null) {
            response.withContentType(contentType);
        }
        if (body != null && !body.isEmpty()) {
            response.withBody(body);
        }
        return VALIDATOR.validateResponse(path, Request.Method.valueOf(method), response.build());
    }
}
