package dev.permafrost.demo;

import dev.permafrost.fleet.FleetMemory;
import dev.permafrost.fleet.Supervisor;
import dev.permafrost.fleet.WorkerHandle;
import dev.permafrost.fleet.WorkerMemory;
import dev.permafrost.fleet.WorkerState;
import dev.permafrost.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code scripts/demo}: a master builds a store of records, then runs a fleet of workers that
 * each touch every object, once with the store left mortal and once frozen, and prints what
 * the kernel says every worker holds and copied.
 *
 * <p>The frozen run is a cache: the master puts every record into a {@code CacheWriter} (key:
 * the id as a string) and publishes it, and each worker opens it with {@code SharedCache} and
 * looks every key up through it ({@code getEntry}, fields read in place, close); the table shows
 * each worker's cache hits. The mortal run builds the same records into a plain store left
 * unfrozen, reached through a root, because a published cache version is always frozen: its
 * point is what retain and release cost when they write counts, which a cache never does.
 *
 * <p>Options (other tools rely on them): {@code --objects N} (default 1000000),
 * {@code --workers W} (default 4), {@code --mode mortal|frozen|both} (default both),
 * {@code --json} (one JSON object on stdout, nothing else), {@code --keep FILE} (build the
 * store there and keep it; the frozen run's cache directory is {@code FILE.cache}, and FILE a
 * symbolic link to its version file), {@code --hold} (after the last run leave its workers alive, print
 * {@code READY <pids>} and stop them when standard input closes).
 *
 * <p>Exit status: 0 on success, 1 when a run fails, 2 for bad options.
 */
public final class DemoMain {
    private static final Duration WORKER_TIMEOUT = Duration.ofMinutes(2);

    private int objects = 1_000_000;
    private int workers = 4;
    private List<String> modes = List.of("mortal", "frozen");
    private boolean json;
    private Path keep;
    private boolean hold;

    private DemoMain() {
    }

    private static final String USAGE =
            "usage: scripts/demo [--objects N] [--workers W] [--mode mortal|frozen|both] [--json] [--keep FILE] [--hold]";

    /**
     * Runs the demo.
     *
     * @param args the options above
     */
    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(USAGE);
            System.out.println("  --objects N   records to build (default 1000000)");
            System.out.println("  --workers W   worker JVMs (default 4)");
            System.out.println("  --mode M      mortal, frozen or both (default both)");
            System.out.println("  --json        one JSON object on stdout, nothing else");
            System.out.println("  --keep FILE   build the store at FILE and keep it (frozen: the cache directory is FILE.cache,");
            System.out.println("                FILE a symbolic link to its version file)");
            System.out.println("  --hold        leave the last run's workers alive, print READY <pids>, stop them when stdin closes");
            System.out.println();
            System.out.println("frozen: the records are a shared cache: built through a CacheWriter (key: the id as a string),");
            System.out.println("published (always frozen), and looked up key by key by every worker through SharedCache.getEntry;");
            System.out.println("'cache hits' counts each worker's hits. mortal: a published cache is always frozen, so the mortal");
            System.out.println("run builds the same records into a plain store left unfrozen and reads them through a root,");
            System.out.println("retaining and releasing each: what counts that are written cost (cache hits: -).");
            System.exit(0);
        }
        DemoMain demo = new DemoMain();
        try {
            demo.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("demo: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
        try {
            demo.run();
        } catch (Exception e) {
            System.err.println("demo failed: " + e.getMessage());
            if (System.getenv("PERMAFROST_DEBUG") != null) {
                e.printStackTrace();
            }
            System.exit(1);
        }
        System.exit(0);
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--objects" -> objects = positive(option, value(args, ++i, option));
                case "--workers" -> workers = positive(option, value(args, ++i, option));
                case "--mode" -> modes = switch (value(args, ++i, option)) {
                    case "mortal" -> List.of("mortal");
                    case "frozen" -> List.of("frozen");
                    case "both" -> List.of("mortal", "frozen");
                    default -> throw new IllegalArgumentException("--mode takes mortal, frozen or both, not " + args[i]);
                };
                case "--json" -> json = true;
                case "--keep" -> keep = Path.of(value(args, ++i, option)).toAbsolutePath();
                case "--hold" -> hold = true;
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String option, String text) {
        try {
            int value = Integer.parseInt(text.replace("_", "").replace(",", ""));
            if (value < 1) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a positive whole number, not " + text);
        }
    }

    /** One run's results, per worker. */
    private record Row(long pid, long copiedBytes, long pssBytes, long rssBytes, double attachMillis, double coldOpenMillis,
                       long cacheHits) {
    }

    /** No cache: the worker read a plain store. */
    private static final long NO_CACHE = -1;

    private void run() throws Exception {
        PrintStream out = System.out;
        Path tempDir = keep == null ? Files.createTempDirectory("permafrost-demo") : null;
        Path path = keep != null ? keep : tempDir.resolve("demo.pf");
        Path cacheDirectory = keep != null ? keep.resolveSibling(keep.getFileName() + ".cache") : tempDir.resolve("cache");
        StringBuilder runsJson = new StringBuilder();
        long storeBytes = 0;
        Supervisor held = null;
        try {
            if (!json) {
                out.printf(Locale.ROOT, "Permafrost demo: %,d objects (records with an inline string and a reference,"
                        + " reachable from a root), %d workers%n", objects, workers);
            }
            for (int run = 0; run < modes.size(); run++) {
                String mode = modes.get(run);
                boolean last = run == modes.size() - 1;
                Files.deleteIfExists(path);
                long start = System.nanoTime();
                DemoData.Built built;
                Path storePath = path;
                List<String> workerArgs = List.of();
                if (mode.equals("frozen")) { // a cache version: always frozen
                    deleteDirectory(cacheDirectory);
                    DemoData.BuiltCache cache = DemoData.buildCache(cacheDirectory, objects);
                    built = cache.built();
                    storePath = cache.versionFile();
                    workerArgs = List.of("cache", cacheDirectory.toString(), Integer.toString(objects));
                    if (keep != null) {
                        Files.createSymbolicLink(path, storePath);
                    }
                } else {
                    try (Store store = Store.create(path, DemoData.capacityBytes(objects))) {
                        built = DemoData.build(store, objects);
                    }
                }
                storeBytes = built.usedBytes();
                double buildMillis = (System.nanoTime() - start) / 1e6;
                Supervisor fleet = Supervisor.builder(storePath, DemoWorker.class).workers(workers)
                        .workerArgs(workerArgs).maxRestarts(0).start();
                try {
                    List<Row> rows = measure(fleet, built);
                    if (json) {
                        appendJson(runsJson, mode, rows);
                    } else {
                        printTable(out, mode, built, buildMillis, rows);
                    }
                    if (last && hold) {
                        held = fleet;
                    }
                } finally {
                    if (held != fleet) {
                        fleet.stop();
                    }
                }
            }
            if (json) {
                out.printf(Locale.ROOT, "{\"objects\":%d,\"workers\":%d,\"store_bytes\":%d,\"runs\":[%s]}%n",
                        objects, workers, storeBytes, runsJson);
            }
            if (held != null) {
                StringBuilder ready = new StringBuilder("READY");
                held.workers().forEach(w -> ready.append(' ').append(w.pid()));
                out.println(ready);
                out.flush();
                drain(System.in);
            }
        } finally {
            if (held != null) {
                held.stop();
            }
            if (tempDir != null) {
                Files.deleteIfExists(path);
                deleteDirectory(cacheDirectory);
                Files.deleteIfExists(tempDir);
            }
        }
    }

    /** Waits for every worker to touch every object, checks what it read, then reads /proc. */
    private List<Row> measure(Supervisor fleet, DemoData.Built built) throws Exception {
        long[] attachNanos = new long[workers];
        long[] coldOpenNanos = new long[workers];
        long[] cacheHits = new long[workers];
        for (WorkerHandle worker : fleet.workers()) {
            Optional<String> message = awaitMessage(worker);
            if (message.isEmpty() || !message.get().startsWith("touched ")) {
                throw new IllegalStateException("worker " + worker.index() + " did not report within " + WORKER_TIMEOUT
                        + " (" + worker + ", got " + message.orElse("nothing") + ")");
            }
            String[] parts = message.get().split(" ");
            // the open, as the worker process reported it when it attached, then the first lookup
            attachNanos[worker.index()] = worker.openNanos() + Long.parseLong(parts[1]);
            coldOpenNanos[worker.index()] = worker.coldOpenNanos();
            int read = Integer.parseInt(parts[2]);
            long checksum = Long.parseLong(parts[3]);
            cacheHits[worker.index()] = parts.length > 4 && !parts[4].equals("-") ? Long.parseLong(parts[4]) : NO_CACHE;
            if (cacheHits[worker.index()] != NO_CACHE && cacheHits[worker.index()] != built.objects()) {
                throw new IllegalStateException("worker " + worker.index() + " had " + cacheHits[worker.index()]
                        + " cache hits looking up " + built.objects() + " keys");
            }
            if (read != built.objects() || checksum != built.checksum()) {
                throw new IllegalStateException("worker " + worker.index() + " read " + read + " objects with checksum "
                        + checksum + "; expected " + built.objects() + " with " + built.checksum());
            }
            if (worker.state() != WorkerState.RUNNING) {
                throw new IllegalStateException("worker " + worker.index() + " is " + worker.state());
            }
        }
        FleetMemory memory = fleet.memory();
        if (memory.workers().size() != workers) {
            throw new IllegalStateException("only " + memory.workers().size() + " of " + workers + " workers could be measured");
        }
        List<Row> rows = new ArrayList<>();
        for (WorkerMemory worker : memory.workers()) {
            rows.add(new Row(worker.pid(), worker.copiedBytes(), worker.mapping().pssBytes(), worker.mapping().rssBytes(),
                    attachNanos[worker.index()] / 1e6, coldOpenNanos[worker.index()] / 1e6, cacheHits[worker.index()]));
        }
        return rows;
    }

    /** The worker's next line; gives up early when the worker exits (the demo restarts none). */
    private static Optional<String> awaitMessage(WorkerHandle worker) throws InterruptedException {
        long deadline = System.nanoTime() + WORKER_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> message = worker.nextMessage(Duration.ofMillis(200));
            if (message.isPresent()) {
                return message;
            }
            WorkerState state = worker.state();
            if (state == WorkerState.FAILED || state == WorkerState.FINISHED) {
                throw new IllegalStateException("worker " + worker.index() + " exited (" + worker + ", exit statuses "
                        + worker.exitStatuses() + ") before touching every object");
            }
        }
        return Optional.empty();
    }

    private void printTable(PrintStream out, String mode, DemoData.Built built, double buildMillis, List<Row> rows) {
        out.println();
        if (mode.equals("frozen")) {
            out.printf(Locale.ROOT, "frozen: every object immortal; retain and release write nothing (store %s, built and frozen in %.0f ms)%n",
                    size(built.usedBytes()), buildMillis);
            out.printf(Locale.ROOT, "  the records are a cache version, published through a CacheWriter; workers look every key up"
                    + " with SharedCache.getEntry%n");
        } else {
            out.printf(Locale.ROOT, "mortal: not frozen; every retain and release writes a count (store %s, built in %.0f ms)%n",
                    size(built.usedBytes()), buildMillis);
        }
        out.printf(Locale.ROOT, "  %-6s %8s %11s %11s %11s %10s %16s %12s%n", "worker", "pid", "copied", "Pss", "Rss", "attach",
                "1st open in JVM", "cache hits");
        long copied = 0;
        long pss = 0;
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            out.printf(Locale.ROOT, "  %-6d %8d %11s %11s %11s %7.1f ms %13.0f ms %12s%n", i, row.pid(), size(row.copiedBytes()),
                    size(row.pssBytes()), size(row.rssBytes()), row.attachMillis(), row.coldOpenMillis(),
                    row.cacheHits() == NO_CACHE ? "-" : String.format(Locale.ROOT, "%,d", row.cacheHits()));
            copied += row.copiedBytes();
            pss += row.pssBytes();
        }
        long separate = (long) rows.size() * built.usedBytes();
        out.printf(Locale.ROOT, "  fleet: %s of memory for the store (sum of Pss), %s copied; %d separate copies would take %s%n",
                size(pss), size(copied), rows.size(), size(separate));
    }

    private static void appendJson(StringBuilder json, String mode, List<Row> rows) {
        if (!json.isEmpty()) {
            json.append(',');
        }
        json.append("{\"mode\":\"").append(mode).append("\",\"workers\":[");
        long total = 0;
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"pid\":%d,\"copied_bytes\":%d,\"pss_bytes\":%d,\"rss_bytes\":%d,\"attach_ms\":%.3f,\"cache_hits\":%s}",
                    row.pid(), row.copiedBytes(), row.pssBytes(), row.rssBytes(), row.attachMillis(),
                    row.cacheHits() == NO_CACHE ? "null" : Long.toString(row.cacheHits())));
            total += row.copiedBytes();
        }
        json.append("],\"copied_bytes_total\":").append(total).append('}');
    }

    /** Deletes a cache directory the demo made: its version files and CURRENT; nothing if absent. */
    private static void deleteDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(directory);
    }

    private static String size(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[256];
        while (in.read(buffer) >= 0) {
            // held until standard input closes
        }
    }
}
