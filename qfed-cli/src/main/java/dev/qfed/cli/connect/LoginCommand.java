package dev.qfed.cli.connect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qfed.api.ApiJson;
import dev.qfed.api.DevToken;
import dev.qfed.api.DevTokenRequest;
import dev.qfed.cli.CliException;
import dev.qfed.cli.Environment;
import dev.qfed.cli.ExitCode;
import dev.qfed.cli.Main;
import dev.qfed.cli.OutputFormat;
import dev.qfed.sdk.QfedClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code qfed login --dev --server URL --member M --user U [--roles R,…]}: gets a token from a dev broker's issuer
 * and stores server and token in the configuration directory for later commands.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = "Log in to a broker and remember the server and token for later commands.",
        footer = {"", "Only --dev exists for now: a broker started with 'qfed dev' mints tokens for any member and user.",
                "The login is kept in $QFED_CONFIG_DIR/config.json (default ~/.config/qfed/config.json), readable by",
                "you only. QFED_SERVER and QFED_TOKEN, and --server, override it on every command."})
public final class LoginCommand implements Callable<Integer>, OutputFormat.Selectable {

    @Option(names = "--dev", description = "Get the token from the dev issuer of a broker in dev mode (POST /dev/token).")
    boolean dev;

    @Option(names = "--server", paramLabel = "URL", description = "Broker URL (default: $QFED_SERVER).")
    String server;

    @Option(names = "--member", paramLabel = "M", required = true, description = "The member you act for, e.g. aurora.")
    String member;

    @Option(names = "--user", paramLabel = "U", required = true, description = "Your user name within the member.")
    String user;

    @Option(names = "--roles", paramLabel = "ROLE", split = ",",
            description = "Roles of the token, comma-separated: RESEARCHER (default), MEMBER_ADMIN, OPERATOR, AGENT.")
    List<String> roles = new ArrayList<>();

    @Option(names = "--output", paramLabel = "table|json", defaultValue = "table", description = "table (default) or json.")
    OutputFormat output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public OutputFormat output() {
        return output;
    }

    @Override
    public Integer call() {
        if (!dev) {
            throw CliException.usage("only 'qfed login --dev' is supported so far: it asks a broker started with "
                    + "'qfed dev' for a token");
        }
        Environment env = Main.environment(spec);
        String url = Optional.ofNullable(server).filter(s -> !s.isBlank()).or(() -> env.get(Environment.SERVER))
                .orElseThrow(() -> CliException.usage("qfed login needs --server URL (or QFED_SERVER)"));
        DevTokenRequest request;
        try {
            request = new DevTokenRequest(member, user, roles.stream().map(String::strip).toList(), Optional.empty());
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
        DevToken token;
        try (QfedClient client = client(url)) {
            token = client.devToken(request);
            url = client.server().toString();
        }
        ConfigStore store = new ConfigStore(env.configDir());
        store.write(new ConfigStore.Login(url, token.token(), token.member(), token.user(),
                Optional.of(token.expiresAt())));

        PrintWriter out = spec.commandLine().getOut();
        if (output == OutputFormat.JSON) {
            ObjectNode json = ApiJson.mapper().createObjectNode();
            json.put("server", url);
            json.put("member", token.member());
            json.put("user", token.user());
            json.put("expires_at", token.expiresAt().toString());
            json.put("config", store.file().toString());
            out.println(json);
        } else {
            out.printf("Logged in to %s as %s of %s (token valid until %s).%n", url, token.user(), token.member(),
                    token.expiresAt());
            out.printf("Saved to %s.%n", store.file());
        }
        out.flush();
        return ExitCode.OK.code();
    }

    private static QfedClient client(String url) {
        try {
            return QfedClient.builder().server(url).build();
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--server: " + e.getMessage());
        }
    }
}
