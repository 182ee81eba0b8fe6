package dev.permafrost.jmh;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the medians and ratios of a JMH JSON result ({@code -rf json}): per benchmark and
 * thread count, the median of every measurement iteration's score across all forks, in
 * nanoseconds per operation per thread; then the ratios that issue 2's targets name and how
 * two threads scale. Output is Markdown, readable in a terminal and pasteable into
 * {@code docs/benchmarks.md}.
 *
 * <p>Usage: {@code java -cp jmh/target/benchmarks.jar dev.permafrost.jmh.Report result.json};
 * {@code scripts/bench} calls it after each run.
 */
public final class Report {
    private static final String SUFFIX_TWO_THREADS = "TwoThreads";

    /** One benchmark at one thread count: scores in nanoseconds per operation per thread. */
    record Row(String name, int threads, double[] nanosPerOp, int forks) {
        double median() {
            double[] sorted = nanosPerOp.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        double min() {
            return Arrays.stream(nanosPerOp).min().orElse(Double.NaN);
        }

        double max() {
            return Arrays.stream(nanosPerOp).max().orElse(Double.NaN);
        }

        /** Operations per microsecond by all threads together. */
        double totalOpsPerMicro() {
            return threads * 1000.0 / median();
        }
    }

    private Report() {
    }

    /**
     * Reads a JMH JSON result and prints the report to standard output.
     *
     * @param args the JSON file
     * @throws IOException if it cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Report <jmh-result.json>");
            System.exit(2);
        }
        Path json = Path.of(args[0]);
        JsonElement root;
        try (Reader reader = Files.newBufferedReader(json, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(reader);
        } catch (JsonParseException e) {
            System.err.println("Report: " + json + " is not JMH JSON output: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (!root.isJsonArray() || root.getAsJsonArray().isEmpty()) {
            System.err.println("Report: " + json + " holds no benchmark results (a JSON array of them was expected)");
            System.exit(1);
        }
        print(root.getAsJsonArray(), System.out);
    }

    static void print(JsonArray results, PrintStream out) {
        JsonObject first = results.get(0).getAsJsonObject();
        out.printf("JMH %s, %s %s (JDK %s); %s forks, %s warmup x %s, %s measurement x %s per benchmark%n%n",
                text(first, "jmhVersion"), text(first, "vmName"), text(first, "vmVersion"), text(first, "jdkVersion"),
                text(first, "forks"), text(first, "warmupIterations"), text(first, "warmupTime"),
                text(first, "measurementIterations"), text(first, "measurementTime"));

        Map<String, Row> rows = new LinkedHashMap<>();
        for (JsonElement element : results) {
            Row row = rowOf(element.getAsJsonObject());
            rows.put(row.name() + "/" + row.threads(), row);
        }
        out.println("| benchmark | threads | median ns/op | min | max | samples | total ops/µs |");
        out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (Row row : rows.values()) {
            out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %d (%d forks) | %.1f |%n", row.name(), row.threads(),
                    row.median(), row.min(), row.max(), row.nanosPerOp().length, row.forks(), row.totalOpsPerMicro());
        }

        out.println();
        out.println("| ratio of medians | value | target |");
        out.println("|---|---:|---|");
        ratio(out, rows, "immortalRetainRelease", "headerRead", 1, 1.3);
        ratio(out, rows, "immortalRetainRelease", "headerRead", 2, Double.NaN);
        ratio(out, rows, "mortalRetainRelease", "atomicIncrementDecrement", 1, 1.2);
        ratio(out, rows, "mortalRetainRelease", "atomicIncrementDecrement", 2, Double.NaN);
        for (String name : List.of("headerRead", "immortalRetainRelease", "atomicIncrementDecrement", "mortalRetainRelease")) {
            Row one = rows.get(name + "/1");
            Row two = rows.get(name + "/2");
            if (one != null && two != null) {
                double scaling = two.totalOpsPerMicro() / one.totalOpsPerMicro();
                String target = name.startsWith("immortal") ? "scales (about 2×)"
                        : name.startsWith("mortal") ? "may collapse (below 1×)" : "baseline";
                out.printf(Locale.ROOT, "| %s: total throughput, 2 threads / 1 thread | %.2f× | %s |%n", name, scaling, target);
            }
        }
    }

    private static void ratio(PrintStream out, Map<String, Row> rows, String measured, String baseline, int threads,
                              double target) {
        Row m = rows.get(measured + "/" + threads);
        Row b = rows.get(baseline + "/" + threads);
        if (m == null || b == null) {
            return;
        }
        double value = m.median() / b.median();
        String verdict = Double.isNaN(target) ? "(shown)"
                : String.format(Locale.ROOT, "≤ %.1f×: %s", target, value <= target ? "met" : "MISSED");
        out.printf(Locale.ROOT, "| %s / %s, %d thread%s | %.3f× | %s |%n", measured, baseline, threads,
                threads == 1 ? "" : "s", value, verdict);
    }

    private static Row rowOf(JsonObject result) {
        String benchmark = text(result, "benchmark");
        String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        if (name.endsWith(SUFFIX_TWO_THREADS)) {
            name = name.substring(0, name.length() - SUFFIX_TWO_THREADS.length());
        }
        int threads = result.get("threads").getAsInt();
        JsonObject params = result.getAsJsonObject("params");
        if (params != null && !params.isEmpty()) {
            StringBuilder withParams = new StringBuilder(name);
            params.entrySet().forEach(e -> withParams.append(' ').append(e.getKey()).append('=').append(e.getValue().getAsString()));
            name = withParams.toString();
        }
        JsonObject metric = result.getAsJsonObject("primaryMetric");
        String unit = text(metric, "scoreUnit");
        JsonArray forks = metric.getAsJsonArray("rawData");
        if (forks == null) {
            throw new IllegalArgumentException(benchmark + ": no rawData (mode " + text(result, "mode")
                    + "); the report reads modes avgt, thrpt and ss");
        }
        List<Double> nanos = new ArrayList<>();
        for (JsonElement fork : forks) {
            for (JsonElement score : fork.getAsJsonArray()) {
                nanos.add(nanosPerOpPerThread(score.getAsDouble(), unit, threads, benchmark));
            }
        }
        return new Row(name, threads, nanos.stream().mapToDouble(Double::doubleValue).toArray(), forks.size());
    }

    /** Converts a score to nanoseconds per operation per thread: JMH's throughput is all threads' together. */
    private static double nanosPerOpPerThread(double score, String unit, int threads, String benchmark) {
        String[] parts = unit.split("/");
        if (parts.length == 2 && parts[1].equals("op")) {
            return score * nanosIn(parts[0], unit, benchmark);
        }
        if (parts.length == 2 && parts[0].equals("ops")) {
            return threads * nanosIn(parts[1], unit, benchmark) / score;
        }
        throw new IllegalArgumentException(benchmark + ": unknown score unit " + unit);
    }

    private static double nanosIn(String timeUnit, String unit, String benchmark) {
        return switch (timeUnit) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "min" -> 60e9;
            default -> throw new IllegalArgumentException(benchmark + ": unknown time unit in " + unit);
        };
    }

    private static String text(JsonObject object, String member) {
        JsonElement value = object.get(member);
        return value == null || value.isJsonNull() ? "?" : value.getAsString();
    }
}
