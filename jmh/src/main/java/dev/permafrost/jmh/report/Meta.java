package dev.permafrost.jmh.report;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The record of one suite's run, {@code jmh/results/[quick/]SUITE.meta.json}, written by
 * {@code scripts/bench} beside the suite's results: the machine, the JDK, the command, when, how
 * long, the load, and the errors of benchmarks that did not run (from JMH's output, or the last
 * line a non-JMH suite printed when it failed).
 *
 * @param suite        the suite's name
 * @param quick        whether it was a {@code --quick} run
 * @param command      the command line that ran it
 * @param utc          when the run ended, ISO-8601 UTC
 * @param seconds      how long it took, wall clock
 * @param exitStatus   the suite's exit status
 * @param cpus         CPUs the JVM saw
 * @param cpuModel     {@code /proc/cpuinfo}'s model name, or {@code "?"}
 * @param kernel       the OS and its version
 * @param memoryBytes  {@code MemTotal} of {@code /proc/meminfo}, or -1
 * @param jdk          the JDK's vendor, name and version
 * @param loadStart    the load averages (1, 5, 15 min) when the run started, as {@code /proc/loadavg} has them
 * @param loadEnd      the same when it ended
 * @param errors       the benchmarks that failed and why
 */
public record Meta(String suite, boolean quick, String command, String utc, long seconds, int exitStatus,
                   int cpus, String cpuModel, String kernel, long memoryBytes, String jdk,
                   String loadStart, String loadEnd, List<BenchError> errors) {

    /**
     * A benchmark that gave no result.
     *
     * @param benchmark the benchmark's full name, or the suite's name when the whole suite failed
     * @param message   the first line of the failure
     */
    public record BenchError(String benchmark, String message) {
    }

    /**
     * Writes a meta file; run by {@code scripts/bench} after each suite.
     *
     * <pre>
     * java -cp benchmarks.jar dev.permafrost.jmh.report.Meta --suite S --out FILE --command CMD
     *     --seconds N --status N --load-start "1.0 0.9 0.8" [--log FILE] [--jmh] [--quick]
     * </pre>
     *
     * With {@code --jmh} the log is JMH's output and each {@code <failure>} in it becomes an
     * error; without, a non-zero status makes the log's last line the suite's error.
     *
     * @param args the options above
     * @throws IOException if the log cannot be read or the meta file written
     */
    public static void main(String[] args) throws IOException {
        String suite = null;
        Path out = null;
        Path log = null;
        String command = "";
        String loadStart = "?";
        long seconds = -1;
        int status = 0;
        boolean jmh = false;
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--suite" -> suite = value(args, ++i);
                case "--out" -> out = Path.of(value(args, ++i));
                case "--log" -> log = Path.of(value(args, ++i));
                case "--command" -> command = value(args, ++i);
                case "--load-start" -> loadStart = value(args, ++i);
                case "--seconds" -> seconds = Long.parseLong(value(args, ++i));
                case "--status" -> status = Integer.parseInt(value(args, ++i));
                case "--jmh" -> jmh = true;
                case "--quick" -> quick = true;
                default -> fail("unknown argument '" + args[i] + "'");
            }
        }
        if (suite == null || out == null) {
            fail("--suite and --out are required");
        }
        List<String> lines = log == null ? List.of() : readLines(log);
        List<BenchError> errors = jmh ? jmhErrors(lines, suite) : List.of();
        if (!jmh && status != 0) {
            errors = List.of(new BenchError(suite, lastLine(lines, "exit status " + status)));
        }
        Meta meta = new Meta(suite, quick, command, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), seconds,
                status, Runtime.getRuntime().availableProcessors(), readCpuModel(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), readMemTotal(),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.runtime.version"),
                loadStart, readLoadAverage(), errors);
        meta.write(out);
    }

    /**
     * The errors in JMH's output: each {@code <failure>} under a {@code # Benchmark:} line, its first
     * non-blank line after; and JMH's own refusal when no benchmark matched.
     *
     * @param lines JMH's output
     * @param suite the suite's name
     * @return the errors, at most one per benchmark
     */
    static List<BenchError> jmhErrors(List<String> lines, String suite) {
        List<BenchError> errors = new ArrayList<>();
        String benchmark = suite;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("# Benchmark:")) {
                benchmark = line.substring("# Benchmark:".length()).strip();
            } else if (line.equals("<failure>")) {
                int j = i + 1;
                while (j < lines.size() && lines.get(j).isBlank()) {
                    j++;
                }
                String message = j < lines.size() ? lines.get(j).strip() : "failed (no message)";
                String failed = benchmark;
                if (errors.stream().noneMatch(e -> e.benchmark().equals(failed))) {
                    errors.add(new BenchError(benchmark, message));
                }
            } else if (line.startsWith("No matching benchmarks")) {
                errors.add(new BenchError(suite, "no benchmark in package dev.permafrost.jmh." + suite
                        + " (JMH: " + line + ")"));
            } else if (line.startsWith("ERROR:") || line.startsWith("Error parsing command line")) {
                errors.add(new BenchError(suite, line));
            }
        }
        return errors;
    }

    private static String lastLine(List<String> lines, String fallback) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return lines.get(i).strip();
            }
        }
        return fallback;
    }

    /**
     * Reads a meta file.
     *
     * @param file the file
     * @return its record, or {@code null} if there is no such file
     * @throws BadResultsException if it is not a meta file
     */
    public static Meta read(Path file) {
        JsonObject o;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement root = JsonParser.parseReader(reader);
            if (!root.isJsonObject()) {
                throw new BadResultsException(file, "expected the JSON object scripts/bench writes, found " + root, null);
            }
            o = root.getAsJsonObject();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new BadResultsException(file, "cannot read: " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new BadResultsException(file, "not JSON: " + e.getMessage(), e);
        }
        try {
            List<BenchError> errors = new ArrayList<>();
            if (o.has("errors")) {
                for (JsonElement e : o.getAsJsonArray("errors")) {
                    errors.add(new BenchError(e.getAsJsonObject().get("benchmark").getAsString(),
                            e.getAsJsonObject().get("message").getAsString()));
                }
            }
            JsonObject machine = o.has("machine") ? o.getAsJsonObject("machine") : new JsonObject();
            return new Meta(string(o, "suite"), o.has("quick") && o.get("quick").getAsBoolean(), string(o, "command"),
                    string(o, "utc"), o.has("seconds") ? o.get("seconds").getAsLong() : -1,
                    o.has("exit_status") ? o.get("exit_status").getAsInt() : 0,
                    machine.has("cpus") ? machine.get("cpus").getAsInt() : -1, string(machine, "cpu_model"),
                    string(machine, "kernel"), machine.has("memory_bytes") ? machine.get("memory_bytes").getAsLong() : -1,
                    string(o, "jdk"), string(o, "load_start"), string(o, "load_end"), List.copyOf(errors));
        } catch (IllegalStateException | UnsupportedOperationException | ClassCastException | NullPointerException e) {
            throw new BadResultsException(file, "not a meta file of scripts/bench: " + e, e);
        }
    }

    /**
     * Writes this record as JSON.
     *
     * @param file where
     * @throws IOException if it cannot be written
     */
    public void write(Path file) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("suite", suite);
        o.addProperty("quick", quick);
        o.addProperty("command", command);
        o.addProperty("utc", utc);
        o.addProperty("seconds", seconds);
        o.addProperty("exit_status", exitStatus);
        JsonObject machine = new JsonObject();
        machine.addProperty("cpus", cpus);
        machine.addProperty("cpu_model", cpuModel);
        machine.addProperty("kernel", kernel);
        machine.addProperty("memory_bytes", memoryBytes);
        o.add("machine", machine);
        o.addProperty("jdk", jdk);
        o.addProperty("load_start", loadStart);
        o.addProperty("load_end", loadEnd);
        JsonArray list = new JsonArray();
        for (BenchError e : errors) {
            JsonObject entry = new JsonObject();
            entry.addProperty("benchmark", e.benchmark());
            entry.addProperty("message", e.message());
            list.add(entry);
        }
        o.add("errors", list);
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o) + "\n",
                StandardCharsets.UTF_8);
    }

    /** {@return the machine in words: CPUs, model, memory, kernel} */
    public String machine() {
        return String.format(Locale.ROOT, "%d CPUs (%s), %s RAM, %s", cpus, cpuModel,
                memoryBytes > 0 ? String.format(Locale.ROOT, "%.0f GiB", memoryBytes / (double) (1L << 30)) : "?", kernel);
    }

    private static String string(JsonObject o, String member) {
        return o.has(member) && !o.get(member).isJsonNull() ? o.get(member).getAsString() : "?";
    }

    private static List<String> readLines(Path log) throws IOException {
        try {
            return List.of(new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\r?\n"));
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    private static String readCpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            return "?";
        }
        return "?";
    }

    private static long readMemTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static String readLoadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).strip().split(" ");
            return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : "?";
        } catch (IOException e) {
            return "?";
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            fail(args[i - 1] + " wants a value");
        }
        return args[i];
    }

    private static void fail(String message) {
        System.err.println("bench meta: " + message);
        System.exit(2);
    }
}
