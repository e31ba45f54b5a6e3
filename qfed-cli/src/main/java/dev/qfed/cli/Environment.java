package dev.qfed.cli;

import java.io.Console;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the CLI reads from the world outside its arguments: environment variables, the home directory and whether
 * a person is watching a terminal. Tests pass their own instead of changing the process environment.
 *
 * @param variables environment variables ({@code QFED_SERVER}, {@code QFED_TOKEN}, {@code QFED_CONFIG_DIR})
 * @param home      the user's home directory, where {@code .config/qfed} lives by default
 * @param terminal  whether standard error goes to an interactive terminal (progress displays only then)
 */
public record Environment(Map<String, String> variables, Path home, boolean terminal) {
    /** Overrides the configuration directory ({@code ~/.config/qfed} by default). */
    public static final String CONFIG_DIR = "QFED_CONFIG_DIR";
    /** Overrides the stored server URL; {@code --server} overrides it. */
    public static final String SERVER = "QFED_SERVER";
    /** Overrides the stored token. */
    public static final String TOKEN = "QFED_TOKEN";

    public Environment {
        variables = Map.copyOf(variables);
        Objects.requireNonNull(home, "home");
    }

    /** The environment of this process. */
    public static Environment system() {
        return new Environment(System.getenv(), Path.of(System.getProperty("user.home")), interactive());
    }

    /** A variable's value, when set and not blank. */
    public Optional<String> get(String name) {
        return Optional.ofNullable(variables.get(name)).filter(v -> !v.isBlank());
    }

    /** Where {@code qfed login} keeps the server and token: {@code $QFED_CONFIG_DIR} or {@code ~/.config/qfed}. */
    public Path configDir() {
        return get(CONFIG_DIR).map(Path::of).orElseGet(() -> home.resolve(".config").resolve("qfed"));
    }

    private static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        // Since JDK 22 System.console() exists even when redirected; isTerminal() tells. JDK 21 has no such method
        // and returns a console only for a terminal.
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
