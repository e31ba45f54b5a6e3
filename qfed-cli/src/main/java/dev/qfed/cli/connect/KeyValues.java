package dev.qfed.cli.connect;

import dev.qfed.cli.CliException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code KEY=VALUE} options such as {@code --tag} and {@code --param}. */
public final class KeyValues {
    private KeyValues() {
    }

    /** Text values; each key once. */
    public static Map<String, String> text(String option, List<String> pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw CliException.usage(option + " takes KEY=VALUE, e.g. " + option + " experiment=bell; got '" + p + "'");
            }
            String key = p.substring(0, eq).strip();
            if (key.isEmpty()) {
                throw CliException.usage(option + " needs a KEY before '=', got '" + p + "'");
            }
            if (map.put(key, p.substring(eq + 1)) != null) {
                throw CliException.usage(option + " " + key + " is given twice");
            }
        }
        return map;
    }

    /** Finite numbers; each name once. */
    public static Map<String, Double> numbers(String option, List<String> pairs) {
        Map<String, Double> map = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : text(option, pairs).entrySet()) {
            String value = e.getValue().strip();
            double d;
            try {
                d = Double.parseDouble(value);
            } catch (NumberFormatException ex) {
                throw CliException.usage(option + " " + e.getKey() + ": '" + value + "' is not a number");
            }
            if (!Double.isFinite(d)) {
                throw CliException.usage(option + " " + e.getKey() + ": the value must be a finite number, got " + value);
            }
            map.put(e.getKey(), d);
        }
        return map;
    }
}
