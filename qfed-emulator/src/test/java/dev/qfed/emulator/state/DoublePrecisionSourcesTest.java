package dev.qfed.emulator.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The complex128 classes are generated from the complex64 ones, which are the sources to edit: Java has no generics
 * over primitive types, and two hand-kept copies of the kernels would drift. Lines ending in {@code //@float-only}
 * are dropped, lines {@code //@double-only code} become {@code code}, then Float/float/SINGLE become
 * Double/double/DOUBLE, and the integer arrays holding coefficient bits ({@code int[] …Bits}, {@code IntVector})
 * become their 64-bit counterparts.
 *
 * <p>Regenerate after editing a template: {@code ./mvnw -q -pl qfed-emulator test
 * -Dtest=DoublePrecisionSourcesTest -Dqfed.regenerate=true}.
 */
class DoublePrecisionSourcesTest {

    static final Path DIR = Path.of("src/main/java/dev/qfed/emulator/state");

    static final String HEADER = "// GENERATED from %s by DoublePrecisionSourcesTest: edit that file, then run\n"
            + "// ./mvnw -q -pl qfed-emulator test -Dtest=DoublePrecisionSourcesTest -Dqfed.regenerate=true\n";

    static String generate(String template, String templateName) {
        List<String> out = template.lines()
                .filter(line -> !line.stripTrailing().endsWith("//@float-only"))
                .map(line -> line.replaceFirst("^(\\s*)//@double-only ", "$1"))
                .map(line -> line.replace("Float", "Double").replace("float", "double").replace("SINGLE", "DOUBLE")
                        .replace("IntVector", "LongVector").replace("VectorSpecies<Integer>", "VectorSpecies<Long>")
                        .replaceAll("\\bint\\[\\] (\\w+Bits)\\b", "long[] $1"))
                .collect(Collectors.toList());
        return HEADER.formatted(templateName) + String.join("\n", out) + "\n";
    }

    @ParameterizedTest
    @ValueSource(strings = {"FloatKernels", "VectorFloatKernels", "VectorFloatDenseKernels", "ScalarFloatKernels",
        "FloatStateVector", "FloatKernelWarmup"})
    void doublePrecisionSourceIsGeneratedFromItsTemplate(String template) throws IOException {
        String source = Files.readString(DIR.resolve(template + ".java"), StandardCharsets.UTF_8);
        String expected = generate(source, template + ".java");
        Path generated = DIR.resolve(template.replace("Float", "Double") + ".java");
        if (Boolean.getBoolean("qfed.regenerate")) {
            Files.writeString(generated, expected, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(generated) ? Files.readString(generated, StandardCharsets.UTF_8) : "")
                .as("%s is stale: regenerate it (see DoublePrecisionSourcesTest)", generated)
                .isEqualTo(expected);
    }
}
