package dev.permafrost.jmh.trace;

import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Replays a key trace into the overlay of a {@code SharedCache} (bounded by S3-FIFO, over an
 * empty frozen base), Caffeine and an LRU at the same entry capacity, and prints their hit ratios.
 *
 * <pre>
 * scripts/bench trace --trace ../shared/traces/cache2k/web07.trace.xz --capacity 2000 [--json]
 * </pre>
 *
 * <p>With {@code --json}, one line, exactly
 * {@code {"trace":"web07.trace.xz","capacity":2000,"accesses":76118,"hit_ratio":{"permafrost":x,"caffeine":y,"lru":z}}}
 * ({@code trace} is the file's name; ratios between 0 and 1). Bad input (a missing or unreadable
 * file, an unknown format, a bad capacity or option) is one line on standard error and exit
 * status 2, never a stack trace.
 */
public final class TraceReplay {

    private static final String USAGE = "usage: scripts/bench trace --trace FILE --capacity N [--json]";

    private TraceReplay() {
    }

    /** A replay's result: each cache's name and hit ratio, in the order replayed. */
    private record Ratio(String name, double hitRatio) {
    }

    /**
     * Runs the replay.
     *
     * @param args {@code --trace FILE --capacity N [--json]}
     */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the replay, writing to the given streams.
     *
     * @param args the command line
     * @param out where the ratios go
     * @param err where an error goes, as one line
     * @return the exit status: 0, or 2 for bad input
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String traceArgument = null;
        String capacityArgument = null;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--trace", "--capacity" -> {
                    if (i + 1 >= args.length) {
                        err.println("bench trace: " + args[i] + " wants a value; " + USAGE);
                        return 2;
                    }
                    if (args[i].equals("--trace")) {
                        traceArgument = args[++i];
                    } else {
                        capacityArgument = args[++i];
                    }
                }
                case "--json" -> json = true;
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    err.println("bench trace: unknown argument '" + args[i] + "'; " + USAGE);
                    return 2;
                }
            }
        }
        if (traceArgument == null || capacityArgument == null) {
            err.println("bench trace: " + (traceArgument == null ? "--trace" : "--capacity") + " is required; " + USAGE);
            return 2;
        }
        int capacity = parseCapacity(capacityArgument);
        if (capacity < 1) {
            err.println("bench trace: --capacity wants a whole number of entries from 1 to " + Integer.MAX_VALUE
                    + ", found '" + capacityArgument + "'");
            return 2;
        }
        Path file;
        Trace trace;
        try {
            file = Path.of(traceArgument);
            trace = Trace.read(file);
        } catch (InvalidPathException e) {
            err.println("bench trace: not a file name: '" + traceArgument + "'");
            return 2;
        } catch (Trace.TraceException e) {
            err.println("bench trace: " + e.getMessage());
            return 2;
        }

        List<Ratio> ratios = new ArrayList<>();
        for (ReplayedCache cache : caches(capacity)) {
            try (cache) {
                ratios.add(new Ratio(cache.name(), replay(trace, cache)));
            }
        }
        String name = file.getFileName() == null ? traceArgument : file.getFileName().toString();
        if (json) {
            StringBuilder line = new StringBuilder()
                    .append("{\"trace\":").append(jsonString(name))
                    .append(",\"capacity\":").append(capacity)
                    .append(",\"accesses\":").append(trace.accesses())
                    .append(",\"hit_ratio\":{");
            for (int i = 0; i < ratios.size(); i++) {
                line.append(i == 0 ? "" : ",").append('"').append(ratios.get(i).name()).append("\":")
                        .append(String.format(Locale.ROOT, "%.6f", ratios.get(i).hitRatio()));
            }
            out.println(line.append("}}"));
        } else {
            out.printf(Locale.ROOT, "trace %s, capacity %,d entries, %,d accesses%n", name, capacity, trace.accesses());
            double caffeine = ratios.stream().filter(r -> r.name().equals("caffeine")).findFirst().orElseThrow().hitRatio();
            for (Ratio ratio : ratios) {
                out.printf(Locale.ROOT, "  %-10s  hit ratio %7.3f %%  (%+.2f points against caffeine)%n",
                        ratio.name(), 100 * ratio.hitRatio(), 100 * (ratio.hitRatio() - caffeine));
            }
        }
        return 0;
    }

    /**
     * The caches compared, each empty, in the order of the output.
     *
     * @param capacity the capacity of each, in entries
     * @return the overlay (a {@code SharedCache} over an empty frozen base), Caffeine and an LRU
     */
    static List<ReplayedCache> caches(int capacity) {
        return List.of(
                new OverlayReplayedCache(capacity),
                new CaffeineReplayedCache(capacity),
                new LruReplayedCache(capacity));
    }

    /**
     * Replays a whole trace.
     *
     * @param trace the keys
     * @param cache an empty cache
     * @return hits divided by accesses, between 0 and 1
     */
    static double replay(Trace trace, ReplayedCache cache) {
        long hits = 0;
        for (int key : trace.keys()) {
            if (cache.access(key)) {
                hits++;
            }
        }
        return (double) hits / trace.accesses();
    }

    /** @return the capacity, or -1 if {@code text} is not a decimal number from 1 to {@link Integer#MAX_VALUE} */
    private static int parseCapacity(String text) {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        long value = Long.parseLong(text);
        return value >= 1 && value <= Integer.MAX_VALUE ? (int) value : -1;
    }

    /** @return {@code text} as a JSON string literal */
    private static String jsonString(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
