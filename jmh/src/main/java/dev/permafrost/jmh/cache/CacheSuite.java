package dev.permafrost.jmh.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.permafrost.cache.Codecs;
import dev.permafrost.cache.SharedCache;
import dev.permafrost.jmh.Compared;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import net.openhft.chronicle.map.ChronicleMap;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;
import org.openjdk.jol.info.GraphLayout;

/**
 * The cache suite's part that JMH cannot measure: the memory each map takes per entry, holding
 * {@link CacheData}'s entries (16-byte ASCII keys, 100-byte values; 1,000,000 of them as in issue
 * 12, also with {@code --quick}; 10,000 with {@code --smoke}). Each map is built in a child JVM of
 * its own, with its peer's JVM flags ({@link PeerFlags}), and measured there:
 *
 * <ul>
 *   <li>Permafrost: the size of the published version's file (a {@code CacheWriter}, as a master
 *       builds one), which is all a reader maps.</li>
 *   <li>Chronicle Map: the size of its file ({@code createPersistedTo}, sized for the entries as in
 *       {@link CacheBenchmark}).</li>
 *   <li>lmdbjava: the sizes of the environment's files ({@code data.mdb}, {@code lock.mdb}) after
 *       one write transaction put every entry and the environment was synced and closed.</li>
 *   <li>Caffeine ({@code maximumSize} twice the entries, as in {@link CacheBenchmark}) and
 *       {@code ConcurrentHashMap} (default construction: its table grows as entries come): the
 *       bytes of every object reachable from the map, keys and values included, by JOL's
 *       {@code GraphLayout.parseInstance(map).totalSize()}, less the same of an empty map built the
 *       same way (which leaves out what every cache reaches, such as Caffeine's executor, the common
 *       {@code ForkJoinPool}); the child also prints the used heap's growth over the build (after
 *       full GCs) as a cross-check, which the results leave out.</li>
 * </ul>
 *
 * <p>Two results per map, in bytes per entry ({@code "B/entry"}): {@value #MEMORY_PER_ENTRY} and
 * {@value #MEMORY_BEYOND}, the same less the 116 bytes of key and value ({@link CacheData#KEY_BYTES}
 * plus {@link CacheData#VALUE_BYTES}): for the heap maps that includes the headers of the key's
 * {@code String} and {@code byte[]} and of the value's {@code byte[]}. Issue 12's target: at most 16
 * bytes beyond key and value per frozen entry.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp jmh/target/benchmarks.jar
 * dev.permafrost.jmh.cache.CacheSuite --out FILE [--quick|--smoke]} (the JMH benchmarks of the
 * suite are {@link CacheBenchmark}). Files live in a folder under {@code /tmp}, deleted at the end.
 */
public final class CacheSuite {
    /** The operation of the whole memory a map takes per entry. */
    static final String MEMORY_PER_ENTRY = "memory per entry";
    /** The operation of the memory a map takes per entry beyond the key's and value's bytes. */
    static final String MEMORY_BEYOND = "memory per entry beyond key and value";
    /** The operation of building a frozen version: puts, table, freeze, fsync, publish. */
    static final String BUILD_RATE = "entries built and published per second";
    /** Builds timed per run of the suite, in one child JVM (the first warms the code up as much as the rest). */
    private static final int BUILDS = 3;
    private static final Duration CHILD_TIMEOUT = Duration.ofMinutes(15);

    /** A map measured: its name in results, its subject, its JVM flags. */
    private enum Peer {
        PERMAFROST("permafrost", Compared.PERMAFROST, PeerFlags.PERMAFROST, false),
        CAFFEINE("caffeine", CacheBenchmark.CAFFEINE, PeerFlags.JOL, true),
        CONCURRENT_HASH_MAP("concurrentHashMap", CacheBenchmark.CONCURRENT_HASH_MAP, PeerFlags.JOL, true),
        CHRONICLE_MAP("chronicleMap", CacheBenchmark.CHRONICLE_MAP, PeerFlags.CHRONICLE_MAP, false),
        LMDBJAVA("lmdbjava", CacheBenchmark.LMDBJAVA, PeerFlags.LMDBJAVA, false);

        final String id;
        final String subject;
        final List<String> flags;
        /** Whether the map lives on the heap (and JOL walks it there). */
        final boolean onHeap;

        Peer(String id, String subject, List<String> flags, boolean onHeap) {
            this.id = id;
            this.subject = subject;
            this.flags = flags;
            this.onHeap = onHeap;
        }

        static Peer of(String id) {
            for (Peer peer : values()) {
                if (peer.id.equals(id)) {
                    return peer;
                }
            }
            throw new IllegalArgumentException("no map named " + id);
        }
    }

    private CacheSuite() {
    }

    /**
     * Runs the suite, or (with {@code --child}) one map's measurement in this JVM.
     *
     * @param args {@code --out FILE [--quick|--smoke]}
     */
    public static void main(String[] args) {
        try {
            if (args.length > 0 && args[0].equals("--build-child")) {
                if (args.length != 3) {
                    throw new IllegalArgumentException("usage: CacheSuite --build-child ENTRIES DIRECTORY");
                }
                System.out.println(ChildJvm.resultLine(buildRates(Integer.parseInt(args[1]), Path.of(args[2]))));
                return;
            }
            if (args.length > 0 && args[0].equals("--child")) {
                if (args.length != 4) {
                    throw new IllegalArgumentException("usage: CacheSuite --child MAP ENTRIES DIRECTORY");
                }
                System.out.println(ChildJvm.resultLine(measure(Peer.of(args[1]), Integer.parseInt(args[2]), Path.of(args[3]))));
                return;
            }
            SuiteArgs suite = SuiteArgs.parse(args);
            if (!suite.rest().isEmpty()) {
                throw new IllegalArgumentException("unknown argument " + suite.rest().getFirst()
                        + "; usage: CacheSuite --out FILE [--quick|--smoke]");
            }
            SuiteResult.write(suite.out(), run(suite.pick(CacheData.ENTRIES, CacheData.ENTRIES, 10_000)));
        } catch (IllegalArgumentException e) {
            System.err.println("cache suite: " + e.getMessage());
            System.exit(2);
        } catch (RuntimeException e) {
            System.err.println("cache suite failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private static List<SuiteResult> run(int entries) {
        System.err.printf(Locale.ROOT, "cache suite: memory per entry at %,d entries; load average %s%n", entries, loadAverage());
        Path work = CacheData.tempDirectory("permafrost-cachesuite-");
        List<SuiteResult> results = new ArrayList<>();
        try {
            Map<String, String> params = Map.of("entries", Integer.toString(entries));
            for (Peer peer : Peer.values()) {
                List<String> options = new ArrayList<>(peer.flags);
                // the heap maps hold every entry on the heap, and JOL walks them; the others need little
                long heapMegabytes = peer.onHeap ? 128 + entries * 1500L / 1_000_000 : 256 + entries * 200L / 1_000_000;
                options.add("-Xmx" + heapMegabytes + "m");
                Map<String, String> measured = ChildJvm.run(options, CacheSuite.class,
                        List.of("--child", peer.id, Integer.toString(entries), work.resolve(peer.id).toString()), CHILD_TIMEOUT);
                double perEntry = Double.parseDouble(measured.get("bytes")) / entries;
                System.err.printf(Locale.ROOT, "  %-18s %8.1f B/entry, %6.1f beyond key and value (%s)%n", peer.subject, perEntry,
                        perEntry - payloadBytes(), measured);
                String name = CacheSuite.class.getName() + "." + peer.id;
                results.add(SuiteResult.singleShot(name + "MemoryPerEntry", params, "B/entry", List.of(perEntry),
                        MEMORY_PER_ENTRY, peer.subject));
                results.add(SuiteResult.singleShot(name + "MemoryPerEntryBeyondKeyAndValue", params, "B/entry",
                        List.of(perEntry - payloadBytes()), MEMORY_BEYOND, peer.subject));
                CacheData.deleteTree(work.resolve(peer.id));
            }
            Map<String, String> built = ChildJvm.run(List.of("--enable-native-access=ALL-UNNAMED",
                    "-Xmx" + (256 + entries * 400L / 1_000_000) + "m"), CacheSuite.class,
                    List.of("--build-child", Integer.toString(entries), work.resolve("build").toString()), CHILD_TIMEOUT);
            List<Double> rates = new ArrayList<>();
            for (String rate : built.get("entries_per_second").split(",")) {
                rates.add(Double.parseDouble(rate));
            }
            System.err.printf(Locale.ROOT, "  build: %s entries/s%n", rates);
            results.add(SuiteResult.singleShot(CacheSuite.class.getName() + ".permafrostBuildRate", params, "entries/s", rates,
                    BUILD_RATE, Compared.PERMAFROST));
        } finally {
            CacheData.deleteTree(work);
        }
        System.err.printf(Locale.ROOT, "cache suite: done; load average %s%n", loadAverage());
        return results;
    }

    /**
     * Builds and publishes a version of the entries {@link #BUILDS} times into fresh directories,
     * keys and values made beforehand (what is timed is the writer: puts, table, freeze, fsync,
     * rename), and returns the rates, comma-separated, as {@code entries_per_second}.
     */
    private static Map<String, Object> buildRates(int entries, Path directory) {
        byte[][] values = CacheData.values(entries);
        String[] keys = new String[entries];
        for (int i = 0; i < entries; i++) {
            keys[i] = CacheData.key(i);
        }
        StringBuilder rates = new StringBuilder();
        for (int build = 0; build < BUILDS; build++) {
            Path into = directory.resolve("build-" + build);
            long nanos = CacheFootprint.timedBuild(into, keys, values);
            rates.append(rates.isEmpty() ? "" : ",").append(String.format(Locale.ROOT, "%.0f", entries / (nanos / 1e9)));
            CacheData.deleteTree(into);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("entries_per_second", rates.toString());
        return result;
    }

    /** {@return the bytes of one entry's key and value} */
    static int payloadBytes() {
        return CacheData.KEY_BYTES + CacheData.VALUE_BYTES;
    }

    /**
     * Returns the machine's load averages, for the suites' logs.
     *
     * @return the 1, 5 and 15 minute load averages of {@code /proc/loadavg}, or {@code "unknown"}
     */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Builds one map of the entries in this JVM and returns what it measured: {@code bytes}, the map's whole memory. */
    private static Map<String, Object> measure(Peer peer, int entries, Path directory) {
        Map<String, Object> result = new LinkedHashMap<>();
        switch (peer) {
            case PERMAFROST -> {
                Path file = CacheData.publishStreaming(directory, entries);
                try (SharedCache<String, byte[]> cache = SharedCache.builder(Codecs.string(), Codecs.bytes()).open(directory)) {
                    CacheData.check(cache.estimatedSize() == entries, "the version holds " + cache.estimatedSize());
                }
                result.put("bytes", size(file));
            }
            case CHRONICLE_MAP -> {
                Path file = directory.resolve("map.dat");
                createDirectories(directory);
                CacheData.Values values = new CacheData.Values();
                try (ChronicleMap<String, byte[]> map = chronicleBuilder(entries).createPersistedTo(file.toFile())) {
                    for (int i = 0; i < entries; i++) {
                        map.put(CacheData.key(i), values.next());
                    }
                    CacheData.check(map.size() == entries, "Chronicle Map holds " + map.size());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create " + file, e);
                }
                result.put("bytes", size(file));
            }
            case LMDBJAVA -> {
                createDirectories(directory);
                fillLmdb(directory, entries);
                result.put("bytes", treeSize(directory));
            }
            case CAFFEINE, CONCURRENT_HASH_MAP -> {
                // what an empty map built the same way reaches (Caffeine's executor, the common pool...) is no entry's
                long emptyBytes = GraphLayout.parseInstance(peer == Peer.CAFFEINE ? caffeine(0) : concurrentHashMap(0)).totalSize();
                MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
                long before = usedAfterGc(memory);
                Object map = peer == Peer.CAFFEINE ? caffeine(entries) : concurrentHashMap(entries);
                long after = usedAfterGc(memory);
                result.put("bytes", GraphLayout.parseInstance(map).totalSize() - emptyBytes);
                result.put("empty_map_bytes", emptyBytes);
                result.put("heap_growth_bytes", after - before);
                java.lang.ref.Reference.reachabilityFence(map);
            }
        }
        return result;
    }

    /**
     * The Chronicle Map builder of the entries, as {@link CacheBenchmark} sizes it.
     *
     * @param entries the entry count
     * @return the builder
     */
    public static net.openhft.chronicle.map.ChronicleMapBuilder<String, byte[]> chronicleBuilder(int entries) {
        return ChronicleMap.of(String.class, byte[].class)
                .name("cache-benchmark")
                .entries(entries)
                .averageKey(CacheData.key(0))
                .averageValueSize(CacheData.VALUE_BYTES);
    }

    /**
     * Creates an LMDB environment of the entries in a folder (one database named {@code cache},
     * one write transaction), syncs and closes it.
     *
     * @param directory the folder, existing
     * @param entries   the entry count
     */
    public static void fillLmdb(Path directory, int entries) {
        try (Env<ByteBuffer> env = Env.create().setMapSize(lmdbMapBytes(entries)).setMaxDbs(1)
                .open(directory.toFile(), EnvFlags.MDB_NOSYNC)) {
            Dbi<ByteBuffer> db = env.openDbi("cache", DbiFlags.MDB_CREATE);
            CacheData.Values values = new CacheData.Values();
            ByteBuffer key = ByteBuffer.allocateDirect(CacheData.KEY_BYTES);
            ByteBuffer value = ByteBuffer.allocateDirect(CacheData.VALUE_BYTES);
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                for (int i = 0; i < entries; i++) {
                    key.clear().put(CacheData.keyBytes(i)).flip();
                    value.clear().put(values.next()).flip();
                    db.put(txn, key, value);
                }
                txn.commit();
            }
            env.sync(true);
        }
    }

    /**
     * The map size an LMDB environment of the entries is given: room for them with the B-tree's overhead.
     *
     * @param entries the entry count
     * @return bytes
     */
    public static long lmdbMapBytes(int entries) {
        return (64L << 20) + entries * 400L;
    }

    private static Cache<String, byte[]> caffeine(int entries) {
        Cache<String, byte[]> cache = Caffeine.newBuilder().maximumSize(2L * entries).build();
        CacheData.Values values = new CacheData.Values();
        for (int i = 0; i < entries; i++) {
            cache.put(CacheData.key(i), values.next());
        }
        cache.cleanUp();
        CacheData.check(cache.estimatedSize() == entries, "Caffeine holds " + cache.estimatedSize());
        return cache;
    }

    private static ConcurrentHashMap<String, byte[]> concurrentHashMap(int entries) {
        ConcurrentHashMap<String, byte[]> map = new ConcurrentHashMap<>();
        CacheData.Values values = new CacheData.Values();
        for (int i = 0; i < entries; i++) {
            map.put(CacheData.key(i), values.next());
        }
        CacheData.check(map.size() == entries, "the map holds " + map.size());
        return map;
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file, e);
        }
    }

    private static long treeSize(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(CacheSuite::size).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }
}
