package dev.permafrost.jmh.cache;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.openjdk.jmh.util.ListStatistics;

/**
 * One result of a suite that is not JMH (start-up, fleet, the cache's memory), written in JMH's
 * JSON result format so that one reader serves every suite: {@code benchmark} (the suite's class
 * and the measurement's name), {@code mode}, {@code threads}, {@code forks} (one per child JVM,
 * or per fleet run), {@code params}, {@code primaryMetric} ({@code score} the mean of every sample
 * and {@code scoreError} half its 99.9% confidence interval, both as JMH computes them,
 * {@code scorePercentiles} with the median at {@code "50.0"}, {@code scoreUnit} and
 * {@code rawData}: the samples, one array per fork) and an empty {@code secondaryMetrics}; and two
 * fields JMH does not write, {@code operation} and {@code subject}, with the meaning of
 * {@link dev.permafrost.jmh.Compared}. A score error that cannot be computed (a single sample) is
 * the string {@code "NaN"}, as JMH writes it.
 *
 * @param benchmark the fully qualified class of the suite, a dot, the measurement's name
 * @param mode      JMH's mode: {@code "ss"} (single shot) for every measurement made once per fork
 * @param threads   threads that ran the measured work (1 for start-up and memory)
 * @param params    the measurement's parameters (entries, workers...), in their order
 * @param scoreUnit the unit of every sample, for example {@code "ms"} or {@code "B/entry"}
 * @param rawData   the samples, one list per fork, none empty, all finite
 * @param operation what is measured: the row of the suite's table
 * @param subject   whose implementation: {@link dev.permafrost.jmh.Compared#PERMAFROST} or the peer's name
 */
public record SuiteResult(String benchmark, String mode, int threads, Map<String, String> params, String scoreUnit,
                          List<List<Double>> rawData, String operation, String subject) {
    /** The percentiles JMH writes in {@code scorePercentiles}. */
    private static final double[] PERCENTILES = {0.0, 50.0, 90.0, 95.0, 99.0, 99.9, 99.99, 99.999, 99.9999, 100.0};

    /**
     * Creates the result.
     *
     * @throws IllegalArgumentException if there is no sample, a fork without one, or one that is not finite
     */
    public SuiteResult {
        Objects.requireNonNull(benchmark, "benchmark");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(scoreUnit, "scoreUnit");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(subject, "subject");
        if (threads < 1) {
            throw new IllegalArgumentException(benchmark + ": threads must be positive, found " + threads);
        }
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        if (rawData.isEmpty()) {
            throw new IllegalArgumentException(benchmark + ": no sample");
        }
        List<List<Double>> forks = new ArrayList<>();
        for (List<Double> fork : rawData) {
            if (fork.isEmpty()) {
                throw new IllegalArgumentException(benchmark + ": fork " + forks.size() + " has no sample");
            }
            for (double sample : fork) {
                if (!Double.isFinite(sample)) {
                    throw new IllegalArgumentException(benchmark + ": fork " + forks.size() + " has the sample " + sample);
                }
            }
            forks.add(List.copyOf(fork));
        }
        rawData = List.copyOf(forks);
    }

    /**
     * A single-shot result of one sample per fork.
     *
     * @param benchmark the suite's class and the measurement's name
     * @param params    its parameters
     * @param scoreUnit the unit
     * @param samples   one sample per fork
     * @param operation what is measured
     * @param subject   whose implementation
     * @return the result, one thread
     */
    public static SuiteResult singleShot(String benchmark, Map<String, String> params, String scoreUnit, List<Double> samples,
                                         String operation, String subject) {
        return new SuiteResult(benchmark, "ss", 1, params, scoreUnit, samples.stream().map(List::of).toList(), operation,
                subject);
    }

    /** {@return the number of forks: one per list of {@link #rawData}} */
    public int forks() {
        return rawData.size();
    }

    private ListStatistics statistics() {
        ListStatistics statistics = new ListStatistics();
        rawData.forEach(fork -> fork.forEach(statistics::addValue));
        return statistics;
    }

    /** {@return the mean of every sample: JMH's score} */
    public double score() {
        return statistics().getMean();
    }

    /** {@return the median of every sample} */
    public double median() {
        return statistics().getPercentile(50.0);
    }

    /** {@return this result as JMH writes one, with {@code operation} and {@code subject}} */
    public JsonObject toJson() {
        ListStatistics statistics = statistics();
        JsonObject json = new JsonObject();
        json.addProperty("benchmark", benchmark);
        json.addProperty("mode", mode);
        json.addProperty("threads", threads);
        json.addProperty("forks", forks());
        JsonObject parameters = new JsonObject();
        params.forEach(parameters::addProperty);
        json.add("params", parameters);
        JsonObject primary = new JsonObject();
        primary.add("score", number(statistics.getMean()));
        primary.add("scoreError", number(statistics.getN() > 1 ? statistics.getMeanErrorAt(0.999) : Double.NaN));
        JsonArray confidence = new JsonArray();
        double[] interval = statistics.getN() > 1 ? statistics.getConfidenceIntervalAt(0.999)
                : new double[] {Double.NaN, Double.NaN};
        confidence.add(number(interval[0]));
        confidence.add(number(interval[1]));
        primary.add("scoreConfidence", confidence);
        JsonObject percentiles = new JsonObject();
        for (double percentile : PERCENTILES) {
            percentiles.add(Double.toString(percentile), number(statistics.getPercentile(percentile)));
        }
        primary.add("scorePercentiles", percentiles);
        primary.addProperty("scoreUnit", scoreUnit);
        JsonArray raw = new JsonArray();
        for (List<Double> fork : rawData) {
            JsonArray samples = new JsonArray();
            fork.forEach(samples::add);
            raw.add(samples);
        }
        primary.add("rawData", raw);
        json.add("primaryMetric", primary);
        json.add("secondaryMetrics", new JsonObject());
        json.addProperty("operation", operation);
        json.addProperty("subject", subject);
        return json;
    }

    private static JsonPrimitive number(double value) {
        return Double.isFinite(value) ? new JsonPrimitive(value) : new JsonPrimitive(Double.toString(value));
    }

    /**
     * Returns results as a JSON array, the way JMH's {@code -rf json} file holds them.
     *
     * @param results the results
     * @return the array, pretty-printed
     */
    public static String toJson(List<SuiteResult> results) {
        JsonArray array = new JsonArray();
        results.forEach(result -> array.add(result.toJson()));
        return new GsonBuilder().setPrettyPrinting().create().toJson(array) + "\n";
    }

    /**
     * Writes results to a file as a JSON array, replacing it.
     *
     * @param out     the file
     * @param results the results
     * @throws UncheckedIOException if it cannot be written
     */
    public static void write(Path out, List<SuiteResult> results) {
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, toJson(results), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }
}
