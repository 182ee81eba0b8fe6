package dev.permafrost.jmh.trace;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@code trace} suite: replays every trace of a folder ({@code ../shared/traces}, searched
 * recursively for {@code *.trace} and {@code *.trace.xz}) at the cache issue's capacities into the
 * overlay of a {@code SharedCache}, Caffeine and an LRU, exactly as {@code scripts/bench trace}
 * does ({@link TraceReplay}), and writes the hit ratios as results in JMH's JSON format: one result
 * per trace, capacity and cache, mode {@code "hit ratio"}, unit {@code ratio}, higher is better,
 * with {@code operation} and {@code subject} fields for the results page.
 *
 * <pre>
 * scripts/bench trace                      # the suite, into jmh/results/trace.json
 * java --enable-native-access=ALL-UNNAMED -cp jmh/target/benchmarks.jar dev.permafrost.jmh.trace.TraceSuite \
 *     --out FILE [--traces DIR] [--quick | --smoke]
 * </pre>
 *
 * <p>Capacities (issue 12): 500, 2,000 and 8,000 entries for the web traces, 5,000, 20,000 and
 * 80,000 for {@code orm-busy}; a trace the issue does not name gets the web capacities. The
 * ratios do not depend on the machine or on run length, so {@code --quick} replays every cell
 * too; {@code --smoke} replays the first 20,000 accesses of each trace at its smallest capacity.
 * Bad input is one line on standard error and exit status 2.
 */
public final class TraceSuite {
    private static final String USAGE = "usage: TraceSuite --out FILE [--traces DIR] [--quick | --smoke]";
    private static final int SMOKE_ACCESSES = 20_000;
    private static final Map<String, int[]> CAPACITIES = Map.of(
            "web07", new int[] {500, 2_000, 8_000},
            "web12", new int[] {500, 2_000, 8_000},
            "orm-busy", new int[] {5_000, 20_000, 80_000});
    private static final int[] OTHER_CAPACITIES = {500, 2_000, 8_000};
    private static final Map<String, String> SUBJECTS = Map.of("permafrost", "Permafrost", "caffeine", "Caffeine", "lru", "LRU");

    private TraceSuite() {
    }

    /**
     * Runs the suite.
     *
     * @param args {@code --out FILE [--traces DIR] [--quick | --smoke]}
     */
    public static void main(String[] args) {
        int status = run(args, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the suite, reporting progress and errors to {@code err}.
     *
     * @param args the command line
     * @param err  where progress and an error go
     * @return the exit status: 0, or 2 for bad input
     */
    static int run(String[] args, PrintStream err) {
        Path out = null;
        Path traces = Path.of("..", "shared", "traces");
        boolean smoke = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out", "--traces" -> {
                    if (i + 1 >= args.length) {
                        err.println("trace suite: " + args[i] + " wants a value; " + USAGE);
                        return 2;
                    }
                    if (args[i].equals("--out")) {
                        out = Path.of(args[++i]);
                    } else {
                        traces = Path.of(args[++i]);
                    }
                }
                case "--quick" -> { } // every cell anyway: hit ratios do not depend on run length
                case "--smoke" -> smoke = true;
                default -> {
                    err.println("trace suite: unknown argument '" + args[i] + "'; " + USAGE);
                    return 2;
                }
            }
        }
        if (out == null) {
            err.println("trace suite: --out is required; " + USAGE);
            return 2;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(traces)) {
            files = walk.filter(Files::isRegularFile).filter(p -> traceName(p) != null).sorted().toList();
        } catch (IOException e) {
            err.println("trace suite: cannot list the traces in " + traces + ": " + e);
            return 2;
        }
        if (files.isEmpty()) {
            err.println("trace suite: no *.trace or *.trace.xz file in " + traces);
            return 2;
        }
        JsonArray results = new JsonArray();
        for (Path file : files) {
            Trace trace;
            try {
                trace = Trace.read(file);
            } catch (Trace.TraceException e) {
                err.println("trace suite: " + e.getMessage());
                return 2;
            }
            String name = traceName(file);
            int[] capacities = CAPACITIES.getOrDefault(name, OTHER_CAPACITIES);
            if (smoke) {
                trace = new Trace(java.util.Arrays.copyOf(trace.keys(), Math.min(SMOKE_ACCESSES, trace.accesses())));
                capacities = new int[] {capacities[0]};
            }
            for (int capacity : capacities) {
                long start = System.nanoTime();
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "trace suite: %s at %,d entries:", name, capacity));
                for (ReplayedCache cache : TraceReplay.caches(capacity)) {
                    double ratio;
                    try (cache) {
                        ratio = TraceReplay.replay(trace, cache);
                    }
                    results.add(result(name, capacity, trace.accesses(), SUBJECTS.getOrDefault(cache.name(), cache.name()), ratio));
                    line.append(String.format(Locale.ROOT, " %s %.2f%%", cache.name(), 100 * ratio));
                }
                err.println(line.append(String.format(Locale.ROOT, " (%.1f s)", (System.nanoTime() - start) / 1e9)));
            }
        }
        try {
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            Files.writeString(out, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(results) + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("trace suite: cannot write " + out + ": " + e);
            return 2;
        }
        return 0;
    }

    /** One result in JMH's JSON format, with the page's operation and subject. */
    private static JsonObject result(String trace, int capacity, int accesses, String subject, double ratio) {
        JsonObject result = new JsonObject();
        result.addProperty("benchmark", TraceSuite.class.getName() + ".hitRatio");
        result.addProperty("mode", "hit ratio");
        result.addProperty("threads", 1);
        result.addProperty("forks", 1);
        result.addProperty("operation", "hit ratio");
        result.addProperty("subject", subject);
        result.addProperty("better", "higher");
        result.addProperty("settings", "one replay of the whole trace per cell and cache (no warm-up: hits are counted, not timed)");
        result.addProperty("accesses", accesses);
        JsonObject params = new JsonObject();
        params.addProperty("trace", trace);
        params.addProperty("capacity", Integer.toString(capacity));
        result.add("params", params);
        JsonObject metric = new JsonObject();
        metric.addProperty("score", ratio);
        metric.addProperty("scoreError", "NaN");
        metric.addProperty("scoreUnit", "ratio");
        JsonArray fork = new JsonArray();
        fork.add(ratio);
        JsonArray raw = new JsonArray();
        raw.add(fork);
        metric.add("rawData", raw);
        result.add("primaryMetric", metric);
        return result;
    }

    /** {@return the trace's name without {@code .trace[.xz]}, or {@code null} if the file is not a trace} */
    static String traceName(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".trace.xz")) {
            return name.substring(0, name.length() - ".trace.xz".length());
        }
        return name.endsWith(".trace") ? name.substring(0, name.length() - ".trace".length()) : null;
    }
}
