package dev.permafrost.jmh.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.permafrost.jmh.Compared;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.LinkedHashMap;

/**
 * Reads a suite's results: a JSON array in JMH's result format ({@code -rf json}). Each
 * benchmark's {@code operation} and {@code subject} come from top-level fields of the same
 * names when the suite wrote them (the suites that are not JMH), else from the
 * {@link Compared} annotation of the benchmark method, found through a class loader.
 *
 * <p>Optional fields a suite may add: {@code "error"} (a message instead of a measurement),
 * {@code "better"} ({@code "higher"} or {@code "lower"}; by default only JMH's throughput
 * mode, a {@code ops/...} unit and the mode {@code "hit ratio"} are higher-is-better), and
 * {@code "settings"} (how it was run, in words, when the JMH fields are absent).
 */
public final class ResultFile {
    private static final String CPU_NANOS = "threadCpuNanos";
    private static final String WALL_NANOS = "threadWallNanos";

    private ResultFile() {
    }

    /**
     * Reads a results file.
     *
     * @param json   the file
     * @param loader where the benchmark classes are, for their {@link Compared} annotations
     * @return its results, in file order
     * @throws BadResultsException if it cannot be read or is not a JSON array of results
     */
    public static List<Result> read(Path json, ClassLoader loader) {
        JsonElement root;
        try (Reader reader = Files.newBufferedReader(json, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(reader);
        } catch (IOException e) {
            throw new BadResultsException(json, "cannot read the results: " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new BadResultsException(json, "not JSON: " + e.getMessage(), e);
        }
        if (root.isJsonNull()) { // an empty file: a run that wrote nothing
            return List.of();
        }
        if (!root.isJsonArray()) {
            throw new BadResultsException(json, "expected a JSON array of results (JMH's -rf json), found "
                    + (root.isJsonObject() ? "an object" : root.toString()), null);
        }
        List<Result> results = new ArrayList<>();
        JsonArray array = root.getAsJsonArray();
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isJsonObject()) {
                throw new BadResultsException(json, "result " + i + " is not a JSON object", null);
            }
            try {
                results.add(parse(array.get(i).getAsJsonObject(), loader));
            } catch (IllegalStateException | UnsupportedOperationException | NumberFormatException | ClassCastException e) {
                throw new BadResultsException(json, "result " + i + " is not a JMH result: " + e.getMessage(), e);
            }
        }
        return results;
    }

    private static Result parse(JsonObject object, ClassLoader loader) {
        String benchmark = required(object, "benchmark").getAsString();
        if (benchmark.indexOf('.') < 0) {
            throw new IllegalStateException("benchmark '" + benchmark + "' is not package.Class.method");
        }
        String mode = required(object, "mode").getAsString();
        int threads = object.has("threads") ? object.get("threads").getAsInt() : 1;
        int forks = object.has("forks") ? object.get("forks").getAsInt() : 1;
        Map<String, String> params = new LinkedHashMap<>();
        if (object.has("params") && object.get("params").isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : object.getAsJsonObject("params").entrySet()) {
                params.put(e.getKey(), e.getValue().getAsString());
            }
        }
        String error = text(object, "error");
        JsonObject metric = object.has("primaryMetric") ? object.getAsJsonObject("primaryMetric") : new JsonObject();
        if (error == null && !object.has("primaryMetric")) {
            throw new IllegalStateException(benchmark + " has neither primaryMetric nor error");
        }
        String unit = metric.has("scoreUnit") ? metric.get("scoreUnit").getAsString() : "";
        double score = number(metric, "score");
        double scoreError = number(metric, "scoreError");
        double[][] raw = matrix(metric.get("rawData"));
        if (raw.length == 0 && !Double.isNaN(score) && error == null) {
            raw = new double[][] {{score}}; // sample mode writes a histogram, not rawData: the mean stands in
        }
        double[][] cpu = new double[0][];
        if (object.has("secondaryMetrics") && object.get("secondaryMetrics").isJsonObject()) {
            JsonObject secondary = object.getAsJsonObject("secondaryMetrics");
            if (secondary.has(CPU_NANOS) && secondary.has(WALL_NANOS)) {
                cpu = cpuClock(raw, matrix(secondary.getAsJsonObject(CPU_NANOS).get("rawData")),
                        matrix(secondary.getAsJsonObject(WALL_NANOS).get("rawData")), unit);
            }
        }
        String operation = text(object, "operation");
        String subject = text(object, "subject");
        if (operation == null || subject == null) {
            Compared compared = compared(benchmark, loader);
            if (compared != null) {
                operation = operation == null ? compared.operation() : operation;
                subject = subject == null ? compared.subject() : subject;
            }
        }
        String better = text(object, "better");
        boolean higher = better != null ? better.equalsIgnoreCase("higher")
                : mode.equals("thrpt") || mode.equals("hit ratio") || unit.startsWith("ops/");
        List<String> jvmArgs = new ArrayList<>();
        if (object.has("jvmArgs") && object.get("jvmArgs").isJsonArray()) {
            object.getAsJsonArray("jvmArgs").forEach(a -> jvmArgs.add(a.getAsString()));
        }
        return new Result(benchmark, mode, threads, forks, params, unit, score, scoreError, raw, cpu,
                operation, subject, error, higher, List.copyOf(jvmArgs), settings(object, forks));
    }

    /** The CPU clock of each sample: the wall sample times the share of it the threads spent on a CPU. */
    private static double[][] cpuClock(double[][] raw, double[][] cpuNanos, double[][] wallNanos, String unit) {
        if (cpuNanos.length != raw.length || wallNanos.length != raw.length) {
            return new double[0][];
        }
        boolean perOp = unit.endsWith("/op");
        double[][] cpu = new double[raw.length][];
        for (int f = 0; f < raw.length; f++) {
            if (cpuNanos[f].length != raw[f].length || wallNanos[f].length != raw[f].length) {
                return new double[0][];
            }
            cpu[f] = new double[raw[f].length];
            for (int i = 0; i < raw[f].length; i++) {
                double share = Math.min(1.0, cpuNanos[f][i] / wallNanos[f][i]);
                cpu[f][i] = perOp ? raw[f][i] * share : raw[f][i] / share;
            }
        }
        return cpu;
    }

    private static String settings(JsonObject object, int forks) {
        String own = text(object, "settings");
        if (own != null) {
            return own;
        }
        if (!object.has("warmupIterations") || !object.has("measurementIterations")) {
            return forks + (forks == 1 ? " run" : " runs");
        }
        return String.format(Locale.ROOT, "%d fork%s, %s × %s warm-up, %s × %s measurement",
                forks, forks == 1 ? "" : "s",
                object.get("warmupIterations").getAsString(), text(object, "warmupTime"),
                object.get("measurementIterations").getAsString(), text(object, "measurementTime"));
    }

    /** {@return the annotation of the benchmark method, or {@code null} if the class or annotation is absent} */
    private static Compared compared(String benchmark, ClassLoader loader) {
        int dot = benchmark.lastIndexOf('.');
        try {
            Class<?> owner = Class.forName(benchmark.substring(0, dot), false, loader);
            for (Method method : owner.getMethods()) {
                if (method.getName().equals(benchmark.substring(dot + 1)) && method.isAnnotationPresent(Compared.class)) {
                    return method.getAnnotation(Compared.class);
                }
            }
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        return null;
    }

    private static JsonElement required(JsonObject object, String member) {
        JsonElement value = object.get(member);
        if (value == null || value.isJsonNull()) {
            throw new IllegalStateException("no \"" + member + "\"");
        }
        return value;
    }

    private static String text(JsonObject object, String member) {
        JsonElement value = object.get(member);
        return value == null || value.isJsonNull() ? null : value.getAsString();
    }

    /** A number, or {@code NaN} when absent or written as JMH writes it ({@code "NaN"}). */
    private static double number(JsonObject object, String member) {
        JsonElement value = object.get(member);
        return value == null || value.isJsonNull() ? Double.NaN : Double.parseDouble(value.getAsString());
    }

    private static double[][] matrix(JsonElement element) {
        if (element == null || !element.isJsonArray()) {
            return new double[0][];
        }
        JsonArray rows = element.getAsJsonArray();
        double[][] matrix = new double[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            JsonArray row = rows.get(r).getAsJsonArray();
            matrix[r] = new double[row.size()];
            for (int c = 0; c < row.size(); c++) {
                matrix[r][c] = Double.parseDouble(row.get(c).getAsString());
            }
        }
        return matrix;
    }
}
