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
import java.util.stream.DoubleStream;

/**
 * Prints the medians and ratios of a JMH JSON result ({@code -rf json}): per benchmark and
 * thread count, the median of every measurement iteration's score across all forks, in
 * nanoseconds per operation per thread; then the ratios that issue 2's targets name and how
 * two threads scale. Output is Markdown, readable in a terminal and pasteable into
 * {@code docs/benchmarks.md}.
 *
 * <p>Usage: {@code java -cp jmh/target/benchmarks.jar dev.permafrost.jmh.Report result.json...};
 * {@code scripts/bench} calls it after each run. Several files are rounds of the same run,
 * taken one after another so that every benchmark sees the same load: their samples are
 * pooled, and each ratio is also given as the median of the per-round ratios.
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
     * @param args the JSON files: one run, or the rounds of one run
     * @throws IOException if it cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: Report <jmh-result.json>... (several files: rounds of one run, pooled)");
            System.exit(2);
        }
        List<JsonArray> runs = new ArrayList<>();
        for (String arg : args) {
            Path json = Path.of(arg);
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
            runs.add(root.getAsJsonArray());
        }
        print(runs, System.out);
    }

    /**
     * Prints the report of one JMH run, or of several runs (rounds) pooled: each benchmark's
     * samples of every run together, and each ratio also as the median of the ratios within
     * each run, which cancels load that drifts between runs.
     */
    static void print(List<JsonArray> runs, PrintStream out) {
        JsonObject first = runs.get(0).get(0).getAsJsonObject();
        out.printf("JMH %s, %s %s (JDK %s); %d run%s of %s forks, %s warmup x %s, %s measurement x %s per benchmark%n%n",
                text(first, "jmhVersion"), text(first, "vmName"), text(first, "vmVersion"), text(first, "jdkVersion"),
                runs.size(), runs.size() == 1 ? "" : "s (rounds, pooled)", text(first, "forks"),
                text(first, "warmupIterations"), text(first, "warmupTime"),
                text(first, "measurementIterations"), text(first, "measurementTime"));

        List<Map<String, Row>> perRun = new ArrayList<>();
        for (JsonArray results : runs) {
            Map<String, Row> rowsOfRun = new LinkedHashMap<>();
            for (JsonElement element : results) {
                Row row = rowOf(element.getAsJsonObject());
                rowsOfRun.put(row.name() + "/" + row.threads(), row);
            }
            perRun.add(rowsOfRun);
        }
        Map<String, Row> rows = pooled(perRun);
        out.println("| benchmark | threads | median ns/op | min | max | samples | total ops/µs |");
        out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (Row row : rows.values()) {
            out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %d (%d forks) | %.1f |%n", row.name(), row.threads(),
                    row.median(), row.min(), row.max(), row.nanosPerOp().length, row.forks(), row.totalOpsPerMicro());
        }

        out.println();
        boolean rounds = perRun.size() > 1;
        out.println(rounds ? "| ratio | of pooled medians | median of per-run ratios | target |" : "| ratio of medians | value | target |");
        out.println(rounds ? "|---|---:|---:|---|" : "|---|---:|---|");
        ratio(out, rows, perRun, "immortalRetainRelease", "headerRead", 1, 1.3);
        ratio(out, rows, perRun, "immortalRetainRelease", "headerRead", 2, Double.NaN);
        ratio(out, rows, perRun, "mortalRetainRelease", "atomicIncrementDecrement", 1, 1.2);
        ratio(out, rows, perRun, "mortalRetainRelease", "atomicIncrementDecrement", 2, Double.NaN);
        for (String name : List.of("headerRead", "immortalRetainRelease", "atomicIncrementDecrement", "mortalRetainRelease")) {
            Row one = rows.get(name + "/1");
            Row two = rows.get(name + "/2");
            if (one != null && two != null) {
                double scaling = two.totalOpsPerMicro() / one.totalOpsPerMicro();
                String target = name.startsWith("immortal") ? "scales (about 2×)"
                        : name.startsWith("mortal") ? "may collapse (below 1×)" : "baseline";
                out.printf(Locale.ROOT, "| %s: total throughput, 2 threads / 1 thread | %.2f× |%s %s |%n", name, scaling,
                        rounds ? " |" : "", target);
            }
        }
    }

    /** Joins each benchmark's samples from every run into one row. */
    private static Map<String, Row> pooled(List<Map<String, Row>> perRun) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (Map<String, Row> run : perRun) {
            run.forEach((key, row) -> rows.merge(key, row, (a, b) -> new Row(a.name(), a.threads(),
                    DoubleStream.concat(Arrays.stream(a.nanosPerOp()), Arrays.stream(b.nanosPerOp())).toArray(),
                    a.forks() + b.forks())));
        }
        return rows;
    }

    private static void ratio(PrintStream out, Map<String, Row> rows, List<Map<String, Row>> perRun, String measured,
                              String baseline, int threads, double target) {
        String mKey = measured + "/" + threads;
        String bKey = baseline + "/" + threads;
        Row m = rows.get(mKey);
        Row b = rows.get(bKey);
        if (m == null || b == null) {
            return;
        }
        double value = m.median() / b.median();
        double[] runRatios = perRun.stream().filter(run -> run.containsKey(mKey) && run.containsKey(bKey))
                .mapToDouble(run -> run.get(mKey).median() / run.get(bKey).median()).toArray();
        double runMedian = new Row("", 1, runRatios, 0).median();
        double judged = perRun.size() > 1 ? runMedian : value;
        String verdict = Double.isNaN(target) ? "(shown)"
                : String.format(Locale.ROOT, "≤ %.1f×: %s", target, judged <= target ? "met" : "MISSED");
        String perRunColumn = perRun.size() > 1 ? String.format(Locale.ROOT, " %.3f× |", runMedian) : "";
        out.printf(Locale.ROOT, "| %s / %s, %d thread%s | %.3f× |%s %s |%n", measured, baseline, threads,
                threads == 1 ? "" : "s", value, perRunColumn, verdict);
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
