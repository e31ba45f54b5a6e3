package dev.qfed.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Access to the OpenAPI document that describes this module's types. */
public final class OpenApi {
    /** Resource path of the YAML document inside this module's jar. */
    public static final String RESOURCE = "/dev/qfed/api/openapi.yaml";

    private OpenApi() {
    }

    /** The OpenAPI 3.1 document as YAML text. */
    public static String yaml() {
        try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the qfed-api jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
