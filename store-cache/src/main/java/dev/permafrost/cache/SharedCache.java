package dev.permafrost.cache;

import dev.permafrost.error.PermafrostException;
import dev.permafrost.store.RecordType;
import dev.permafrost.store.Store;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A reader of a cache directory: maps the current version copy-on-write and serves lookups
 * from its frozen table. Thread-safe. A lookup of a frozen entry writes nothing to the mapping;
 * what it counts (open handles, statistics) is on this worker's heap.
 *
 * <pre>{@code
 * try (CacheWriter<String, byte[]> writer = SharedCache.writer(dir, Codecs.string(), Codecs.bytes())) {
 *     writer.put("kettle", bytes);
 *     writer.publish();
 * }
 * try (SharedCache<String, byte[]> cache = SharedCache.builder(Codecs.string(), Codecs.bytes()).open(dir)) {
 *     byte[] copy = cache.getIfPresent("kettle");             // a heap copy, or null
 *     try (CacheEntry<byte[]> entry = cache.getEntry("kettle")) {
 *         MemorySegment inPlace = entry.valueBytes();          // zero-copy, valid until close
 *     }
 *     cache.refresh();                                         // take a newer version, if one was published
 * }
 * }</pre>
 *
 * <p>Versions: {@link #refresh()} swaps to the version {@code CURRENT} names now; lookups from
 * then on see it, handles on the old one stay valid, and the old store is closed when its last
 * handle closes.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class SharedCache<K, V> implements AutoCloseable {
    private final Path directory;
    private final ByteCodec<K> keyCodec;
    private final Codec<V> valueCodec;
    private final ByteCodec<V> valueBytesCodec; // null for record values
    private final boolean recordStats;
    private final LongAdder frozenHits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final long privateBytes;
    private volatile Snapshot current;
    private volatile boolean closed;

    private SharedCache(Builder<K, V> builder, Path directory) {
        this.directory = directory;
        this.keyCodec = (ByteCodec<K>) builder.keyCodec;
        this.valueCodec = builder.valueCodec;
        this.valueBytesCodec = builder.valueCodec instanceof ByteCodec<V> bytes ? bytes : null;
        this.recordStats = builder.recordStats;
        this.privateBytes = Store.MIN_PRIVATE_CAPACITY_BYTES;
        this.current = Snapshot.openCurrent(directory, keyCodec, valueCodec, privateBytes);
    }

    /**
     * Starts a new version of a cache directory (created if missing).
     *
     * @param directory  the cache directory
     * @param keyCodec   how keys are stored: a {@link ByteCodec}
     * @param valueCodec how values are stored
     * @param <K>        the key type
     * @param <V>        the value type
     * @return the writer, which must be {@linkplain CacheWriter#publish published} or closed
     * @throws IllegalArgumentException if the key codec is a record codec, or a name is too long
     * @throws PermafrostException      if the version file cannot be created
     */
    public static <K, V> CacheWriter<K, V> writer(Path directory, Codec<K> keyCodec, Codec<V> valueCodec) {
        return new CacheWriter<>(directory, keyCodec, valueCodec);
    }

    /**
     * Starts configuring a reader.
     *
     * @param keyCodec   how keys are stored: the writer's key codec (by name)
     * @param valueCodec how values are stored: the writer's value codec (by name)
     * @param <K>        the key type
     * @param <V>        the value type
     * @return a builder
     * @throws IllegalArgumentException if the key codec is a record codec
     */
    public static <K, V> Builder<K, V> builder(Codec<K> keyCodec, Codec<V> valueCodec) {
        return new Builder<>(keyCodec, valueCodec);
    }

    /**
     * Looks a key up.
     *
     * @param key not null
     * @return a heap copy of its value, or {@code null} if absent
     * @throws NullPointerException if the key is null
     * @throws CacheClosedException if the cache is closed
     */
    public V getIfPresent(K key) {
        byte[] encoded = keyCodec.encode(Objects.requireNonNull(key, "key"));
        long hash = KeyHash.hash(encoded);
        int stripe = Snapshot.stripe();
        Snapshot snapshot = acquire(stripe);
        try {
            long position = snapshot.find(encoded, hash);
            if (position < 0) {
                countMiss();
                return null;
            }
            countFrozenHit();
            return decode(snapshot, position);
        } finally {
            snapshot.release(stripe);
        }
    }

    /**
     * Looks a key up and returns a handle on its entry, in place.
     *
     * @param key not null
     * @return a handle to close, or {@code null} if absent
     * @throws NullPointerException if the key is null
     * @throws CacheClosedException if the cache is closed
     */
    public CacheEntry<V> getEntry(K key) {
        byte[] encoded = keyCodec.encode(Objects.requireNonNull(key, "key"));
        long hash = KeyHash.hash(encoded);
        int stripe = Snapshot.stripe();
        Snapshot snapshot = acquire(stripe);
        long position;
        try {
            position = snapshot.find(encoded, hash);
        } catch (RuntimeException e) {
            snapshot.release(stripe);
            throw e;
        }
        if (position < 0) {
            snapshot.release(stripe);
            countMiss();
            return null;
        }
        countFrozenHit();
        return new CacheEntry<>(this, snapshot, stripe, position);
    }

    /** {@return the entries of the current version} */
    public long estimatedSize() {
        return current.entryCount;
    }

    /**
     * Returns the statistics counted since the cache was opened: all zero unless the builder
     * asked for {@link Builder#recordStats()}.
     *
     * @return a snapshot of the counts
     */
    public CacheStats stats() {
        return new CacheStats(frozenHits.sum(), 0, misses.sum(), 0, 0, 0, 0, 0, 0);
    }

    /** {@return the number of the version lookups see now} */
    public long version() {
        return current.version;
    }

    /** {@return the directory this cache reads} */
    public Path directory() {
        return directory;
    }

    /**
     * Swaps to the version {@code CURRENT} names now, if it is another than this cache's.
     * Lookups from then on see the new version; handles on the old one stay valid, and its
     * store is closed when the last of them closes. If the new version cannot be opened, the
     * cache stays on the old one and the exception says why.
     *
     * @return whether the cache swapped
     * @throws CacheException       if {@code CURRENT} or the version it names is bad
     * @throws CacheClosedException if the cache is closed
     */
    public synchronized boolean refresh() {
        checkOpen("refresh");
        Snapshot old = current;
        Path now = CacheDirectory.current(directory);
        if (now.equals(old.file)) {
            return false;
        }
        current = Snapshot.openCurrent(directory, keyCodec, valueCodec, privateBytes);
        old.retire();
        return true;
    }

    /**
     * Closes the cache. Lookups from then on throw {@link CacheClosedException}; handles still
     * open stay valid, and the store is closed when the last of them closes. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            current.retire();
        }
    }

    @Override
    public String toString() {
        return "SharedCache[" + directory + ", " + current + (closed ? ", closed]" : "]");
    }

    /** {@return the snapshot lookups see, counted on this thread's stripe} */
    private Snapshot acquire(int stripe) {
        while (true) {
            Snapshot snapshot = current;
            if (snapshot.tryAcquire(stripe)) {
                return snapshot;
            }
            checkOpen("look up"); // retired: swapped out (take the new one) or closed
        }
    }

    @SuppressWarnings("unchecked") // the record type was registered for the value codec's class, V
    V decode(Snapshot snapshot, long position) {
        if (valueBytesCodec != null) {
            return valueBytesCodec.decode(snapshot.valueBytes(position));
        }
        return ((RecordType<? extends Record>) snapshot.recordType) == null ? null
                : (V) snapshot.recordType.read(snapshot.valueObject(position));
    }

    /** {@return the snapshot lookups see now: for tests} */
    Snapshot currentSnapshot() {
        return current;
    }

    /** {@return the frozen store of the version lookups see now: for tests and measurements} */
    Store store() {
        return current.store;
    }

    /** {@return the entry bytes of the current version: for tests} */
    MemorySegment keyBytesAt(long position) {
        return current.keyBytes(position);
    }

    private void countFrozenHit() {
        if (recordStats) {
            frozenHits.increment();
        }
    }

    private void countMiss() {
        if (recordStats) {
            misses.increment();
        }
    }

    private void checkOpen(String operation) {
        if (closed) {
            throw new CacheClosedException(directory, current.file, PermafrostException.NO_OFFSET,
                    "cannot " + operation + ": the cache is closed", null);
        }
    }

    /**
     * Configures a {@link SharedCache}, in the manner of Caffeine's builder. The bounds apply to
     * this worker's overlay, not to the frozen base, which holds what the writer put.
     *
     * @param <K> the key type
     * @param <V> the value type
     */
    public static final class Builder<K, V> {
        private final Codec<K> keyCodec;
        private final Codec<V> valueCodec;
        private long maximumSize = -1;
        private long maximumWeight = -1;
        private Weigher<? super K, ? super V> weigher;
        private boolean recordStats;

        private Builder(Codec<K> keyCodec, Codec<V> valueCodec) {
            this.keyCodec = Objects.requireNonNull(keyCodec, "keyCodec");
            this.valueCodec = Objects.requireNonNull(valueCodec, "valueCodec");
            if (keyCodec instanceof RecordCodec<?> record) {
                throw new IllegalArgumentException("a record codec (" + record.name()
                        + ") stores values only: keys are compared as bytes, use a ByteCodec");
            }
        }

        /**
         * Bounds this worker's overlay by entry count.
         *
         * @param maximumSize entries, at least 0
         * @return this builder
         * @throws IllegalArgumentException if negative
         * @throws IllegalStateException    if a size or weight bound was set already
         */
        public Builder<K, V> maximumSize(long maximumSize) {
            checkNoBound();
            if (maximumSize < 0) {
                throw new IllegalArgumentException("maximum size " + maximumSize + " is negative");
            }
            this.maximumSize = maximumSize;
            return this;
        }

        /**
         * Bounds this worker's overlay by summed weight; needs a {@link #weigher}.
         *
         * @param maximumWeight the most weight, at least 0
         * @return this builder
         * @throws IllegalArgumentException if negative
         * @throws IllegalStateException    if a size or weight bound was set already
         */
        public Builder<K, V> maximumWeight(long maximumWeight) {
            checkNoBound();
            if (maximumWeight < 0) {
                throw new IllegalArgumentException("maximum weight " + maximumWeight + " is negative");
            }
            this.maximumWeight = maximumWeight;
            return this;
        }

        /**
         * Sets how overlay entries are weighed, for {@link #maximumWeight}.
         *
         * @param weigher not null
         * @return this builder
         * @throws IllegalStateException if a weigher was set already
         */
        public Builder<K, V> weigher(Weigher<? super K, ? super V> weigher) {
            if (this.weigher != null) {
                throw new IllegalStateException("a weigher was set already");
            }
            this.weigher = Objects.requireNonNull(weigher, "weigher");
            return this;
        }

        /**
         * Counts hits and misses ({@link SharedCache#stats()}); off, the hit path counts nothing.
         *
         * @return this builder
         */
        public Builder<K, V> recordStats() {
            this.recordStats = true;
            return this;
        }

        /** {@return the overlay's entry bound, or -1 if none was set} */
        public long maximumSize() {
            return maximumSize;
        }

        /** {@return the overlay's weight bound, or -1 if none was set} */
        public long maximumWeight() {
            return maximumWeight;
        }

        /**
         * Opens the directory's current version, copy-on-write.
         *
         * @param directory the cache directory
         * @return the cache
         * @throws IllegalStateException      if a weigher was set without a maximum weight, or the reverse
         * @throws NoCurrentVersionException  if nothing was published there
         * @throws MissingVersionException    if {@code CURRENT} names a file that is gone
         * @throws CorruptCacheException      if {@code CURRENT} or the version file is damaged
         * @throws NotACacheException         if the version file is a store but not a cache
         * @throws CodecMismatchException     if the version was built with other codecs
         */
        public SharedCache<K, V> open(Path directory) {
            Objects.requireNonNull(directory, "directory");
            if ((weigher != null) != (maximumWeight >= 0)) {
                throw new IllegalStateException(weigher != null ? "a weigher needs maximumWeight" : "maximumWeight needs a weigher");
            }
            return new SharedCache<>(this, directory);
        }

        private void checkNoBound() {
            if (maximumSize >= 0 || maximumWeight >= 0) {
                throw new IllegalStateException("a bound was set already: maximum size " + maximumSize
                        + ", maximum weight " + maximumWeight);
            }
        }
    }
}
