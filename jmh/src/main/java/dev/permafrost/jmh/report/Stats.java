package dev.permafrost.jmh.report;

import java.util.Arrays;

/** Order statistics of samples; {@code NaN} for none. */
final class Stats {
    private Stats() {
    }

    /**
     * The median: the middle sample, or the mean of the two middle ones.
     *
     * @param values the samples (not modified)
     * @return their median, {@code NaN} if there are none
     */
    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** {@return the smallest sample, {@code NaN} if there are none} */
    static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    /** {@return the largest sample, {@code NaN} if there are none} */
    static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    /** {@return the mean, {@code NaN} if there are none} */
    static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }
}
