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
import java.util.function.Function;
import java.util.stream.DoubleStream;

/**
 * Prints the medians and ratios of a JMH JSON result ({@code -rf json}): per benchmark and
 * thread count, the median of every measurement iteration's score across all forks, in
 * nanoseconds per operation per thread; then the ratios that issues 2, 3 and 12's targets name and how
 * two threads scale. Output is Markdown, readable in a terminal and pasteable into
 * {@code docs/benchmarks.md}.
 *
 * <p>Two clocks: <b>wall</b> is JMH's own score; <b>CPU</b> is that score times the share of
 * the iteration the benchmark threads spent on a CPU ({@link ThreadCpu}), which leaves out
 * time spent waiting for a CPU on a busy machine. Benchmarks without {@link ThreadCpu} get
 * the wall clock only.
 *
 * <p>Usage: {@code java -cp jmh/target/benchmarks.jar dev.permafrost.jmh.Report result.json...};
 * {@code scripts/bench} calls it after each run. Several files are rounds of the same run,
 * taken one after another so that every benchmark sees the same load: their samples are
 * pooled, and each ratio is also given as the median of the per-round ratios.
 */
public final class Report {
    private static final String SUFFIX_TWO_THREADS = "TwoThreads";
    private static final String CPU_NANOS = "threadCpuNanos";
    private static final String WALL_NANOS = "threadWallNanos";

    /**
     * One benchmark at one thread count, one sample per measurement iteration.
     *
     * @param wall nanoseconds per operation per thread, wall clock (JMH's score)
     * @param cpu  the same in CPU time; empty if the benchmark has no {@link ThreadCpu}
     */
    record Row(String name, int threads, double[] wall, double[] cpu, int forks) {
        Row merge(Row other) {
            return new Row(name, threads, concat(wall, other.wall), concat(cpu, other.cpu), forks + other.forks);
        }

        private static double[] concat(double[] a, double[] b) {
            return DoubleStream.concat(Arrays.stream(a), Arrays.stream(b)).toArray();
        }
    }

    /** A way to read a row: its label and which samples. */
    private record Clock(String label, Function<Row, double[]> samples) {
        double median(Row row) {
            return Report.median(samples.apply(row));
        }
    }

    private static final Clock WALL = new Clock("wall", Row::wall);
    private static final Clock CPU = new Clock("CPU", Row::cpu);

    private Report() {
    }

    /**
     * Reads JMH JSON results and prints the report to standard output.
     *
     * @param args the JSON files: one run, or the rounds of one run
     * @throws IOException if one cannot be read
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
                rowsOfRun.put(key(row.name(), row.threads()), row);
            }
            perRun.add(rowsOfRun);
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        perRun.forEach(run -> run.forEach((key, row) -> rows.merge(key, row, Row::merge)));
        boolean withCpu = rows.values().stream().allMatch(row -> row.cpu().length > 0);

        out.println("ns/op is per operation per thread; total ops/µs is all threads together (wall clock).");
        out.println();
        out.println("| benchmark | threads | median ns/op (wall) | min | max | median ns/op (CPU) | CPU share | samples | total ops/µs |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Row row : rows.values()) {
            double wall = WALL.median(row);
            out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %s | %s | %d (%d forks) | %.1f |%n",
                    row.name(), row.threads(), wall, min(row.wall()), max(row.wall()),
                    row.cpu().length == 0 ? "-" : String.format(Locale.ROOT, "%.3f", CPU.median(row)),
                    row.cpu().length == 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * CPU.median(row) / wall),
                    row.wall().length, row.forks(), row.threads() * 1000.0 / wall);
        }

        boolean rounds = perRun.size() > 1;
        for (Clock clock : withCpu ? List.of(WALL, CPU) : List.of(WALL)) {
            out.println();
            out.println(rounds ? "| ratio (" + clock.label() + ") | of pooled medians | median of per-run ratios | target |"
                    : "| ratio of medians (" + clock.label() + ") | value | target |");
            out.println(rounds ? "|---|---:|---:|---|" : "|---|---:|---|");
            ratio(out, clock, rows, perRun, "immortalRetainRelease", "headerRead", 1, 1.3);
            ratio(out, clock, rows, perRun, "immortalRetainRelease", "headerRead", 2, Double.NaN);
            ratio(out, clock, rows, perRun, "mortalRetainRelease", "atomicIncrementDecrement", 1, 1.2);
            ratio(out, clock, rows, perRun, "mortalRetainRelease", "atomicIncrementDecrement", 2, Double.NaN);
            ratio(out, clock, rows, perRun, "decodeStoredRecord", "decodeHeapByteBufferHandWritten", 1, 1.0);
            ratio(out, clock, rows, perRun, "decodeStoredRecordNonAscii", "decodeHeapByteBufferHandWrittenNonAscii", 1, Double.NaN);
            ratio(out, clock, rows, perRun, "readIntFieldAccessor", "readIntPlainSegment", 1, 2.0);
            ratio(out, clock, rows, perRun, "compareStringFieldInPlace", "compareStringAfterDecode", 1, Double.NaN);
            for (int threads = 1; threads <= 2; threads++) { // issue 12: the cache against Caffeine and its off-heap peers
                ratio(out, clock, rows, perRun, "frozenGetEntryHit", "caffeineGetIfPresentHit", threads, threads == 1 ? 1.2 : Double.NaN);
                ratio(out, clock, rows, perRun, "frozenGetIfPresentHit", "caffeineGetIfPresentHit", threads, threads == 1 ? 1.5 : Double.NaN);
                ratio(out, clock, rows, perRun, "frozenGetEntryMiss", "caffeineGetIfPresentMiss", threads, threads == 1 ? 1.2 : Double.NaN);
                ratio(out, clock, rows, perRun, "overlayGetEntryHit", "caffeineGetIfPresentHit", threads, threads == 1 ? 2.0 : Double.NaN);
                ratio(out, clock, rows, perRun, "frozenGetEntryHit", "concurrentHashMapGetHit", threads, Double.NaN);
                ratio(out, clock, rows, perRun, "frozenGetEntryHit", "chronicleMapGetHit", threads, threads == 1 ? 1.0 / 3 : Double.NaN);
                ratio(out, clock, rows, perRun, "frozenGetEntryHit", "lmdbGetHit", threads, threads == 1 ? 1.0 : Double.NaN);
            }
            for (String name : List.of("headerRead", "immortalRetainRelease", "atomicIncrementDecrement", "mortalRetainRelease",
                    "frozenGetEntryHit", "frozenGetIfPresentHit", "frozenGetEntryMiss", "overlayGetEntryHit",
                    "caffeineGetIfPresentHit", "concurrentHashMapGetHit", "chronicleMapGetHit", "lmdbGetHit")) {
                Row one = rows.get(key(name, 1));
                Row two = rows.get(key(name, 2));
                if (one != null && two != null) {
                    double scaling = 2 * clock.median(one) / clock.median(two);
                    String target = name.equals("frozenGetEntryHit") ? (scaling >= 1.8 ? "≥ 1.8×: met" : "≥ 1.8×: MISSED")
                            : name.startsWith("immortal") ? "scales (about 2×)"
                            : name.startsWith("mortal") ? "may collapse (below 1×)" : "baseline";
                    out.printf(Locale.ROOT, "| %s: total throughput, 2 threads / 1 thread | %.2f× |%s %s |%n", name,
                            scaling, rounds ? " |" : "", target);
                }
            }
        }
    }

    private static void ratio(PrintStream out, Clock clock, Map<String, Row> rows, List<Map<String, Row>> perRun,
                              String measured, String baseline, int threads, double target) {
        String mKey = key(measured, threads);
        String bKey = key(baseline, threads);
        Row m = rows.get(mKey);
        Row b = rows.get(bKey);
        if (m == null || b == null) {
            return;
        }
        double pooled = clock.median(m) / clock.median(b);
        double perRunMedian = median(perRun.stream().filter(run -> run.containsKey(mKey) && run.containsKey(bKey))
                .mapToDouble(run -> clock.median(run.get(mKey)) / clock.median(run.get(bKey))).toArray());
        double judged = perRun.size() > 1 ? perRunMedian : pooled;
        String verdict = Double.isNaN(target) ? "(shown)"
                : String.format(Locale.ROOT, target < 1 ? "≤ %.3f×: %s" : "≤ %.1f×: %s", target, judged <= target ? "met" : "MISSED");
        String perRunColumn = perRun.size() > 1 ? String.format(Locale.ROOT, " %.3f× |", perRunMedian) : "";
        out.printf(Locale.ROOT, "| %s / %s, %d thread%s | %.3f× |%s %s |%n", measured, baseline, threads,
                threads == 1 ? "" : "s", pooled, perRunColumn, verdict);
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
        double[] wall = samples(metric, benchmark, text(result, "mode"));
        for (int i = 0; i < wall.length; i++) {
            wall[i] = nanosPerOpPerThread(wall[i], unit, threads, benchmark);
        }
        double[] cpu = new double[0];
        JsonObject secondary = result.getAsJsonObject("secondaryMetrics");
        if (secondary != null && secondary.has(CPU_NANOS) && secondary.has(WALL_NANOS)) {
            double[] cpuNanos = samples(secondary.getAsJsonObject(CPU_NANOS), benchmark, "aux");
            double[] wallNanos = samples(secondary.getAsJsonObject(WALL_NANOS), benchmark, "aux");
            if (cpuNanos.length == wall.length && wallNanos.length == wall.length) {
                cpu = new double[wall.length];
                for (int i = 0; i < wall.length; i++) {
                    cpu[i] = wall[i] * Math.min(1.0, cpuNanos[i] / wallNanos[i]);
                }
            }
        }
        return new Row(name, threads, wall, cpu, metric.getAsJsonArray("rawData").size());
    }

    /** Every measurement iteration's value, fork after fork. */
    private static double[] samples(JsonObject metric, String benchmark, String mode) {
        JsonArray forks = metric.getAsJsonArray("rawData");
        if (forks == null) {
            throw new IllegalArgumentException(benchmark + ": no rawData (mode " + mode
                    + "); the report reads modes avgt, thrpt and ss");
        }
        List<Double> values = new ArrayList<>();
        for (JsonElement fork : forks) {
            for (JsonElement value : fork.getAsJsonArray()) {
                values.add(value.getAsDouble());
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
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

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    private static String key(String name, int threads) {
        return name + "/" + threads;
    }

    private static String text(JsonObject object, String member) {
        JsonElement value = object.get(member);
        return value == null || value.isJsonNull() ? "?" : value.getAsString();
    }
}
