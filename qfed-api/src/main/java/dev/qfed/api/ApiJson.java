package dev.qfed.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON configuration of the QFed wire format, shared by server, agent and SDK.
 *
 * <ul>
 *   <li>property names in {@code snake_case} (record component {@code nextCursor} is {@code next_cursor});
 *   <li>{@link java.util.Optional} fields are left out when empty and read as empty when absent or {@code null};
 *   <li>times are {@link java.time.Instant}s written as RFC 3339 UTC text ({@code 2026-11-02T09:00:00.123Z});
 *   <li>{@link #mapper()} rejects unknown fields, trailing content, numbers for text, text for numbers and
 *       fractions for integers: a request either means exactly one thing or is refused.
 * </ul>
 *
 * <p>Clients that read responses from a newer server should use {@link #lenientMapper()}, which ignores fields
 * they do not know: the API evolves by adding fields.
 *
 * <p>The mappers are shared and thread-safe; do not reconfigure them ({@code copy()} one instead).
 */
public final class ApiJson {
    private static final ObjectMapper STRICT = build(true);
    private static final ObjectMapper LENIENT = build(false);

    private ApiJson() {
    }

    /** The strict mapper: the server reads every request with it and writes every response. */
    public static ObjectMapper mapper() {
        return STRICT;
    }

    /** Like {@link #mapper()} but ignores unknown fields; for reading responses of a newer server. */
    public static ObjectMapper lenientMapper() {
        return LENIENT;
    }

    /** Writes a value as compact JSON text. */
    public static String write(Object value) {
        try {
            return STRICT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Writes a value as compact JSON in UTF-8 bytes (no detour through a {@code String}). */
    public static byte[] writeBytes(Object value) {
        try {
            return STRICT.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Reads JSON text strictly. */
    public static <T> T read(String json, Class<T> type) throws JsonProcessingException {
        return STRICT.readValue(json, type);
    }

    private static ObjectMapper build(boolean strict) {
        JsonMapper mapper = JsonMapper.builder()
                .addModule(new Jdk8Module())
                .addModule(new JavaTimeModule())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .serializationInclusion(JsonInclude.Include.NON_ABSENT)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, strict)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        if (strict) {
            // "shots": "100" or "shots": 100.0 is a client bug worth reporting, not guessing.
            for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
                mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
            }
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
            mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        }
        return mapper;
    }
}
