package dev.permafrost.jmh.startup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.permafrost.cache.CacheEntry;
import dev.permafrost.cache.Codecs;
import dev.permafrost.cache.SharedCache;
import dev.permafrost.jmh.Compared;
import dev.permafrost.jmh.cache.CacheData;
import dev.permafrost.jmh.cache.CacheSuite;
import dev.permafrost.jmh.cache.ChildJvm;
import dev.permafrost.jmh.cache.PeerFlags;
import dev.permafrost.jmh.cache.SuiteArgs;
import dev.permafrost.jmh.cache.SuiteResult;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.openhft.chronicle.map.ChronicleMap;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

/**
 * The start-up suite: a fresh JVM that attaches to a cache of {@link CacheData}'s entries (16-byte
 * ASCII keys, 100-byte values) and serves its first hit, against the same JVM loading the same
 * entries into Caffeine from a file and opening the same data in Chronicle Map and LMDB. Not JMH:
 * every measurement is a new child JVM, which JMH cannot time from the inside.
 *
 * <p>The data is built once per size, each peer's in a child JVM with that peer's flags, into a
 * folder under {@code /tmp} that is deleted at the end:
 * <ul>
 *   <li>Permafrost: a published cache version ({@code CacheWriter}, frozen).</li>
 *   <li>Caffeine: a plain binary file of the entries ({@code int} count, then per entry a
 *       {@code short} key length, the key's UTF-8 bytes, an {@code int} value length, the value),
 *       written with {@code DataOutputStream}.</li>
 *   <li>Chronicle Map: a map persisted to a file ({@code createPersistedTo}, sized for the entries,
 *       closed).</li>
 *   <li>lmdbjava: an environment with one database of the entries, synced and closed.</li>
 * </ul>
 *
 * <p>Then, per size, 5 children of each peer ({@code --quick}: 3; {@code --smoke}: 1) run in
 * turns (one of each peer, then the next round), each a fresh JVM with its peer's flags only
 * ({@link PeerFlags}; Permafrost's children get {@code --enable-native-access=ALL-UNNAMED} alone)
 * and a small heap. A child looks up entry N/2's key, reads one byte of its value and reports two
 * results:
 * <ul>
 *   <li>{@value #OPEN_AND_FIRST_HIT}: {@link System#nanoTime} from just before the open call to
 *       the first hit returned, inside the child. Permafrost: {@code SharedCache.builder(...).open}
 *       then {@code getEntry} (one byte, close). Caffeine: opening the file, reading every entry
 *       into a Caffeine cache ({@code maximumSize} twice the entries), then {@code getIfPresent}:
 *       its first hit comes when all is loaded. Chronicle Map: {@code createPersistedTo} on the
 *       existing file, which opens it (Chronicle's maintainers advise it for opening, and
 *       {@code recoverPersistedTo} only after a crash), then {@code get}. lmdbjava: a read-only
 *       {@code Env} open, a read transaction, the database opened in it, then {@code get}.</li>
 *   <li>{@value #JVM_START_TO_FIRST_HIT}: the wall-clock time from the JVM's start
 *       ({@code RuntimeMXBean.getStartTime()}, which leaves out the launcher's few milliseconds
 *       before the JVM is created) to the first hit: class loading, JIT and everything the child
 *       did before its open included.</li>
 * </ul>
 * Every file was just written, so it is in the page cache: these are warm starts, as a worker
 * restarted on a running host gets; a cold start after a reboot adds the disk's reads.
 *
 * <p>Permafrost runs twice: as is, and with a JDK AOT cache ({@code -XX:AOTCache}, JDK 25's
 * ahead-of-time class loading, linking and profiles), trained once per size by a child that does
 * the same open ({@code -XX:AOTCacheOutput}), as a fleet would train it once per deployment.
 *
 * <p>Sizes: 10^6 and 10^7 entries ({@code --quick}: 10^6; {@code --smoke}: 10^4). Issue 12's
 * target: a reader opens a 10,000,000-entry version and serves its first hit in under 50 ms.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp jmh/target/benchmarks.jar
 * dev.permafrost.jmh.startup.StartupSuite --out FILE [--quick|--smoke]}; results in JMH's JSON
 * format ({@link SuiteResult}), milliseconds, one fork per child.
 */
public final class StartupSuite {
    /** The operation timed inside the child, from the open call to the first hit. */
    static final String OPEN_AND_FIRST_HIT = "open and first hit";
    /** The operation timed from the child JVM's start to its first hit. */
    static final String JVM_START_TO_FIRST_HIT = "JVM start to first hit";
    private static final Duration CHILD_TIMEOUT = Duration.ofMinutes(10);

    /** A peer: its name in results, its subject, its JVM flags. */
    enum Peer {
        PERMAFROST("permafrost", Compared.PERMAFROST, PeerFlags.PERMAFROST),
        /** Permafrost's children with a JDK AOT cache ({@code -XX:AOTCache}) trained once on a child's open. */
        PERMAFROST_AOT("permafrostAotCache", "Permafrost, AOT cache", PeerFlags.PERMAFROST),
        CAFFEINE("caffeine", "Caffeine", PeerFlags.HEAP),
        CHRONICLE_MAP("chronicleMap", "Chronicle Map", PeerFlags.CHRONICLE_MAP),
        LMDBJAVA("lmdbjava", "lmdbjava", PeerFlags.LMDBJAVA);

        final String id;
        final String subject;
        final List<String> flags;

        Peer(String id, String subject, List<String> flags) {
            this.id = id;
            this.subject = subject;
            this.flags = flags;
        }

        static Peer of(String id) {
            for (Peer peer : values()) {
                if (peer.id.equals(id)) {
                    return peer;
                }
            }
            throw new IllegalArgumentException("no peer named " + id);
        }

        /** {@return the heap a child that opens entries needs, in MiB: Caffeine holds them all, twice over for its GC} */
        long openHeapMegabytes(int entries) {
            return this == CAFFEINE ? 64 + entries * 600L / (1 << 20) : 32;
        }

        /** {@return the heap a child that builds the entries needs, in MiB: Permafrost's writer keeps its index on the heap} */
        long buildHeapMegabytes(int entries) {
            return this == PERMAFROST ? 256 + entries * 80L / (1 << 20) : 256;
        }
    }

    private StartupSuite() {
    }

    /**
     * Runs the suite, or (with {@code --child}) one build or one start-up in this JVM.
     *
     * @param args {@code --out FILE [--quick|--smoke]}
     */
    public static void main(String[] args) {
        try {
            if (args.length > 0 && args[0].equals("--child")) {
                if (args.length != 5 || !(args[1].equals("build") || args[1].equals("open"))) {
                    throw new IllegalArgumentException("usage: StartupSuite --child build|open PEER ENTRIES PATH");
                }
                Peer peer = Peer.of(args[2]);
                int entries = Integer.parseInt(args[3]);
                Path path = Path.of(args[4]);
                if (args[1].equals("build")) {
                    build(peer, entries, path);
                    System.out.println(ChildJvm.resultLine(Map.of("built", entries)));
                } else {
                    System.out.println(ChildJvm.resultLine(open(peer, entries, path)));
                }
                return;
            }
            SuiteArgs suite = SuiteArgs.parse(args);
            if (!suite.rest().isEmpty()) {
                throw new IllegalArgumentException("unknown argument " + suite.rest().getFirst()
                        + "; usage: StartupSuite --out FILE [--quick|--smoke]");
            }
            List<Integer> sizes = suite.pick(List.of(1_000_000, 10_000_000), List.of(1_000_000), List.of(10_000));
            int children = suite.pick(5, 3, 1);
            SuiteResult.write(suite.out(), run(sizes, children));
        } catch (IllegalArgumentException e) {
            System.err.println("startup suite: " + e.getMessage());
            System.exit(2);
        } catch (RuntimeException e) {
            System.err.println("startup suite failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private static List<SuiteResult> run(List<Integer> sizes, int children) {
        Path work = CacheData.tempDirectory("permafrost-startup-");
        List<SuiteResult> results = new ArrayList<>();
        try {
            for (int entries : sizes) {
                System.err.printf(Locale.ROOT, "startup suite: %,d entries, %d children per peer; load average %s%n", entries,
                        children, CacheSuite.loadAverage());
                Path sizeDirectory = work.resolve(Integer.toString(entries));
                for (Peer peer : Peer.values()) {
                    if (peer == Peer.PERMAFROST_AOT) {
                        continue; // Permafrost's data; its cache is trained below
                    }
                    long start = System.nanoTime();
                    child(peer, peer.buildHeapMegabytes(entries), "build", entries, dataPath(sizeDirectory, peer));
                    System.err.printf(Locale.ROOT, "  built %s's data in %.1f s%n", peer.subject, (System.nanoTime() - start) / 1e9);
                }
                Path aotCache = sizeDirectory.resolve("permafrost.aot");
                trainAotCache(aotCache, entries, dataPath(sizeDirectory, Peer.PERMAFROST));
                Map<Peer, List<Double>> openMillis = new LinkedHashMap<>();
                Map<Peer, List<Double>> jvmMillis = new LinkedHashMap<>();
                for (int round = 0; round < children; round++) {
                    for (Peer peer : Peer.values()) {
                        Map<String, String> measured = child(peer, peer == Peer.PERMAFROST_AOT ? List.of("-XX:AOTCache=" + aotCache)
                                : List.of(), peer.openHeapMegabytes(entries), "open", entries, dataPath(sizeDirectory, peer));
                        double open = Long.parseLong(measured.get("open_and_first_hit_nanos")) / 1e6;
                        double jvm = Long.parseLong(measured.get("jvm_start_to_first_hit_millis"));
                        openMillis.computeIfAbsent(peer, p -> new ArrayList<>()).add(open);
                        jvmMillis.computeIfAbsent(peer, p -> new ArrayList<>()).add(jvm);
                        System.err.printf(Locale.ROOT, "  round %d %-14s open and first hit %9.1f ms, JVM start to first hit %7.0f ms%n",
                                round + 1, peer.subject, open, jvm);
                    }
                }
                Map<String, String> params = Map.of("entries", Integer.toString(entries));
                for (Peer peer : Peer.values()) {
                    String name = StartupSuite.class.getName() + "." + peer.id;
                    results.add(SuiteResult.singleShot(name + "OpenAndFirstHit", params, "ms", openMillis.get(peer),
                            OPEN_AND_FIRST_HIT, peer.subject));
                    results.add(SuiteResult.singleShot(name + "JvmStartToFirstHit", params, "ms", jvmMillis.get(peer),
                            JVM_START_TO_FIRST_HIT, peer.subject));
                }
                CacheData.deleteTree(sizeDirectory);
            }
        } finally {
            CacheData.deleteTree(work);
        }
        System.err.printf(Locale.ROOT, "startup suite: done; load average %s%n", CacheSuite.loadAverage());
        return results;
    }

    private static Map<String, String> child(Peer peer, long heapMegabytes, String what, int entries, Path path) {
        return child(peer, List.of(), heapMegabytes, what, entries, path);
    }

    /**
     * Trains the JDK's AOT cache (JDK 25: {@code -XX:AOTCacheOutput}, one run) on a Permafrost
     * child's open and first hit: the classes it loads and links and the profiles of what it ran
     * are stored, so a later child started with {@code -XX:AOTCache} starts with them. A worker
     * fleet does the same once per deployment (a training run of a worker).
     */
    private static void trainAotCache(Path aotCache, int entries, Path data) {
        long start = System.nanoTime();
        child(Peer.PERMAFROST, List.of("-XX:AOTCacheOutput=" + aotCache), Peer.PERMAFROST.openHeapMegabytes(entries), "open",
                entries, data);
        System.err.printf(Locale.ROOT, "  trained the AOT cache in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    private static Map<String, String> child(Peer peer, List<String> extraOptions, long heapMegabytes, String what, int entries,
                                             Path path) {
        List<String> options = new ArrayList<>(peer.flags);
        options.addAll(extraOptions);
        options.add("-Xmx" + heapMegabytes + "m");
        return ChildJvm.run(options, StartupSuite.class, List.of("--child", what, peer.id, Integer.toString(entries),
                path.toString()), CHILD_TIMEOUT);
    }

    private static Path dataPath(Path sizeDirectory, Peer peer) {
        return switch (peer) {
            case PERMAFROST, PERMAFROST_AOT -> sizeDirectory.resolve("permafrost");
            case CAFFEINE -> sizeDirectory.resolve("entries.bin");
            case CHRONICLE_MAP -> sizeDirectory.resolve("chronicle-map.dat");
            case LMDBJAVA -> sizeDirectory.resolve("lmdb");
        };
    }

    /** {@return the key every child looks up first} */
    static String firstKey(int entries) {
        return CacheData.key(entries / 2);
    }

    private static void build(Peer peer, int entries, Path path) {
        try {
            Files.createDirectories(path.getParent());
            switch (peer) {
                case PERMAFROST, PERMAFROST_AOT -> CacheData.publishStreaming(path, entries);
                case CAFFEINE -> EntryFile.write(path, entries);
                case CHRONICLE_MAP -> {
                    CacheData.Values values = new CacheData.Values();
                    try (ChronicleMap<String, byte[]> map = CacheSuite.chronicleBuilder(entries).createPersistedTo(path.toFile())) {
                        for (int i = 0; i < entries; i++) {
                            map.put(CacheData.key(i), values.next());
                        }
                        CacheData.check(map.size() == entries, "Chronicle Map holds " + map.size());
                    }
                }
                case LMDBJAVA -> {
                    Files.createDirectories(path);
                    CacheSuite.fillLmdb(path, entries);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build " + peer.subject + "'s data at " + path, e);
        }
    }

    /** In a fresh child JVM: opens the data, serves the first hit, and returns the two times. */
    private static Map<String, Object> open(Peer peer, int entries, Path path) {
        String key = firstKey(entries);
        long start = System.nanoTime();
        byte first = switch (peer) {
            case PERMAFROST, PERMAFROST_AOT -> permafrostFirstHit(path, key);
            case CAFFEINE -> caffeineFirstHit(path, key, entries);
            case CHRONICLE_MAP -> chronicleFirstHit(path, key, entries);
            case LMDBJAVA -> lmdbFirstHit(path, key, entries);
        };
        long hitNanos = System.nanoTime();
        long hitMillis = System.currentTimeMillis();
        long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime(); // after the hit: its classes load afterwards
        CacheData.check(first == valueOf(entries / 2)[0], peer.subject + " returned a wrong value for " + key);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("open_and_first_hit_nanos", hitNanos - start);
        result.put("jvm_start_to_first_hit_millis", hitMillis - jvmStartMillis);
        result.put("byte", first);
        return result;
    }

    /** {@return entry i's value, made again (after the measurement)} */
    private static byte[] valueOf(int i) {
        CacheData.Values values = new CacheData.Values();
        for (int skipped = 0; skipped < i; skipped++) {
            values.next();
        }
        return values.next();
    }

    private static byte permafrostFirstHit(Path directory, String key) {
        SharedCache<String, byte[]> cache = SharedCache.builder(Codecs.string(), Codecs.bytes()).open(directory);
        try (CacheEntry<byte[]> entry = cache.getEntry(key)) {
            CacheData.check(entry != null, "no entry for " + key + " in " + directory);
            return entry.valueBytes().get(ValueLayout.JAVA_BYTE, 0);
        }
    }

    private static byte caffeineFirstHit(Path file, String key, int entries) {
        Cache<String, byte[]> cache = Caffeine.newBuilder().maximumSize(2L * entries).build();
        EntryFile.read(file, cache::put);
        byte[] value = cache.getIfPresent(key);
        CacheData.check(value != null, "no entry for " + key + " in " + file);
        return value[0];
    }

    private static byte chronicleFirstHit(Path file, String key, int entries) {
        try {
            ChronicleMap<String, byte[]> map = CacheSuite.chronicleBuilder(entries).createPersistedTo(file.toFile());
            byte[] value = map.get(key);
            CacheData.check(value != null, "no entry for " + key + " in " + file);
            return value[0];
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    private static byte lmdbFirstHit(Path directory, String key, int entries) {
        Env<ByteBuffer> env = Env.create().setMapSize(CacheSuite.lmdbMapBytes(entries)).setMaxDbs(1)
                .open(directory.toFile(), EnvFlags.MDB_RDONLY_ENV);
        Txn<ByteBuffer> txn = env.txnRead();
        Dbi<ByteBuffer> db = env.openDbi(txn, "cache".getBytes(StandardCharsets.UTF_8), null, false);
        ByteBuffer keyBuffer = ByteBuffer.allocateDirect(CacheData.KEY_BYTES);
        keyBuffer.put(key.getBytes(StandardCharsets.US_ASCII)).flip();
        ByteBuffer value = db.get(txn, keyBuffer);
        CacheData.check(value != null, "no entry for " + key + " in " + directory);
        return value.get(0);
    }

    /**
     * The plain binary file Caffeine's children load: an {@code int} count, then per entry a
     * {@code short} key length, the key's UTF-8 bytes, an {@code int} value length and the value's
     * bytes, big-endian ({@link DataOutputStream}).
     */
    static final class EntryFile {
        /** What receives each entry read. */
        interface Sink {
            void put(String key, byte[] value);
        }

        private EntryFile() {
        }

        static void write(Path file, int entries) throws IOException {
            CacheData.Values values = new CacheData.Values();
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
                out.writeInt(entries);
                for (int i = 0; i < entries; i++) {
                    byte[] key = CacheData.key(i).getBytes(StandardCharsets.UTF_8);
                    byte[] value = values.next();
                    out.writeShort(key.length);
                    out.write(key);
                    out.writeInt(value.length);
                    out.write(value);
                }
            }
        }

        static void read(Path file, Sink sink) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
                int entries = in.readInt();
                for (int i = 0; i < entries; i++) {
                    byte[] key = new byte[in.readUnsignedShort()];
                    in.readFully(key);
                    byte[] value = new byte[in.readInt()];
                    in.readFully(value);
                    sink.put(new String(key, StandardCharsets.UTF_8), value);
                }
                CacheData.check(in.read() == -1, file + " holds more than the " + entries + " entries it announces");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
    }
}
