package dev.qfed.cli.job;

import dev.qfed.api.CircuitSpec;
import dev.qfed.api.Job;
import dev.qfed.api.JobResult;
import dev.qfed.api.SubmitJobRequest;
import dev.qfed.cli.CircuitFiles;
import dev.qfed.cli.CliException;
import dev.qfed.cli.ExitCode;
import dev.qfed.cli.connect.KeyValues;
import dev.qfed.cli.connect.RemoteCommand;
import dev.qfed.sdk.ProgressListener;
import dev.qfed.sdk.QfedClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code qfed job submit FILE… --shots N --backend NAME|auto [--wait]}: one job of one or more OpenQASM circuits.
 * The broker validates the circuits; this command only reads the files.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Submit OpenQASM circuits as one job and print it (with --wait, also its result).",
        footer = {"", "Each FILE is one circuit (- reads standard input); all run with the same shots on one backend.",
                "A retry after a lost answer sends the same idempotency key, so it never creates a second job;",
                "--idempotency-key K makes re-running the whole command safe too."})
public final class SubmitCommand extends RemoteCommand implements CircuitFiles {
    /** Long enough to mean "until it is final". */
    static final java.time.Duration FOREVER = java.time.Duration.ofDays(36_500);

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "OpenQASM 2.0 or 3 source files; - for standard input.")
    List<String> files = new ArrayList<>();

    @Option(names = "--shots", paramLabel = "N", defaultValue = "1024", description = "Shots per circuit (default 1024).")
    int shots;

    @Option(names = "--backend", paramLabel = "NAME|auto", defaultValue = SubmitJobRequest.AUTO,
            description = "A backend name, or auto (default) to let the broker choose one that fits.")
    String backend;

    @Option(names = "--wait", description = "Wait until the job is final and print its result.")
    boolean wait;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A label to find the job by later; repeatable.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--param", paramLabel = "NAME=VALUE",
            description = "Value of an OpenQASM 3 input parameter, given to every circuit; repeatable.")
    List<String> params = new ArrayList<>();

    @Option(names = "--idempotency-key", paramLabel = "K",
            description = "Your own idempotency key (1-255 printable ASCII): the same key and job give the same job.")
    String idempotencyKey;

    @Option(names = "--seed", paramLabel = "S",
            description = "Random seed, 0 to 2^63-1: on an emulator the same seed gives the same counts. Default: the agent's, reported with the result.")
    Long seed;

    @Option(names = "--project", paramLabel = "P", description = "The project to account the job to (default: default).")
    String project;

    @Override
    public List<String> circuitFiles() {
        return files;
    }

    @Override
    public Integer call() {
        if (shots < 1) {
            throw CliException.usage("--shots must be at least 1, got " + shots);
        }
        if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > 255
                || !idempotencyKey.chars().allMatch(c -> c >= 0x20 && c < 0x7f))) {
            throw CliException.usage("--idempotency-key takes 1 to 255 printable ASCII characters");
        }
        if (seed != null && seed < 0) {
            throw CliException.usage("--seed must be between 0 and " + Long.MAX_VALUE + ", got " + seed);
        }
        if (files.stream().filter("-"::equals).count() > 1) {
            throw CliException.usage("standard input (-) can be read only once");
        }
        Map<String, String> tagMap = KeyValues.text("--tag", tags);
        Map<String, Double> paramMap = KeyValues.numbers("--param", params);
        List<CircuitSpec> circuits = new ArrayList<>();
        for (String file : files) {
            circuits.add(new CircuitSpec(read(file), Optional.of(displayName(file)), paramMap));
        }
        SubmitJobRequest request = new SubmitJobRequest(circuits, shots, Optional.of(backend),
                Optional.ofNullable(project), tagMap, Optional.ofNullable(seed));

        try (QfedClient client = connection.client()) {
            Job job = idempotencyKey == null ? client.submit(request) : client.submit(request, idempotencyKey);
            if (!wait) {
                if (json()) {
                    out().println(JobOutput.json(job));
                } else {
                    JobOutput.table(out(), job);
                }
                out().flush();
                return ExitCode.OK.code();
            }
            ProgressListener progress = Progress.on(environment(), err());
            JobResult result;
            try {
                result = client.awaitResult(job.id(), FOREVER, progress);
            } finally {
                Progress.finish(progress);
            }
            if (json()) {
                out().println(JobOutput.json(result));
            } else {
                JobOutput.table(out(), result);
            }
            out().flush();
            return ExitCode.OK.code();
        }
    }

    private static String displayName(String file) {
        return file.equals("-") ? "<stdin>" : file;
    }

    private static String read(String file) {
        byte[] bytes;
        if (file.equals("-")) {
            try {
                InputStream in = System.in;
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw CliException.usage("cannot read standard input: " + e.getMessage());
            }
        } else {
            Path path = Path.of(file);
            if (!Files.isRegularFile(path)) {
                throw CliException.usage("cannot read " + file + ": " + (Files.exists(path) ? "not a regular file"
                        : "no such file") + " (give OpenQASM files, or - to read standard input)");
            }
            try {
                bytes = Files.readAllBytes(path);
            } catch (IOException | SecurityException e) {
                throw CliException.usage("cannot read " + file + ": " + e.getMessage());
            }
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw CliException.usage("cannot read " + displayName(file) + ": it is not UTF-8 text");
        }
        if (text.isBlank()) {
            throw CliException.usage("cannot submit " + displayName(file) + ": it is empty");
        }
        return text;
    }
}
