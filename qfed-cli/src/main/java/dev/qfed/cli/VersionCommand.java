package dev.qfed.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** {@code qfed version}: the build's version and the Java runtime it runs on. */
@Command(name = "version", description = "Print the qfed version and the Java runtime.")
public final class VersionCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        for (String line : new Provider().getVersion()) {
            spec.commandLine().getOut().println(line);
        }
    }

    static String version() {
        try (InputStream in = VersionCommand.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Also answers {@code qfed --version}. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                    "qfed " + version(),
                    "java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                            + Runtime.getRuntime().availableProcessors() + " cores, max heap "
                            + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB)"
            };
        }
    }
}
