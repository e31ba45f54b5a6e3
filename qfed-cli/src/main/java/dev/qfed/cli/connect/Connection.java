package dev.qfed.cli.connect;

import dev.qfed.cli.CliException;
import dev.qfed.cli.Environment;
import dev.qfed.cli.ExitCode;
import dev.qfed.cli.Main;
import dev.qfed.sdk.QfedClient;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.Optional;

/**
 * How a command reaches the broker: {@code --server} over {@code QFED_SERVER} over the stored login for the URL,
 * {@code QFED_TOKEN} over the stored token. The stored token is sent only to the server it was issued for.
 */
public final class Connection {

    @Option(names = "--server", paramLabel = "URL",
            description = "Broker URL, e.g. http://127.0.0.1:8080 (default: $QFED_SERVER, else the one of 'qfed login').")
    String server;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    /** The environment the command runs in. */
    public Environment environment() {
        return Main.environment(mixee);
    }

    /** A client for the server and token in force; the caller closes it. */
    public QfedClient client() {
        Environment env = environment();
        ConfigStore store = new ConfigStore(env.configDir());
        Optional<ConfigStore.Login> login = store.read();
        String url = Optional.ofNullable(server).filter(s -> !s.isBlank())
                .or(() -> env.get(Environment.SERVER))
                .or(() -> login.map(ConfigStore.Login::server))
                .orElseThrow(() -> CliException.usage("no server: pass --server URL, set " + Environment.SERVER
                        + ", or log in with 'qfed login --dev --server URL --member M --user U'"));
        QfedClient.Builder builder;
        try {
            builder = QfedClient.builder().server(url);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--server: " + e.getMessage());
        }
        String normalized = normalize(url);
        Optional<String> token = env.get(Environment.TOKEN)
                .or(() -> login.filter(l -> sameServer(l.server(), normalized)).map(ConfigStore.Login::token));
        if (token.isEmpty()) {
            throw new CliException(ExitCode.NOT_FOUND_OR_NOT_ALLOWED, "unauthenticated", "no token for " + normalized
                    + ": log in with 'qfed login --dev --server " + normalized + " --member M --user U', or set "
                    + Environment.TOKEN + (login.isPresent() ? " (the stored login is for " + login.get().server()
                    + ")" : ""));
        }
        if (env.get(Environment.TOKEN).isEmpty()) {
            login.flatMap(ConfigStore.Login::expiresAt).filter(t -> t.isBefore(Instant.now())).ifPresent(t -> {
                throw new CliException(ExitCode.NOT_FOUND_OR_NOT_ALLOWED, "unauthenticated", "the stored token for "
                        + normalized + " expired at " + t + ": log in again with 'qfed login'");
            });
        }
        return builder.token(token.get()).build();
    }

    private static boolean sameServer(String stored, String normalized) {
        return normalize(stored).equals(normalized);
    }

    /** The URL as the client uses it: no surrounding blanks, no trailing slash. */
    static String normalize(String url) {
        String s = url.strip();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
