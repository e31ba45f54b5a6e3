package dev.qfed.emulator;

import java.util.Map;
import java.util.TreeSet;

/** Pearson's goodness-of-fit test of sampled counts against exact probabilities. */
final class ChiSquare {
    private ChiSquare() {
    }

    /**
     * Whether {@code counts} are consistent with {@code probabilities} at significance 0.001: the statistic stays
     * below the critical value (Wilson–Hilferty approximation). Outcomes expected fewer than 5 times are pooled.
     */
    static boolean fits(Map<String, Long> counts, Map<String, Double> probabilities, long shots) {
        double statistic = 0;
        int bins = 0;
        double pooledExpected = 0;
        long pooledObserved = 0;
        TreeSet<String> keys = new TreeSet<>(probabilities.keySet());
        for (String key : counts.keySet()) {
            if (!probabilities.containsKey(key)) {
                return false; // an outcome that cannot happen
            }
        }
        for (String key : keys) {
            double expected = probabilities.get(key) * shots;
            long observed = counts.getOrDefault(key, 0L);
            if (expected < 5) {
                pooledExpected += expected;
                pooledObserved += observed;
                continue;
            }
            statistic += (observed - expected) * (observed - expected) / expected;
            bins++;
        }
        if (pooledExpected > 0) {
            statistic += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / pooledExpected;
            bins++;
        }
        int df = Math.max(1, bins - 1);
        double z = 3.0902; // upper 0.001 quantile of the standard normal
        double critical = df * Math.pow(1 - 2.0 / (9 * df) + z * Math.sqrt(2.0 / (9 * df)), 3);
        return statistic < critical;
    }
}
