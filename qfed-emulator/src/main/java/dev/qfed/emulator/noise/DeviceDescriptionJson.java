package dev.qfed.emulator.noise;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qfed.emulator.noise.DeviceDescription.GateCalibration;
import dev.qfed.emulator.noise.DeviceDescription.GateDefaults;
import dev.qfed.emulator.noise.DeviceDescription.QubitCalibration;
import dev.qfed.emulator.noise.DeviceDescription.QubitPair;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The JSON form of {@link DeviceDescription}. Reads the tree by hand rather than by data binding so that every
 * error can name its field path ({@code gates[4].duration_ns}) and the fields allowed there.
 */
final class DeviceDescriptionJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private DeviceDescriptionJson() {
    }

    static DeviceDescription parse(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new DeviceDescriptionException(source, (at == null ? "" : "line " + at.getLineNr() + ", column "
                    + at.getColumnNr() + ": ") + "not valid JSON: " + e.getOriginalMessage());
        }
        try {
            return read(new Fields(root, ""));
        } catch (IllegalArgumentException e) { // from Fields (shape) or the record constructor (ranges)
            throw new DeviceDescriptionException(source, e.getMessage());
        }
    }

    private static DeviceDescription read(Fields top) {
        top.allow("name", "num_qubits", "timestamp", "firmware_version", "coupling_map", "native_gates", "qubits",
                "gates", "defaults");
        Optional<List<QubitPair>> coupling = top.optional("coupling_map").map(f -> f.list(pair -> {
            List<Integer> ends = pair.list(Fields::integer);
            if (ends.size() != 2) {
                throw pair.invalid("a coupling is a pair [a, b] of qubit indices, got " + ends.size() + " number(s)");
            }
            return new QubitPair(ends.get(0), ends.get(1));
        }));
        List<QubitCalibration> qubits = top.field("qubits").list(q -> {
            q.allow("t1_us", "t2_us", "readout_p1_given_0", "readout_p0_given_1");
            return new QubitCalibration(q.field("t1_us").number(), q.field("t2_us").number(),
                    q.field("readout_p1_given_0").number(), q.field("readout_p0_given_1").number());
        });
        List<GateCalibration> gates = top.optional("gates").map(f -> f.list(g -> {
            g.allow("gate", "qubits", "error", "duration_ns");
            return new GateCalibration(g.field("gate").text(), g.field("qubits").list(Fields::integer),
                    g.field("error").number(), g.field("duration_ns").number());
        })).orElse(List.of());
        Fields d = top.field("defaults");
        d.allow("error_1q", "error_2q", "duration_1q_ns", "duration_2q_ns");
        GateDefaults defaults = new GateDefaults(d.field("error_1q").number(), d.field("error_2q").number(),
                d.field("duration_1q_ns").number(), d.field("duration_2q_ns").number());
        return new DeviceDescription(top.field("name").text(), top.field("num_qubits").integer(),
                top.field("timestamp").timestamp(), top.field("firmware_version").text(), coupling,
                top.field("native_gates").list(Fields::text), qubits, gates, defaults);
    }

    static String write(DeviceDescription d) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("name", d.name());
        root.put("num_qubits", d.numQubits());
        root.put("timestamp", d.timestamp().toString());
        root.put("firmware_version", d.firmwareVersion());
        d.couplingMap().ifPresent(edges -> {
            ArrayNode a = root.putArray("coupling_map");
            edges.forEach(e -> a.addArray().add(e.first()).add(e.second()));
        });
        ArrayNode natives = root.putArray("native_gates");
        d.nativeGates().forEach(natives::add);
        ArrayNode qubits = root.putArray("qubits");
        for (QubitCalibration q : d.qubits()) {
            qubits.addObject().put("t1_us", q.t1Us()).put("t2_us", q.t2Us())
                    .put("readout_p1_given_0", q.readoutP1Given0()).put("readout_p0_given_1", q.readoutP0Given1());
        }
        ArrayNode gates = root.putArray("gates");
        for (GateCalibration g : d.gates()) {
            ObjectNode o = gates.addObject().put("gate", g.gate());
            ArrayNode qs = o.putArray("qubits");
            g.qubits().forEach(qs::add);
            o.put("error", g.error()).put("duration_ns", g.durationNs());
        }
        GateDefaults df = d.defaults();
        root.putObject("defaults").put("error_1q", df.error1q()).put("error_2q", df.error2q())
                .put("duration_1q_ns", df.duration1qNs()).put("duration_2q_ns", df.duration2qNs());
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot happen: a JSON tree always serialises", e);
        }
    }

    /** A JSON node with the path that led to it; its accessors fail with that path in the message. */
    private record Fields(JsonNode node, String path) {

        void allow(String... names) {
            requireType(node.isObject(), "an object");
            Set<String> allowed = Set.of(names);
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!allowed.contains(name)) {
                    throw new IllegalArgumentException(child(name) + ": unknown field; allowed here: "
                            + String.join(", ", new TreeSet<>(allowed)));
                }
            }
        }

        Fields field(String name) {
            return optional(name).orElseThrow(() -> new IllegalArgumentException(
                    (path.isEmpty() ? "" : path + ": ") + "required field '" + name + "' is missing"));
        }

        Optional<Fields> optional(String name) {
            requireType(node.isObject(), "an object");
            JsonNode child = node.get(name);
            return child == null || child.isNull() ? Optional.empty() : Optional.of(new Fields(child, child(name)));
        }

        <T> List<T> list(Function<Fields, T> element) {
            requireType(node.isArray(), "an array");
            List<T> out = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) {
                out.add(element.apply(new Fields(node.get(i), path + "[" + i + "]")));
            }
            return out;
        }

        String text() {
            requireType(node.isTextual(), "a string");
            return node.textValue();
        }

        double number() {
            requireType(node.isNumber(), "a number");
            return node.doubleValue();
        }

        int integer() {
            requireType(node.isIntegralNumber() && node.canConvertToInt(), "an integer");
            return node.intValue();
        }

        Instant timestamp() {
            String text = text();
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                throw invalid("'" + text + "' is not an RFC 3339 time such as 2026-11-02T09:00:00Z");
            }
        }

        IllegalArgumentException invalid(String problem) {
            return new IllegalArgumentException((path.isEmpty() ? "top level" : path) + ": " + problem);
        }

        private void requireType(boolean ok, String expected) {
            if (!ok) {
                throw invalid("expected " + expected + ", got " + describe(node));
            }
        }

        private String child(String name) {
            return path.isEmpty() ? name : path + "." + name;
        }

        private static String describe(JsonNode n) {
            return switch (n.getNodeType()) {
                case ARRAY -> "an array";
                case OBJECT -> "an object";
                case STRING -> "the string \"" + n.textValue() + "\"";
                case NUMBER -> "the number " + n.asText();
                case BOOLEAN -> n.asText();
                default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
            };
        }
    }
}
