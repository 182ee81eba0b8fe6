package dev.permafrost.jmh.fleet;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.permafrost.demo.DemoData;
import dev.permafrost.demo.DemoMain;
import dev.permafrost.jmh.Compared;
import dev.permafrost.jmh.cache.CacheSuite;
import dev.permafrost.jmh.cache.ChildJvm;
import dev.permafrost.jmh.cache.PeerFlags;
import dev.permafrost.jmh.cache.SuiteArgs;
import dev.permafrost.jmh.cache.SuiteResult;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jol.info.GraphLayout;

/**
 * The fleet suite: the demo's scenario ({@code scripts/demo}, {@link DemoMain}) as a table of
 * N = 1, 2, 4 and 8 workers. For each N a child JVM runs the demo itself
 * ({@code DemoMain --objects R --workers N --mode both --json}, with {@code scripts/demo}'s JVM
 * options): the master builds R customer records, its {@code Supervisor} starts N worker JVMs
 * ({@code -Xmx64m}, the supervisor's default) that each look every record up and read its fields,
 * once with the store left mortal (a plain store reached through a root, each record retained and
 * released) and once frozen (a published cache version, each key looked up through
 * {@code SharedCache.getEntry}); the demo checks what each worker read and reports the kernel's
 * account of each worker's mapping of the store file ({@code /proc/PID/smaps}).
 *
 * <p>Results, in MiB, one fork (one fleet) per N: {@value #PSS_FROZEN} and {@value #PSS_MORTAL}
 * (the sum of the workers' {@code Pss} of the store mapping), and {@value #COPIED_FROZEN} and
 * {@value #COPIED_MORTAL} (the sum of the pages the workers copied on write,
 * {@code Anonymous} in smaps). The peer of both memory rows is {@value #HEAP_COPIES}: N times the
 * heap one worker needs to hold the same records as Java objects, measured once in a child JVM of
 * its own: a {@code HashMap} from each record's key ({@link DemoData#key}) to a {@link HeapCustomer}
 * with the same fields (its name a {@code String}, its friend a reference to the previous one),
 * sized by JOL ({@code GraphLayout.parseInstance(map).totalSize()}). That is the live objects
 * only: a real heap also needs room above them for its collector, so the peer's figure is a lower
 * bound.
 *
 * <p>Issue 12's target: a fleet of 4 workers over a frozen cache holds about one copy of it in
 * total (sum of Pss) and each worker copies 0 bytes while it only reads; issue 4's: the frozen
 * workers copy 0 bytes, the mortal ones about every page they touched.
 *
 * <p>Sizes: 1,000,000 records at N = 1, 2, 4, 8 ({@code --quick}: 250,000 records at N = 1, 2,
 * 4; {@code --smoke}: 10,000 records at N = 1); {@code --records R} overrides the count.
 * Run: {@code java --enable-native-access=ALL-UNNAMED -cp jmh/target/benchmarks.jar
 * dev.permafrost.jmh.fleet.FleetSuite --out FILE [--quick|--smoke] [--records R]}.
 */
public final class FleetSuite {
    /** The operation of the fleet's memory for a frozen store. */
    static final String PSS_FROZEN = "store memory of the fleet (sum of Pss), frozen";
    /** The operation of the fleet's memory for a mortal store. */
    static final String PSS_MORTAL = "store memory of the fleet (sum of Pss), mortal";
    /** The operation of the bytes a fleet copied on write of a frozen store. */
    static final String COPIED_FROZEN = "bytes copied on write by the fleet, frozen";
    /** The operation of the bytes a fleet copied on write of a mortal store. */
    static final String COPIED_MORTAL = "bytes copied on write by the fleet, mortal";
    /** The peer: a copy of the records on every worker's heap. */
    static final String HEAP_COPIES = "Java heap copies";
    private static final Duration CHILD_TIMEOUT = Duration.ofMinutes(10);
    private static final double MIB = 1 << 20;
    /** The categories of {@link DemoData}'s customers: the id modulo this. */
    private static final int CATEGORIES = 97;

    /**
     * A customer of the demo as a worker would hold it on its heap: the fields of
     * {@link DemoData.Customer}, the friend a plain reference.
     *
     * @param id       its number
     * @param category one of 97 categories
     * @param score    a score
     * @param name     its name
     * @param friend   the customer built before it, or null
     */
    record HeapCustomer(int id, int category, double score, String name, HeapCustomer friend) {
    }

    private FleetSuite() {
    }

    /**
     * Runs the suite, or (with {@code --child heap-copy R}) measures one heap copy in this JVM.
     *
     * @param args {@code --out FILE [--quick|--smoke] [--records R]}
     */
    public static void main(String[] args) {
        try {
            if (args.length > 0 && args[0].equals("--child")) {
                if (args.length != 3 || !args[1].equals("heap-copy")) {
                    throw new IllegalArgumentException("usage: FleetSuite --child heap-copy RECORDS");
                }
                System.out.println(ChildJvm.resultLine(heapCopy(positive("RECORDS", args[2]))));
                return;
            }
            SuiteArgs suite = SuiteArgs.parse(args);
            int records = suite.pick(1_000_000, 250_000, 10_000);
            List<String> rest = suite.rest();
            if (rest.size() == 2 && rest.getFirst().equals("--records")) {
                records = positive("--records", rest.get(1));
            } else if (!rest.isEmpty()) {
                throw new IllegalArgumentException("unknown argument " + rest.getFirst()
                        + "; usage: FleetSuite --out FILE [--quick|--smoke] [--records R]");
            }
            List<Integer> fleets = suite.pick(List.of(1, 2, 4, 8), List.of(1, 2, 4), List.of(1));
            SuiteResult.write(suite.out(), run(records, fleets));
        } catch (IllegalArgumentException e) {
            System.err.println("fleet suite: " + e.getMessage());
            System.exit(2);
        } catch (RuntimeException e) {
            System.err.println("fleet suite failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private static int positive(String what, String text) {
        try {
            int value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(what + " takes a positive whole number, not " + text);
    }

    private static List<SuiteResult> run(int records, List<Integer> fleets) {
        System.err.printf(Locale.ROOT, "fleet suite: %,d records, fleets of %s workers; load average %s%n", records, fleets,
                CacheSuite.loadAverage());
        List<String> heapOptions = new ArrayList<>(PeerFlags.JOL);
        heapOptions.add("-Xmx" + (128 + records * 1000L / 1_000_000) + "m");
        Map<String, String> heap = ChildJvm.run(heapOptions, FleetSuite.class,
                List.of("--child", "heap-copy", Integer.toString(records)), CHILD_TIMEOUT);
        long heapCopyBytes = Long.parseLong(heap.get("bytes"));
        System.err.printf(Locale.ROOT, "  one heap copy: %.1f MiB (%s)%n", heapCopyBytes / MIB, heap);
        List<SuiteResult> results = new ArrayList<>();
        String suite = FleetSuite.class.getName() + ".";
        for (int workers : fleets) {
            JsonObject demo = runDemo(records, workers);
            Map<String, String> params = new LinkedHashMap<>();
            params.put("workers", Integer.toString(workers));
            params.put("records", Integer.toString(records));
            for (JsonElement element : demo.getAsJsonArray("runs")) {
                JsonObject run = element.getAsJsonObject();
                String mode = run.get("mode").getAsString();
                JsonArray perWorker = run.getAsJsonArray("workers");
                if (perWorker.size() != workers) {
                    throw new IllegalStateException("the demo measured " + perWorker.size() + " of " + workers + " workers");
                }
                long pss = 0;
                long copied = 0;
                for (JsonElement worker : perWorker) {
                    pss += worker.getAsJsonObject().get("pss_bytes").getAsLong();
                    copied += worker.getAsJsonObject().get("copied_bytes").getAsLong();
                }
                boolean frozen = mode.equals("frozen");
                String capitalized = frozen ? "Frozen" : "Mortal";
                results.add(SuiteResult.singleShot(suite + "permafrostPss" + capitalized, params, "MiB", List.of(pss / MIB),
                        frozen ? PSS_FROZEN : PSS_MORTAL, Compared.PERMAFROST));
                results.add(SuiteResult.singleShot(suite + "heapCopies" + capitalized, params, "MiB",
                        List.of(workers * heapCopyBytes / MIB), frozen ? PSS_FROZEN : PSS_MORTAL, HEAP_COPIES));
                results.add(SuiteResult.singleShot(suite + "permafrostCopied" + capitalized, params, "MiB",
                        List.of(copied / MIB), frozen ? COPIED_FROZEN : COPIED_MORTAL, Compared.PERMAFROST));
                System.err.printf(Locale.ROOT, "  %d workers, %-6s: sum of Pss %8.1f MiB, copied %8.1f MiB, store %8.1f MiB;"
                                + " %d heap copies %8.1f MiB%n", workers, mode, pss / MIB, copied / MIB,
                        demo.get("store_bytes").getAsLong() / MIB, workers, workers * heapCopyBytes / MIB);
            }
        }
        System.err.printf(Locale.ROOT, "fleet suite: done; load average %s%n", CacheSuite.loadAverage());
        return results;
    }

    /** Runs {@code scripts/demo}'s main in a child JVM, with its options, and returns its JSON. */
    private static JsonObject runDemo(int records, int workers) {
        List<String> options = List.of("--enable-native-access=ALL-UNNAMED",
                "-Xmx" + (256 + records * 128L / 1_000_000) + "m", "-XX:+UseSerialGC");
        List<String> lines = ChildJvm.output(options, DemoMain.class, List.of("--objects", Integer.toString(records),
                "--workers", Integer.toString(workers), "--mode", "both", "--json"), CHILD_TIMEOUT);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("{")) {
                JsonObject demo = JsonParser.parseString(lines.get(i)).getAsJsonObject();
                if (demo.get("objects").getAsInt() != records || demo.get("workers").getAsInt() != workers
                        || demo.getAsJsonArray("runs").size() != 2) {
                    throw new IllegalStateException("the demo ran something else than asked: " + lines.get(i));
                }
                return demo;
            }
        }
        throw new IllegalStateException("the demo printed no JSON: " + String.join("\n", lines));
    }

    /** Builds the records on this JVM's heap and returns the bytes they take, by JOL and by the heap's growth. */
    private static Map<String, Object> heapCopy(int records) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        Map<String, HeapCustomer> customers = new HashMap<>();
        HeapCustomer previous = null;
        for (int i = 0; i < records; i++) {
            HeapCustomer customer = new HeapCustomer(i, i % CATEGORIES, i * 0.5, "user-" + i + "@permafrost.dev", previous);
            customers.put(DemoData.key(i), customer);
            previous = customer;
        }
        long after = usedAfterGc(memory);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("bytes", GraphLayout.parseInstance(customers).totalSize());
        result.put("heap_growth_bytes", after - before);
        java.lang.ref.Reference.reachabilityFence(customers);
        return result;
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
