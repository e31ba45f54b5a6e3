package dev.qfed.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.qfed.api.ApiJson;
import dev.qfed.api.ErrorCode;
import dev.qfed.api.Problem;
import dev.qfed.server.ApiException;
import io.javalin.http.Context;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads request bodies: JSON only, never more than the configured number of bytes, strictly (unknown fields,
 * wrong types and missing fields are refused), with problems that name the field at fault.
 */
final class Bodies {
    private final long maxBytes;

    Bodies(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The body as {@code type}; a missing body is an error. */
    <T> T read(Context ctx, Class<T> type) {
        return readOptional(ctx, type).orElseThrow(() -> ApiException.of(ErrorCode.INVALID_REQUEST,
                "this request needs a JSON body (" + type.getSimpleName() + ")"));
    }

    /** The body as {@code type}, or empty when the request has none. */
    <T> Optional<T> readOptional(Context ctx, Class<T> type) {
        byte[] bytes = bytes(ctx);
        if (bytes.length == 0) {
            return Optional.empty();
        }
        String contentType = Optional.ofNullable(ctx.contentType()).orElse("").toLowerCase(Locale.ROOT);
        if (!contentType.startsWith("application/json")) {
            throw ApiException.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json"
                    + (contentType.isEmpty() ? " (the request has no Content-Type)" : ", not " + contentType));
        }
        try {
            return Optional.of(ApiJson.mapper().readValue(bytes, type));
        } catch (UnrecognizedPropertyException e) {
            TreeSet<String> known = new TreeSet<>();
            if (e.getKnownPropertyIds() != null) {
                e.getKnownPropertyIds().forEach(id -> known.add(id.toString()));
            }
            String field = path(e);
            throw new ApiException(Problem.of(ErrorCode.UNKNOWN_FIELD, "unknown field '" + e.getPropertyName()
                    + "'" + (field.contains(".") || field.contains("[") ? " at " + field : "")
                    + "; the fields here are " + known).withField(field));
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String field = path(e);
            throw new ApiException(Problem.of(ErrorCode.INVALID_REQUEST,
                    (field.isEmpty() ? "" : field + ": ") + message(cause)).withField(field.isEmpty() ? "body" : field));
        } catch (JsonMappingException e) {
            if (isSyntax(e)) {
                throw ApiException.of(ErrorCode.MALFORMED_JSON, "the body is not valid JSON: "
                        + clean(e.getOriginalMessage()));
            }
            String field = path(e);
            throw new ApiException(Problem.of(ErrorCode.INVALID_REQUEST, (field.isEmpty() ? "" : field + ": ")
                    + e.getOriginalMessage()).withField(field.isEmpty() ? "body" : field));
        } catch (StreamReadException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw ApiException.of(ErrorCode.MALFORMED_JSON, "the body is not valid JSON" + where + ": "
                    + clean(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw ApiException.of(ErrorCode.MALFORMED_JSON, "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.of(ErrorCode.MALFORMED_JSON, "the body could not be read: " + e.getMessage());
        }
    }

    private byte[] bytes(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(declared);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(0, Math.min(declared, 64 * 1024)));
            byte[] buffer = new byte[16 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw tooLarge(total);
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw ApiException.of(ErrorCode.MALFORMED_JSON, "the body could not be read: " + e.getMessage());
        }
    }

    private ApiException tooLarge(long bytes) {
        return ApiException.of(ErrorCode.BODY_TOO_LARGE, "the body has " + (bytes > maxBytes ? "more than " : "")
                + maxBytes + " bytes, the most this server accepts; split the job or ask the operator to raise "
                + "the limit");
    }

    /**
     * Jackson reports a document that ends early or goes on after its end as a mapping problem; to the caller
     * both are broken JSON.
     */
    private static boolean isSyntax(JsonMappingException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            // A number too large for its field is well-formed JSON with a bad value: the field's problem.
            if (t instanceof StreamReadException && !(t instanceof InputCoercionException)) {
                return true;
            }
        }
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        return e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException
                && (m.contains("end-of-input") || m.startsWith("Trailing token"));
    }

    /** Jackson's message without its notes about where the source is (never included: it is the caller's). */
    private static String clean(String message) {
        if (message == null) {
            return "unreadable";
        }
        int cut = message.indexOf(" (start marker at");
        if (cut < 0) {
            cut = message.indexOf("\n");
        }
        return cut < 0 ? message : message.substring(0, cut);
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** {@code circuits[1].qasm} from Jackson's reference chain. */
    static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.toString();
    }
}
