package dev.qfed.server.testing;

import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.qfed.api.ApiJson;
import dev.qfed.api.Problem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A plain HTTP client for tests: sends JSON with the given bearer token and checks every response it receives
 * against the OpenAPI document before the test sees it.
 */
public final class ApiClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;
    private final String token;

    ApiClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** A response, already validated against the OpenAPI document. */
    public record Response(int status, Optional<String> contentType, String body, Map<String, java.util.List<String>> headers) {
        public <T> T as(Class<T> type) {
            try {
                return ApiJson.mapper().readValue(body, type);
            } catch (JsonProcessingException e) {
                throw new AssertionError("response is not a " + type.getSimpleName() + ": " + e.getOriginalMessage()
                        + "\n" + body, e);
            }
        }

        public Problem problem() {
            if (!contentType.orElse("").startsWith("application/problem+json")) {
                throw new AssertionError("expected a problem, got " + status + " " + contentType + ": " + body);
            }
            return as(Problem.class);
        }

        public Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }
    }

    public Response get(String path) {
        return send("GET", path, HttpRequest.newBuilder().GET(), Map.of());
    }

    public Response post(String path, Object body) {
        return post(path, body, Map.of());
    }

    public Response post(String path, Object body, Map<String, String> headers) {
        String json = body instanceof String s ? s : ApiJson.write(body);
        return postRaw(path, json, "application/json", headers);
    }

    public Response postEmpty(String path) {
        return send("POST", path, HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.noBody()), Map.of());
    }

    public Response postRaw(String path, String body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send("POST", path, b, headers);
    }

    private Response send(String method, String path, HttpRequest.Builder b, Map<String, String> headers) {
        b.uri(base.resolve(path)).timeout(Duration.ofSeconds(90));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        headers.forEach(b::header);
        HttpResponse<String> r;
        try {
            r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Optional<String> contentType = r.headers().firstValue("Content-Type");
        String pathOnly = URI.create(path).getPath();
        ValidationReport report = OpenApiValidator.validate(method, pathOnly, r.statusCode(), contentType.orElse(null),
                r.body());
        boolean undocumentedPath = report.getMessages().stream()
                .allMatch(m -> m.getKey().equals("validation.request.path.missing")
                        || m.getKey().equals("validation.request.operation.notAllowed"));
        if (report.hasErrors() && undocumentedPath) {
            // No operation to validate against (a test of unknown routes): it must still be a problem.
            new Response(r.statusCode(), contentType, r.body(), r.headers().map()).problem();
        } else if (report.hasErrors()) {
            throw new AssertionError("response of " + method + " " + path + " (" + r.statusCode() + ") does not match "
                    + "openapi.yaml: " + report.getMessages() + "\nbody: " + r.body());
        }
        return new Response(r.statusCode(), contentType, r.body(), r.headers().map());
    }
}
