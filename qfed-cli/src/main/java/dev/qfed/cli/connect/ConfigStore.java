package dev.qfed.cli.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qfed.cli.CliException;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The login the CLI remembers: {@code config.json} in the configuration directory, readable by its owner only
 * (0600, directory 0700) because it holds a bearer token.
 */
public final class ConfigStore {
    static final String FILE = "config.json";
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    public ConfigStore(Path dir) {
        this.dir = dir;
    }

    /** What {@code qfed login} stored. */
    public record Login(String server, String token, String member, String user, Optional<Instant> expiresAt) {
    }

    public Path file() {
        return dir.resolve(FILE);
    }

    /** The stored login; empty when nobody logged in (no file). */
    public Optional<Login> read() {
        Path file = file();
        JsonNode json;
        try {
            json = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file + ": " + e.getMessage()
                    + " (log in again with 'qfed login', or delete the file)");
        }
        if (json == null || !json.isObject() || !json.path("server").isTextual() || !json.path("token").isTextual()) {
            throw CliException.usage(file + " is not a qfed login (it needs \"server\" and \"token\"); log in again"
                    + " with 'qfed login', or delete the file");
        }
        Optional<Instant> expires = Optional.empty();
        if (json.path("expires_at").isTextual()) {
            try {
                expires = Optional.of(Instant.parse(json.get("expires_at").asText()));
            } catch (RuntimeException ignored) {
                // an unreadable expiry only loses the hint about an expired token
            }
        }
        return Optional.of(new Login(json.get("server").asText(), json.get("token").asText(),
                json.path("member").asText(""), json.path("user").asText(""), expires));
    }

    /** Replaces the stored login atomically; the file is never readable by others, not even for a moment. */
    public void write(Login login) {
        ObjectNode json = JSON.createObjectNode();
        json.put("server", login.server());
        json.put("token", login.token());
        json.put("member", login.member());
        json.put("user", login.user());
        login.expiresAt().ifPresent(t -> json.put("expires_at", t.toString()));
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        Path tmp = null;
        try {
            if (posix) {
                createPrivateDirectories(dir);
                tmp = Files.createTempFile(dir, ".config-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_FILE));
            } else {
                Files.createDirectories(dir);
                tmp = Files.createTempFile(dir, ".config-", ".tmp");
            }
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
            try {
                Files.move(tmp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING);
            }
            if (posix) {
                Files.setPosixFilePermissions(file(), OWNER_FILE);
            }
        } catch (IOException e) {
            throw CliException.usage("cannot write " + file() + ": " + e
                    + " (set QFED_CONFIG_DIR to a directory you can write)");
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the move succeeded or the error above says what failed
                }
            }
        }
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(OWNER_DIR);
        try {
            Files.createDirectory(dir, attr);
        } catch (FileAlreadyExistsException e) {
            // created by a concurrent login: fine
        }
    }
}
