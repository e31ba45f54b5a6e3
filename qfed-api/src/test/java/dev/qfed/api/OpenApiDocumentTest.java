package dev.qfed.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the records and the OpenAPI document describing the same shapes. */
class OpenApiDocumentTest {

    private static final JsonNode DOC = read();

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(OpenApi.yaml());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Class<? extends Record>> wireRecords() {
        return Stream.of(CircuitSpec.class, SubmitJobRequest.class, AttemptFailure.class, JobTimings.class, Job.class,
                JobPage.class, CircuitResult.class, ExecutionMetadata.class, JobResult.class, Backend.class,
                BackendList.class, BackendRegistration.class, RegisterAgentRequest.class, AgentRegistration.class,
                LeaseRequest.class, Lease.class, LeaseBatch.class, LeaseStatus.class, HeartbeatRequest.class,
                HeartbeatResponse.class, SubmitResultRequest.class, FailLeaseRequest.class, ReportRequest.class,
                LeaseResult.class, LeaseFailure.class, ReportOutcome.class, ReportResponse.class, DevTokenRequest.class,
                DevToken.class, Health.class, Problem.class);
    }

    @ParameterizedTest
    @MethodSource("wireRecords")
    void everyRecordHasASchemaWithExactlyItsFields(Class<? extends Record> type) {
        JsonNode schema = DOC.path("components").path("schemas").path(type.getSimpleName());
        assertThat(schema.isObject()).as("schema %s in openapi.yaml", type.getSimpleName()).isTrue();
        assertThat(schema.path("additionalProperties").asBoolean(true)).as("closed schema").isFalse();
        Set<String> documented = new TreeSet<>();
        schema.path("properties").fieldNames().forEachRemaining(documented::add);
        Set<String> fields = new TreeSet<>();
        var naming = (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
        Arrays.stream(type.getRecordComponents()).forEach(c -> fields.add(naming.translate(c.getName())));
        assertThat(documented).isEqualTo(fields);
    }

    @ParameterizedTest
    @MethodSource("wireRecords")
    void requiredFieldsInTheSchemaAreNeverOptionalInTheRecord(Class<? extends Record> type) {
        JsonNode schema = DOC.path("components").path("schemas").path(type.getSimpleName());
        var naming = (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(n -> required.add(n.asText()));
        for (var component : type.getRecordComponents()) {
            String name = naming.translate(component.getName());
            if (component.getType() == java.util.Optional.class) {
                assertThat(required).as("%s.%s is optional", type.getSimpleName(), name).doesNotContain(name);
            }
        }
    }

    @Test
    void theProblemCodesAreExactlyTheErrorCodes() {
        Set<String> documented = new TreeSet<>();
        DOC.at("/components/schemas/Problem/properties/code/enum").forEach(n -> documented.add(n.asText()));
        Set<String> codes = new TreeSet<>();
        for (ErrorCode code : ErrorCode.values()) {
            codes.add(code.slug());
        }
        assertThat(documented).isEqualTo(codes);
    }

    @Test
    void theStatusEnumsMatch() {
        Set<String> documented = new TreeSet<>();
        DOC.at("/components/schemas/JobStatus/enum").forEach(n -> documented.add(n.asText()));
        assertThat(documented).isEqualTo(names(JobStatus.values()));
        documented.clear();
        DOC.at("/components/schemas/LeaseState/enum").forEach(n -> documented.add(n.asText()));
        assertThat(documented).isEqualTo(names(LeaseState.values()));
        documented.clear();
        DOC.at("/components/schemas/BackendStatus/enum").forEach(n -> documented.add(n.asText()));
        assertThat(documented).isEqualTo(names(BackendStatus.values()));
        documented.clear();
        DOC.at("/components/schemas/ReportVerdict/enum").forEach(n -> documented.add(n.asText()));
        assertThat(documented).isEqualTo(names(ReportVerdict.values()));
    }

    private static Set<String> names(Enum<?>[] values) {
        Set<String> names = new TreeSet<>();
        for (Enum<?> v : values) {
            names.add(v.name());
        }
        return names;
    }

    /**
     * Response validation in the server's tests reads the document as OpenAPI 3.0 (its validator ignores
     * {@code type} under 3.1), so the document must mean the same under both: one type per schema, no null type,
     * none of the keywords only one of them knows.
     */
    @Test
    void theDocumentKeepsToWhatOpenApi30And31ReadAlike() {
        List<String> problems = new ArrayList<>();
        walk(DOC, "", problems);
        assertThat(problems).isEmpty();
    }

    private static void walk(JsonNode node, String path, List<String> problems) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                String key = e.getKey();
                String here = path + "/" + key;
                if (key.equals("type") && !e.getValue().isTextual() && !path.endsWith("/properties")) {
                    problems.add(here + " is not a single type");
                }
                if (key.equals("type") && e.getValue().isTextual() && e.getValue().asText().equals("null")) {
                    problems.add(here + " is the null type");
                }
                if (Set.of("nullable", "const", "examples", "$schema", "prefixItems", "unevaluatedProperties",
                        "exclusiveMinimum", "exclusiveMaximum").contains(key) && !path.endsWith("/properties")) {
                    problems.add(here + " reads differently in 3.0 and 3.1");
                }
                walk(e.getValue(), here, problems);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "/" + i, problems);
            }
        }
    }

    @Test
    void errorCodesAreUniqueAndKnownByType() {
        Set<String> slugs = new TreeSet<>();
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(slugs.add(code.slug())).as("unique slug %s", code.slug()).isTrue();
            assertThat(ErrorCode.ofType(code.type().toString())).contains(code);
            assertThat(code.httpStatus()).isBetween(400, 599);
        }
        assertThat(ErrorCode.ofType("https://qfed.dev/problems/from-the-future")).isEmpty();
    }
}
