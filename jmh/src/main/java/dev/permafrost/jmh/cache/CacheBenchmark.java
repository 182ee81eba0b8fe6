package dev.permafrost.jmh.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.permafrost.cache.CacheEntry;
import dev.permafrost.cache.Codecs;
import dev.permafrost.cache.SharedCache;
import dev.permafrost.jmh.Compared;
import dev.permafrost.jmh.Report;
import dev.permafrost.jmh.ThreadCpu;
import java.io.File;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.openhft.chronicle.map.ChronicleMap;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The shared cache's lookups against Caffeine, {@link ConcurrentHashMap}, Chronicle Map and
 * lmdbjava, on issue 12's data ({@link CacheData}: 1,000,000 entries, 16-byte ASCII string keys,
 * 100-byte {@code byte[]} values), each with one thread and with two threads on the same map.
 * Every operation looks up the next key of a per-thread array of random entry numbers made at
 * set-up (no random number generator in the measured code) and reads one byte of the value,
 * which it returns (so JMH's blackhole consumes it).
 *
 * <ul>
 *   <li>{@code frozenGetEntryHit}: {@link SharedCache#getEntry} of a frozen entry, one byte of
 *       {@link CacheEntry#valueBytes()}, close.</li>
 *   <li>{@code frozenGetIfPresentHit}: {@link SharedCache#getIfPresent}, a heap copy of the value.</li>
 *   <li>{@code frozenGetEntryMiss}: {@code getEntry} of a key that is not there.</li>
 *   <li>{@code overlayGetEntryHit}: {@code getEntry} of an entry put into the overlay at set-up
 *       (all 1,000,000 of them, with {@code maximumSize} 2,000,000).</li>
 *   <li>{@code caffeineGetIfPresentHit}, {@code caffeineGetIfPresentMiss}: Caffeine 3's
 *       {@code getIfPresent} ({@code maximumSize} 2,000,000), the baseline of issue 12's ratios.</li>
 *   <li>{@code concurrentHashMapGetHit}, {@code concurrentHashMapGetMiss}: {@code ConcurrentHashMap.get}
 *       of a present and of an absent key.</li>
 *   <li>{@code chronicleMapGetHit}: Chronicle Map's {@code get} (persisted to a file, sized for the
 *       entries), which copies the value into a new {@code byte[]}; its forks get the JVM flags
 *       Chronicle documents for JDK 17 and later.</li>
 *   <li>{@code lmdbGetHit}: lmdbjava's zero-copy {@code Dbi.get} in a read transaction that each
 *       thread keeps and renews per lookup ({@code reset}/{@code renew}, as lmdbjava recommends
 *       for many short reads), keys from direct buffers; its forks get lmdbjava's flags.</li>
 * </ul>
 *
 * <p>Targets (issue 12): {@code frozenGetEntryHit} at most 1.2× {@code caffeineGetIfPresentHit};
 * {@code frozenGetIfPresentHit} at most 1.5×; {@code frozenGetEntryMiss} at most 1.2×
 * {@code caffeineGetIfPresentMiss}; {@code overlayGetEntryHit} at most 2×; {@code frozenGetEntryHit}
 * a third of {@code chronicleMapGetHit} and below {@code lmdbGetHit}; two threads of
 * {@code frozenGetEntryHit} at least 1.8× one thread's throughput. {@link Report} prints them.
 *
 * <p>Each method's {@link Compared} puts it in a row of the cache suite's table: {@value #HIT}
 * (Permafrost's {@code frozenGetEntryHit} beside Caffeine's, {@code ConcurrentHashMap}'s, Chronicle
 * Map's and lmdbjava's hits), {@value #MISS} (Permafrost, Caffeine, {@code ConcurrentHashMap}),
 * {@value #HIT_HEAP_COPY} and {@value #OVERLAY_HIT} (Permafrost alone: their targets compare them
 * with Caffeine's hit), each at one and at two threads. The memory each of them takes per entry is
 * not a JMH score: {@link CacheSuite} measures it.
 *
 * <p>Run them (the command behind {@code docs/benchmarks.md}):
 * {@code scripts/bench CacheBenchmark -f 2 -wi 3 -i 4}; one of them:
 * {@code scripts/bench 'CacheBenchmark.frozenGetEntryHit$'}. Scores are nanoseconds per operation
 * per thread. Each fork builds only the maps its benchmark uses (a version of 1,000,000 entries in
 * a folder under {@code /tmp}, deleted at tear-down; Caffeine's heap copy; ...), which takes a few
 * seconds before the first warm-up iteration.
 *
 * <p>State: one {@code Scope.Benchmark} instance of each map per fork, so the two-thread
 * variants share it; key order and lmdbjava's read transaction are per thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
// the store calls mmap and friends through FFM and runs from the class path: no --add-opens
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx3g"})
public class CacheBenchmark {
    /** The operation of a present key looked up, one byte of its value read (Permafrost: a frozen entry through {@code getEntry}). */
    static final String HIT = "hit";
    /** The operation of a frozen hit through {@code getIfPresent}: a heap copy of the value. */
    static final String HIT_HEAP_COPY = "hit, heap copy of the value";
    /** The operation of an absent key looked up. */
    static final String MISS = "miss";
    /** The operation of a hit on an entry of this worker's overlay. */
    static final String OVERLAY_HIT = "hit in the overlay";
    /** Caffeine 3, the subject. */
    static final String CAFFEINE = "Caffeine";
    /** {@link ConcurrentHashMap}, the subject. */
    static final String CONCURRENT_HASH_MAP = "ConcurrentHashMap";
    /** Chronicle Map, the subject. */
    static final String CHRONICLE_MAP = "Chronicle Map";
    /** lmdbjava, the subject. */
    static final String LMDBJAVA = "lmdbjava";

    /** Lookups per thread before the random order repeats: a power of two. */
    private static final int ORDER_LENGTH = 1 << 20;

    /** Creates the benchmarks; JMH calls them. */
    public CacheBenchmark() {
    }

    /** Lookup keys: equal to the stored ones, other instances. */
    @State(Scope.Benchmark)
    public static class Keys {
        /** Hit key i is entry i's key. */
        String[] hits;
        /** Keys never stored. */
        String[] misses;

        /** Creates the state; JMH calls {@link #setUp}. */
        public Keys() {
        }

        /** Makes the keys. */
        @Setup(Level.Trial)
        public void setUp() {
            hits = new String[CacheData.ENTRIES];
            misses = new String[CacheData.ENTRIES];
            for (int i = 0; i < CacheData.ENTRIES; i++) {
                hits[i] = CacheData.key(i);
                misses[i] = CacheData.missKey(i);
            }
        }
    }

    /** Entry i's key bytes in a direct buffer of its own (a slice of one slab), for lmdbjava. */
    @State(Scope.Benchmark)
    public static class DirectKeys {
        ByteBuffer[] hits;

        /** Creates the state; JMH calls {@link #setUp}. */
        public DirectKeys() {
        }

        /** Makes the buffers. */
        @Setup(Level.Trial)
        public void setUp() {
            hits = new ByteBuffer[CacheData.ENTRIES];
            ByteBuffer slab = ByteBuffer.allocateDirect(CacheData.ENTRIES * CacheData.KEY_BYTES);
            for (int i = 0; i < CacheData.ENTRIES; i++) {
                slab.put(CacheData.keyBytes(i));
                hits[i] = slab.slice(i * CacheData.KEY_BYTES, CacheData.KEY_BYTES);
            }
        }
    }

    /** This thread's random order of entry numbers, started at a point of its own. */
    @State(Scope.Thread)
    public static class Order {
        private static final AtomicInteger THREADS = new AtomicInteger();
        private int[] order;
        private int next;

        /** Creates the state; JMH calls {@link #setUp}. */
        public Order() {
        }

        /** Draws the order, one seed per thread. */
        @Setup(Level.Trial)
        public void setUp() {
            order = CacheData.randomIndices(ORDER_LENGTH, CacheData.ENTRIES, 42 + THREADS.getAndIncrement());
        }

        /** {@return the next entry number} */
        int next() {
            return order[next++ & (ORDER_LENGTH - 1)];
        }
    }

    /** A published version of the entries, open as a worker opens it. */
    @State(Scope.Benchmark)
    public static class Frozen {
        Path directory;
        SharedCache<String, byte[]> cache;

        /** Creates the state; JMH calls {@link #setUp}. */
        public Frozen() {
        }

        /** Writes and publishes the version, opens it. */
        @Setup(Level.Trial)
        public void setUp() {
            directory = CacheData.tempDirectory("permafrost-cachebench-");
            CacheData.publish(directory, CacheData.ENTRIES);
            cache = SharedCache.builder(Codecs.string(), Codecs.bytes()).open(directory);
            CacheData.check(cache.estimatedSize() == CacheData.ENTRIES, "the version has " + cache.estimatedSize() + " entries");
        }

        /** Closes the cache, deletes the folder. */
        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                if (cache != null) {
                    cache.close();
                }
            } finally {
                CacheData.deleteTree(directory);
            }
        }
    }

    /** A cache over the same version with every entry also put into its overlay. */
    @State(Scope.Benchmark)
    public static class Overlay {
        Path directory;
        SharedCache<String, byte[]> cache;

        /** Creates the state; JMH calls {@link #setUp}. */
        public Overlay() {
        }

        /** Publishes the version, opens it, puts every entry into the overlay. */
        @Setup(Level.Trial)
        public void setUp() {
            directory = CacheData.tempDirectory("permafrost-cachebench-");
            byte[][] values = CacheData.publish(directory, CacheData.ENTRIES);
            cache = SharedCache.builder(Codecs.string(), Codecs.bytes()).maximumSize(2L * CacheData.ENTRIES).open(directory);
            for (int i = 0; i < CacheData.ENTRIES; i++) {
                cache.put(CacheData.key(i), values[i]);
            }
            try (CacheEntry<byte[]> entry = cache.getEntry(CacheData.key(7))) {
                CacheData.check(entry != null && entry.isOverlay(), "key 7 is not an overlay entry");
            }
        }

        /** Closes the cache, deletes the folder. */
        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                if (cache != null) {
                    cache.close();
                }
            } finally {
                CacheData.deleteTree(directory);
            }
        }
    }

    /** Caffeine holding the same keys and values, bounded above the entry count. */
    @State(Scope.Benchmark)
    public static class CaffeineMap {
        Cache<String, byte[]> cache;

        /** Creates the state; JMH calls {@link #setUp}. */
        public CaffeineMap() {
        }

        /** Fills it. */
        @Setup(Level.Trial)
        public void setUp() {
            cache = Caffeine.newBuilder().maximumSize(2L * CacheData.ENTRIES).build();
            byte[][] values = CacheData.values(CacheData.ENTRIES);
            for (int i = 0; i < CacheData.ENTRIES; i++) {
                cache.put(CacheData.key(i), values[i]);
            }
            cache.cleanUp();
            CacheData.check(cache.estimatedSize() == CacheData.ENTRIES, "Caffeine holds " + cache.estimatedSize());
        }
    }

    /** A {@code ConcurrentHashMap} holding the same keys and values. */
    @State(Scope.Benchmark)
    public static class HashMapBaseline {
        ConcurrentHashMap<String, byte[]> map;

        /** Creates the state; JMH calls {@link #setUp}. */
        public HashMapBaseline() {
        }

        /** Fills it. */
        @Setup(Level.Trial)
        public void setUp() {
            map = new ConcurrentHashMap<>(2 * CacheData.ENTRIES);
            byte[][] values = CacheData.values(CacheData.ENTRIES);
            for (int i = 0; i < CacheData.ENTRIES; i++) {
                map.put(CacheData.key(i), values[i]);
            }
        }
    }

    /** A Chronicle Map persisted to a file under {@code /tmp}, sized for the entries. */
    @State(Scope.Benchmark)
    public static class Chronicle {
        Path directory;
        ChronicleMap<String, byte[]> map;

        /** Creates the state; JMH calls {@link #setUp}. */
        public Chronicle() {
        }

        /**
         * Creates and fills the map.
         *
         * @throws IOException if the file cannot be created
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException {
            directory = CacheData.tempDirectory("chronicle-cachebench-");
            map = ChronicleMap.of(String.class, byte[].class)
                    .name("cache-benchmark")
                    .entries(CacheData.ENTRIES)
                    .averageKey(CacheData.key(0))
                    .averageValueSize(CacheData.VALUE_BYTES)
                    .createPersistedTo(directory.resolve("map.dat").toFile());
            byte[][] values = CacheData.values(CacheData.ENTRIES);
            for (int i = 0; i < CacheData.ENTRIES; i++) {
                map.put(CacheData.key(i), values[i]);
            }
            CacheData.check(map.size() == CacheData.ENTRIES, "Chronicle Map holds " + map.size());
        }

        /** Closes the map, deletes its file. */
        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                if (map != null) {
                    map.close();
                }
            } finally {
                CacheData.deleteTree(directory);
            }
        }
    }

    /** An LMDB environment under {@code /tmp} with one database of the entries. */
    @State(Scope.Benchmark)
    public static class Lmdb {
        Path directory;
        Env<ByteBuffer> env;
        Dbi<ByteBuffer> db;
        /** The threads' read transactions: closed here, before the environment (JMH tears this state down first). */
        final Queue<Txn<ByteBuffer>> readers = new ConcurrentLinkedQueue<>();

        /** Creates the state; JMH calls {@link #setUp}. */
        public Lmdb() {
        }

        /** Creates and fills the database, in one write transaction. */
        @Setup(Level.Trial)
        public void setUp() {
            directory = CacheData.tempDirectory("lmdb-cachebench-");
            File dir = directory.toFile();
            env = Env.create().setMapSize(1L << 30).setMaxDbs(1).setMaxReaders(16)
                    .open(dir, EnvFlags.MDB_NOSYNC, EnvFlags.MDB_NORDAHEAD);
            db = env.openDbi("cache", DbiFlags.MDB_CREATE);
            byte[][] values = CacheData.values(CacheData.ENTRIES);
            ByteBuffer key = ByteBuffer.allocateDirect(CacheData.KEY_BYTES);
            ByteBuffer value = ByteBuffer.allocateDirect(CacheData.VALUE_BYTES);
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                for (int i = 0; i < CacheData.ENTRIES; i++) {
                    key.clear().put(CacheData.keyBytes(i)).flip();
                    value.clear().put(values[i]).flip();
                    db.put(txn, key, value);
                }
                txn.commit();
            }
            env.sync(true);
        }

        /** Closes the read transactions and the environment, deletes its files. */
        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                for (Txn<ByteBuffer> txn; (txn = readers.poll()) != null; ) {
                    txn.close();
                }
                if (env != null) {
                    env.close();
                }
            } finally {
                CacheData.deleteTree(directory);
            }
        }
    }

    /** This thread's LMDB read transaction: reset between lookups, renewed for each; {@link Lmdb} closes it. */
    @State(Scope.Thread)
    public static class LmdbReader {
        Txn<ByteBuffer> txn;

        /** Creates the state; JMH calls {@link #setUp}. */
        public LmdbReader() {
        }

        /**
         * Opens the transaction and resets it.
         *
         * @param lmdb the environment
         */
        @Setup(Level.Trial)
        public void setUp(Lmdb lmdb) {
            txn = lmdb.env.txnRead();
            txn.reset();
            lmdb.readers.add(txn);
        }
    }

    private static byte frozenGetEntryHit0(Frozen frozen, Keys keys, Order order) {
        try (CacheEntry<byte[]> entry = frozen.cache.getEntry(keys.hits[order.next()])) {
            return entry.valueBytes().get(ValueLayout.JAVA_BYTE, 0);
        }
    }

    /**
     * A frozen hit: {@code getEntry}, one byte of {@code valueBytes()}, close. One thread.
     * Run: {@code scripts/bench 'CacheBenchmark.frozenGetEntryHit$'}.
     *
     * @param frozen the version
     * @param keys   the lookup keys
     * @param order  this thread's key order
     * @param cpu    this thread's CPU time, for {@link Report}
     * @return the byte read
     */
    @Compared(operation = HIT, subject = Compared.PERMAFROST)
    @Benchmark
    @Threads(1)
    public byte frozenGetEntryHit(Frozen frozen, Keys keys, Order order, ThreadCpu cpu) {
        return frozenGetEntryHit0(frozen, keys, order);
    }

    /**
     * {@link #frozenGetEntryHit} with two threads on the same cache: the lookup writes nothing
     * shared, so it scales. Run: {@code scripts/bench 'CacheBenchmark.frozenGetEntryHitTwoThreads'}.
     *
     * @param frozen the version
     * @param keys   the lookup keys
     * @param order  this thread's key order
     * @param cpu    this thread's CPU time, for {@link Report}
     * @return the byte read
     */
    @Compared(operation = HIT, subject = Compared.PERMAFROST)
    @Benchmark
    @Threads(2)
    public byte frozenGetEntryHitTwoThreads(Frozen frozen, Keys keys, Order order, ThreadCpu cpu) {
        return frozenGetEntryHit0(frozen, keys, order);
    }

    /**
     * A frozen hit through {@code getIfPresent}: a heap copy of the 100-byte value, one byte of
     * it. One thread. Run: {@code scripts/bench 'CacheBenchmark.frozenGetIfPresentHit$'}.
     *
     * @param frozen the version
     * @param keys   the lookup keys
     * @param order  this thread's key order
     * @param cpu    this thread's CPU time, for {@link Report}
     * @return the byte read
     */
    @Compared(operation = HIT_HEAP_COPY, subject = Compared.PERMAFROST)
    @Benchmark
    @Threads(1)
    public byte frozenGetIfPresentHit(Frozen frozen, Keys keys, Order order, ThreadCpu cpu) {
        return frozen.cache.getIfPresent(keys.hits[order.next()])[0];
    }

    /**
     * {@link #frozenGetIfPresentHit} with two threads.
     * Run: {@code scripts/bench 'CacheBenchmark.frozenGetIfPresentHitTwoThreads'}.
     *
     * @param frozen the version
     * @param keys   the lookup keys
     * @param order  this thread's key order
     * @param cpu    this thread's CPU time, for {@link Report}
     * @return the byte read
     */
    @Compared(operation = HIT_HEAP_COPY, subject = Compared.PERMAFROST)
    @Benchmark
    @Threads(2)
    public byte frozenGetIfPresentHitTwoThreads(Frozen frozen, Keys keys, Order order, ThreadCpu cpu) {
        return frozen.cache.getIfPresent(keys.hits[order.next()])[0];
    }

    /**
     * A miss: {@code getEntry} of a key the version does not hold. One thread.
     * Run: {@code scripts/bench 'CacheBenchmark.frozenGetEntryMiss$'}.
     *
     * @param frozen the version
     * @param keys   the lookup keys
     * @param order  this thread's key order
     * @param cpu    this thread's CPU time, for {@link Report}
     * @return whether it found nothing (always)
     */
    @Compared(operation = MISS, subject = Compared.PERMAFROST)
    @Benchmark
    @Threads(1)
    public boolean frozenGetEntryMiss(Frozen frozen, Keys keys, Order order, ThreadCpu cpu) {
        return frozen.cache.getEntry(keys.misses[order.next()]) == null;
    }

    /**
     * {@link #frozenGetEntryMiss} with two threads.
     * Run: {@code scripts/bench 'CacheBenchmark.frozenGetEntryMissTwoThreads'}.
     *
     * @param frozen the version
     * @param keys   the lookup keys
     * @param order  this thread's key order
     * @param cpu    this thread's CPU time, for {@link Report}
     * @return whether it found nothing (always)
     */
    @Compared(operation = MISS, subject = Compared.PERMAFROST)
    @Benchmark
    @Threads(2)
    public boolean frozenGetEntryMissTwoThreads(Frozen frozen, Keys keys, Order order, ThreadCpu cpu) {
        return frozen.cache.getEntry(keys.misses[order.next()]) == null;
    }

    private static byte overlayGetEntryHit0(Overlay overlay, Keys keys, Order order) {
        try (CacheEntry<byte[]> entry = overlay.cache.getEntry(keys.hits[order.next()])) {
            return entry.valueBytes().get(ValueLayout.JAVA_BYTE, 0);
        }
    }

    /**
     * An overlay hit: {@code getEntry} of an entry put into this worker's overlay, one byte,
     * close. One thread. Run: {@code scripts/bench 'CacheBenchmark.overlayGetEntryHit$'}.
     *
     * @param overlay the cache with its overlay
     * @param keys    the lookup keys
     * @param order   this thread's key order
     * @param cpu     this thread's CPU time, for {@link Report}
     * @return the byte read
     */
    @Compared(operation = OVERLAY_HIT, subject = Compared.PERMAFROST)
    @Benchmark
    @Threads(1)
    public byte overlayGetEntryHit(Overlay overlay, Keys keys, Order order, ThreadCpu cpu) {
        return overlayGetEntryHit0(overlay, keys, order);
    }

    /**
     * {@link #overlayGetEntryHit} with two threads.
     * Run: {@code scripts/bench 'CacheBenchmark.overlayGetEntryHitTwoThreads'}.
     *
     * @param overlay the cache with its overlay
     * @param keys    the lookup keys
     * @param order   this thread's key order
     * @param cpu     this thread's CPU time, for {@link Report}
     * @return the byte read
     */
    @Compared(operation = OVERLAY_HIT, subject = Compared.PERMAFROST)
    @Benchmark
    @Threads(2)
    public byte overlayGetEntryHitTwoThreads(Overlay overlay, Keys keys, Order order, ThreadCpu cpu) {
        return overlayGetEntryHit0(overlay, keys, order);
    }

    /**
     * The baseline: Caffeine's {@code getIfPresent} of a present key, one byte of the value.
     * One thread. Run: {@code scripts/bench 'CacheBenchmark.caffeineGetIfPresentHit$'}.
     *
     * @param caffeine the Caffeine cache
     * @param keys     the lookup keys
     * @param order    this thread's key order
     * @param cpu      this thread's CPU time, for {@link Report}
     * @return the byte read
     */
    @Compared(operation = HIT, subject = CAFFEINE)
    @Benchmark
    @Threads(1)
    public byte caffeineGetIfPresentHit(CaffeineMap caffeine, Keys keys, Order order, ThreadCpu cpu) {
        return caffeine.cache.getIfPresent(keys.hits[order.next()])[0];
    }

    /**
     * {@link #caffeineGetIfPresentHit} with two threads.
     * Run: {@code scripts/bench 'CacheBenchmark.caffeineGetIfPresentHitTwoThreads'}.
     *
     * @param caffeine the Caffeine cache
     * @param keys     the lookup keys
     * @param order    this thread's key order
     * @param cpu      this thread's CPU time, for {@link Report}
     * @return the byte read
     */
    @Compared(operation = HIT, subject = CAFFEINE)
    @Benchmark
    @Threads(2)
    public byte caffeineGetIfPresentHitTwoThreads(CaffeineMap caffeine, Keys keys, Order order, ThreadCpu cpu) {
        return caffeine.cache.getIfPresent(keys.hits[order.next()])[0];
    }

    /**
     * Caffeine's {@code getIfPresent} of an absent key. One thread.
     * Run: {@code scripts/bench 'CacheBenchmark.caffeineGetIfPresentMiss$'}.
     *
     * @param caffeine the Caffeine cache
     * @param keys     the lookup keys
     * @param order    this thread's key order
     * @param cpu      this thread's CPU time, for {@link Report}
     * @return whether it found nothing (always)
     */
    @Compared(operation = MISS, subject = CAFFEINE)
    @Benchmark
    @Threads(1)
    public boolean caffeineGetIfPresentMiss(CaffeineMap caffeine, Keys keys, Order order, ThreadCpu cpu) {
        return caffeine.cache.getIfPresent(keys.misses[order.next()]) == null;
    }

    /**
     * {@link #caffeineGetIfPresentMiss} with two threads.
     * Run: {@code scripts/bench 'CacheBenchmark.caffeineGetIfPresentMissTwoThreads'}.
     *
     * @param caffeine the Caffeine cache
     * @param keys     the lookup keys
     * @param order    this thread's key order
     * @param cpu      this thread's CPU time, for {@link Report}
     * @return whether it found nothing (always)
     */
    @Compared(operation = MISS, subject = CAFFEINE)
    @Benchmark
    @Threads(2)
    public boolean caffeineGetIfPresentMissTwoThreads(CaffeineMap caffeine, Keys keys, Order order, ThreadCpu cpu) {
        return caffeine.cache.getIfPresent(keys.misses[order.next()]) == null;
    }

    /**
     * A further baseline: {@code ConcurrentHashMap.get} of a present key, one byte. One thread.
     * Run: {@code scripts/bench 'CacheBenchmark.concurrentHashMapGetHit$'}.
     *
     * @param map   the map
     * @param keys  the lookup keys
     * @param order this thread's key order
     * @param cpu   this thread's CPU time, for {@link Report}
     * @return the byte read
     */
    @Compared(operation = HIT, subject = CONCURRENT_HASH_MAP)
    @Benchmark
    @Threads(1)
    public byte concurrentHashMapGetHit(HashMapBaseline map, Keys keys, Order order, ThreadCpu cpu) {
        return map.map.get(keys.hits[order.next()])[0];
    }

    /**
     * {@link #concurrentHashMapGetHit} with two threads.
     * Run: {@code scripts/bench 'CacheBenchmark.concurrentHashMapGetHitTwoThreads'}.
     *
     * @param map   the map
     * @param keys  the lookup keys
     * @param order this thread's key order
     * @param cpu   this thread's CPU time, for {@link Report}
     * @return the byte read
     */
    @Compared(operation = HIT, subject = CONCURRENT_HASH_MAP)
    @Benchmark
    @Threads(2)
    public byte concurrentHashMapGetHitTwoThreads(HashMapBaseline map, Keys keys, Order order, ThreadCpu cpu) {
        return map.map.get(keys.hits[order.next()])[0];
    }

    /**
     * {@code ConcurrentHashMap.get} of an absent key. One thread.
     * Run: {@code scripts/bench 'CacheBenchmark.concurrentHashMapGetMiss$'}.
     *
     * @param map   the map
     * @param keys  the lookup keys
     * @param order this thread's key order
     * @param cpu   this thread's CPU time, for {@link Report}
     * @return whether it found nothing (always)
     */
    @Compared(operation = MISS, subject = CONCURRENT_HASH_MAP)
    @Benchmark
    @Threads(1)
    public boolean concurrentHashMapGetMiss(HashMapBaseline map, Keys keys, Order order, ThreadCpu cpu) {
        return map.map.get(keys.misses[order.next()]) == null;
    }

    /**
     * {@link #concurrentHashMapGetMiss} with two threads.
     * Run: {@code scripts/bench 'CacheBenchmark.concurrentHashMapGetMissTwoThreads'}.
     *
     * @param map   the map
     * @param keys  the lookup keys
     * @param order this thread's key order
     * @param cpu   this thread's CPU time, for {@link Report}
     * @return whether it found nothing (always)
     */
    @Compared(operation = MISS, subject = CONCURRENT_HASH_MAP)
    @Benchmark
    @Threads(2)
    public boolean concurrentHashMapGetMissTwoThreads(HashMapBaseline map, Keys keys, Order order, ThreadCpu cpu) {
        return map.map.get(keys.misses[order.next()]) == null;
    }

    /**
     * Chronicle Map's {@code get} of a present key (a new {@code byte[]} of the value), one
     * byte. One thread. Run: {@code scripts/bench 'CacheBenchmark.chronicleMapGetHit$'}.
     *
     * @param chronicle the map
     * @param keys      the lookup keys
     * @param order     this thread's key order
     * @param cpu       this thread's CPU time, for {@link Report}
     * @return the byte read
     */
    @Compared(operation = HIT, subject = CHRONICLE_MAP)
    @Benchmark
    @Threads(1)
    @Fork(jvmArgsAppend = {
        "-Xmx3g", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-Dchronicle.analytics.disable=true",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED", "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"})
    public byte chronicleMapGetHit(Chronicle chronicle, Keys keys, Order order, ThreadCpu cpu) {
        return chronicle.map.get(keys.hits[order.next()])[0];
    }

    /**
     * {@link #chronicleMapGetHit} with two threads.
     * Run: {@code scripts/bench 'CacheBenchmark.chronicleMapGetHitTwoThreads'}.
     *
     * @param chronicle the map
     * @param keys      the lookup keys
     * @param order     this thread's key order
     * @param cpu       this thread's CPU time, for {@link Report}
     * @return the byte read
     */
    @Compared(operation = HIT, subject = CHRONICLE_MAP)
    @Benchmark
    @Threads(2)
    @Fork(jvmArgsAppend = {
        "-Xmx3g", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-Dchronicle.analytics.disable=true",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED", "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"})
    public byte chronicleMapGetHitTwoThreads(Chronicle chronicle, Keys keys, Order order, ThreadCpu cpu) {
        return chronicle.map.get(keys.hits[order.next()])[0];
    }

    private static byte lmdbGetHit0(Lmdb lmdb, LmdbReader reader, DirectKeys keys, Order order) {
        Txn<ByteBuffer> txn = reader.txn;
        txn.renew();
        try {
            return lmdb.db.get(txn, keys.hits[order.next()]).get(0);
        } finally {
            txn.reset();
        }
    }

    /**
     * lmdbjava's zero-copy {@code Dbi.get} of a present key in this thread's renewed read
     * transaction, one byte of the value. One thread.
     * Run: {@code scripts/bench 'CacheBenchmark.lmdbGetHit$'}.
     *
     * @param lmdb   the environment
     * @param reader this thread's read transaction
     * @param keys   the lookup keys
     * @param order  this thread's key order
     * @param cpu    this thread's CPU time, for {@link Report}
     * @return the byte read
     */
    @Compared(operation = HIT, subject = LMDBJAVA)
    @Benchmark
    @Threads(1)
    @Fork(jvmArgsAppend = {"-Xmx3g", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"})
    public byte lmdbGetHit(Lmdb lmdb, LmdbReader reader, DirectKeys keys, Order order, ThreadCpu cpu) {
        return lmdbGetHit0(lmdb, reader, keys, order);
    }

    /**
     * {@link #lmdbGetHit} with two threads, each with its own read transaction.
     * Run: {@code scripts/bench 'CacheBenchmark.lmdbGetHitTwoThreads'}.
     *
     * @param lmdb   the environment
     * @param reader this thread's read transaction
     * @param keys   the lookup keys
     * @param order  this thread's key order
     * @param cpu    this thread's CPU time, for {@link Report}
     * @return the byte read
     */
    @Compared(operation = HIT, subject = LMDBJAVA)
    @Benchmark
    @Threads(2)
    @Fork(jvmArgsAppend = {"-Xmx3g", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"})
    public byte lmdbGetHitTwoThreads(Lmdb lmdb, LmdbReader reader, DirectKeys keys, Order order, ThreadCpu cpu) {
        return lmdbGetHit0(lmdb, reader, keys, order);
    }
}
