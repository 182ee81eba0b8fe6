package dev.permafrost.cache;

import dev.permafrost.cache.policy.EvictionPolicy;
import dev.permafrost.cache.policy.PolicyEntry;
import dev.permafrost.cache.policy.S3FifoPolicy;
import dev.permafrost.error.PermafrostException;
import dev.permafrost.store.RecordType;
import dev.permafrost.store.Store;
import dev.permafrost.store.Ref;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

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
 * <p>The overlay: {@link #put}, {@link #get(Object, Function)}, {@link #invalidate} and
 * {@link #invalidateAll} change only this worker's view. Its entries are mortal objects in the
 * private memory above the frozen boundary of the version current when they were put (which
 * they keep open, across swaps, until they are freed); they shadow the frozen base, and an
 * invalidated frozen key stays invisible to this worker until it is put or loaded again, or its
 * tombstone is evicted. The overlay is bounded by the builder's {@code maximumSize} or
 * {@code maximumWeight} with an S3-FIFO eviction policy; without either it is unbounded. An
 * entry evicted, replaced or invalidated while a {@link CacheEntry} on it is open stays valid
 * until the handle closes, and is freed then.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class SharedCache<K, V> implements AutoCloseable {
    /** Private memory reserved above each version for the overlay (address space; only what is used costs). */
    private static final long OVERLAY_PRIVATE_BYTES = Math.max(Store.MIN_PRIVATE_CAPACITY_BYTES, 1L << 30);
    private final Path directory;
    private final ByteCodec<K> keyCodec;
    private final Codec<V> valueCodec;
    private final ByteCodec<V> valueBytesCodec; // null for record values
    private final boolean recordStats;
    private final LongAdder frozenHits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder overlayHits = new LongAdder();
    private final LongAdder loadSuccesses = new LongAdder();
    private final LongAdder loadFailures = new LongAdder();
    private final LongAdder loadNanos = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder evictedWeight = new LongAdder();
    private final AtomicLong overlayBytes = new AtomicLong();
    private final long privateBytes;
    /** The overlay's bound (entries or weight units), or -1 if unbounded. */
    private final long bound;
    /** Weighs entries under maximumWeight; {@code null}: every entry weighs 1. */
    private final Weigher<? super K, ? super V> weigher;
    /** Decides what to evict; {@code null} if the overlay is unbounded, or bounded to 0 (everything is evicted at once). */
    private final EvictionPolicy<OverlayKey> policy;
    /**
     * This worker's entries and tombstones, by encoded key. Read without a lock; written only
     * under {@link #overlayLock}, so the map and the policy change together.
     */
    private final ConcurrentHashMap<OverlayKey, OverlayEntry> overlay = new ConcurrentHashMap<>();
    /**
     * Serialises writes of {@link #overlay} with the policy's onAdmit and onRemove, whose victims
     * callback unlinks from the map. Lock order: a bin of {@link #loads}, then this, then the
     * policy's lock, then a bin of {@link #overlay} (no one holding a later one takes an earlier one).
     * Nothing that can block for long runs under it: values are encoded and written before, and
     * unlinked entries released after.
     */
    private final ReentrantLock overlayLock = new ReentrantLock();
    /** Keys being loaded: its compute holds the key's bin while the loader runs, so one loader runs per key. Always empty between calls. */
    private final ConcurrentHashMap<OverlayKey, Boolean> loads = new ConcurrentHashMap<>();
    /** Set once the overlay was first written: until then lookups skip it (one volatile read). */
    private volatile boolean overlayUsed;
    private volatile Snapshot current;
    private volatile boolean closed;
    /** Refreshes on a new {@code CURRENT}, if the builder asked for it; null otherwise. */
    private final DirectoryWatcher watcher;
    /** What the last refresh by the watcher threw, or null if it succeeded (or none ran). */
    private volatile RuntimeException lastRefreshFailure;

    private SharedCache(Builder<K, V> builder, Path directory) {
        this.directory = directory;
        this.keyCodec = (ByteCodec<K>) builder.keyCodec;
        this.valueCodec = builder.valueCodec;
        this.valueBytesCodec = builder.valueCodec instanceof ByteCodec<V> bytes ? bytes : null;
        this.recordStats = builder.recordStats;
        this.privateBytes = OVERLAY_PRIVATE_BYTES;
        this.bound = builder.maximumSize >= 0 ? builder.maximumSize : builder.maximumWeight;
        this.weigher = builder.weigher;
        this.policy = bound >= 1 ? new S3FifoPolicy<>(bound) : null;
        this.current = Snapshot.openCurrent(directory, keyCodec, valueCodec, privateBytes);
        DirectoryWatcher started = null;
        if (builder.watchDirectory) {
            try {
                started = new DirectoryWatcher(directory, this);
            } catch (RuntimeException e) { // never a half-open cache
                current.retire();
                throw e;
            }
        }
        this.watcher = started;
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
        Objects.requireNonNull(key, "key");
        byte[] encoded = null; // the frozen table of string keys needs no bytes to find a key absent
        long hash = 0;
        if (overlayUsed) {
            encoded = keyCodec.encode(key);
            hash = KeyHash.hash(encoded);
            OverlayEntry own = findOwn(encoded, hash);
            if (own != null) {
                if (own.isTombstone()) {
                    return null;
                }
                try {
                    return decodeObject(own.snapshot, own.objectOffset);
                } finally {
                    own.release();
                }
            }
        }
        while (true) { // the frozen base, read without counting a handle: a close that raced the read is retried
            Snapshot snapshot = current;
            try {
                long position = snapshot.find(key, encoded, hash);
                V value = position < 0 ? null : decode(snapshot, position);
                VarHandle.loadLoadFence(); // the reads above happened before the look at the close below
                if (!snapshot.isClosed()) {
                    checkOpen("look up");
                    if (value == null) {
                        countMiss();
                    } else {
                        countFrozenHit();
                    }
                    return value;
                }
            } catch (RuntimeException e) {
                if (!snapshot.isClosed()) {
                    throw e;
                }
            }
            checkOpen("look up"); // swapped out and closed as it was read: read the new current one
        }
    }

    /**
     * Looks a key up in this worker's overlay, counting the access: a tombstone (the key is
     * invalidated here: a miss), an entry retained for the caller (a hit: the caller releases
     * it), or {@code null} when the overlay says nothing of the key and the frozen base decides.
     */
    private OverlayEntry findOwn(byte[] encoded, long hash) {
        OverlayEntry own;
        while ((own = overlay.get(new OverlayKey(encoded, hash))) != null) {
            if (own.isTombstone()) {
                recordAccess(own);
                countMiss();
                return own;
            }
            if (own.tryRetain()) {
                recordAccess(own);
                countOverlayHit();
                return own;
            }
            // unlinked and freed as we found it: the map holds another entry or none now
        }
        return null;
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
        Objects.requireNonNull(key, "key");
        byte[] encoded = null; // the frozen table of string keys needs no bytes to find a key absent
        long hash = 0;
        if (overlayUsed) {
            encoded = keyCodec.encode(key);
            hash = KeyHash.hash(encoded);
            OverlayEntry own = findOwn(encoded, hash);
            if (own != null) {
                return own.isTombstone() ? null : new CacheEntry<>(this, own);
            }
        }
        int stripe = Snapshot.stripe();
        while (true) { // a miss counts no handle (a locked add would stall the lookups around it); a hit does
            Snapshot snapshot = current;
            long position;
            try {
                position = snapshot.find(key, encoded, hash);
            } catch (RuntimeException e) {
                if (!snapshot.isClosed()) {
                    throw e;
                }
                checkOpen("look up"); // swapped out and closed as it was read: read the new current one
                continue;
            }
            VarHandle.loadLoadFence(); // the table was read before the look at the close below
            if (position < 0) {
                if (snapshot.isClosed()) {
                    checkOpen("look up");
                    continue;
                }
                checkOpen("look up");
                countMiss();
                return null;
            }
            if (snapshot.tryAcquire(stripe)) {
                countFrozenHit();
                return new CacheEntry<>(this, snapshot, stripe, position);
            }
            checkOpen("look up"); // retired since it was read: read the new current one
        }
    }

    /**
     * Returns the value of a key, loading it into this worker's overlay if neither the overlay
     * nor the frozen base has it (or this worker invalidated it). However many threads ask for
     * one key at once, the loader runs once and they all get its value (unless the overlay
     * evicted it before they looked). A loader that throws caches nothing and the exception
     * reaches the caller; one that returns {@code null} caches nothing and this returns
     * {@code null}. The loader must not use this cache (as with Caffeine's {@code get}, it runs
     * while a bin of a map of keys being loaded is locked).
     *
     * @param key    not null
     * @param loader computes the value of a missing key
     * @return the value (a heap copy of a stored one, or the loader's), or {@code null}
     * @throws NullPointerException     if the key or the loader is null
     * @throws IllegalArgumentException if the weigher gives the loaded value a negative weight (nothing is cached)
     * @throws CacheClosedException     if the cache is closed
     */
    public V get(K key, Function<? super K, ? extends V> loader) {
        Objects.requireNonNull(loader, "loader");
        V present = getIfPresent(key);
        if (present != null) {
            return present;
        }
        byte[] encoded = keyCodec.encode(key);
        Object[] result = new Object[1];
        loads.compute(new OverlayKey(encoded, KeyHash.hash(encoded)), (k, none) -> {
            OverlayEntry own = overlay.get(k);
            if (own != null && !own.isTombstone() && own.tryRetain()) {
                try {
                    result[0] = decodeObject(own.snapshot, own.objectOffset); // another thread loaded it first
                } finally {
                    own.release();
                }
                return null;
            }
            long start = System.nanoTime();
            V loaded;
            try {
                loaded = loader.apply(key);
            } catch (RuntimeException | Error e) {
                countLoad(false, start);
                throw e;
            }
            countLoad(loaded != null, start);
            if (loaded != null) {
                install(k, newOverlayEntry(loaded, weigh(key, loaded)));
            }
            result[0] = loaded;
            return null; // nothing stays in loads
        });
        @SuppressWarnings("unchecked") // a V: decoded or loaded
        V value = (V) result[0];
        return value;
    }

    /**
     * Puts an entry into this worker's overlay, shadowing the frozen base's entry of the key,
     * and evicts what the bound requires (an entry heavier than the bound is evicted at once).
     * A handle open on an entry this replaces or evicts stays valid until it closes.
     *
     * @param key   not null
     * @param value not null
     * @throws NullPointerException     if either is null
     * @throws IllegalArgumentException if the weigher gives the entry a negative weight
     * @throws CacheClosedException     if the cache is closed
     */
    public void put(K key, V value) {
        byte[] encoded = keyCodec.encode(Objects.requireNonNull(key, "key"));
        long weight = weigh(key, Objects.requireNonNull(value, "value"));
        install(new OverlayKey(encoded, KeyHash.hash(encoded)), newOverlayEntry(value, weight));
    }

    /**
     * Removes a key from this worker's view: its overlay entry, and, if the current version
     * holds the key, the frozen base's entry, which a tombstone then hides from this worker
     * (across swaps too) until the key is put or loaded again. A tombstone weighs 1 against the
     * bound and is evicted like an entry, after which the frozen entry shows again. Open handles
     * stay valid until they close.
     *
     * @param key not null
     * @throws NullPointerException if the key is null
     * @throws CacheClosedException if the cache is closed
     */
    public void invalidate(K key) {
        byte[] encoded = keyCodec.encode(Objects.requireNonNull(key, "key"));
        OverlayKey overlayKey = new OverlayKey(encoded, KeyHash.hash(encoded));
        if (isFrozen(key, overlayKey)) {
            install(overlayKey, OverlayEntry.tombstone());
            return;
        }
        if (!overlayUsed) {
            return;
        }
        OverlayEntry removed;
        overlayLock.lock();
        try {
            removed = overlay.remove(overlayKey);
            if (removed != null && policy != null) {
                policy.onRemove(removed.policyEntry);
            }
        } finally {
            overlayLock.unlock();
        }
        drop(removed);
    }

    /**
     * Discards every entry and every invalidation of this worker's overlay: the view is the
     * frozen base again. Open handles stay valid until they close.
     */
    public void invalidateAll() {
        List<OverlayEntry> removed = new ArrayList<>();
        overlayLock.lock();
        try {
            for (OverlayKey key : overlay.keySet()) {
                OverlayEntry entry = overlay.remove(key);
                if (entry != null) {
                    if (policy != null) {
                        policy.onRemove(entry.policyEntry);
                    }
                    removed.add(entry);
                }
            }
        } finally {
            overlayLock.unlock();
        }
        removed.forEach(this::drop);
    }

    /** {@return the entries of the current version plus this worker's overlay entries and invalidations (an estimate: shadowing is not subtracted)} */
    public long estimatedSize() {
        return current.entryCount + overlay.mappingCount();
    }

    /**
     * Returns the statistics counted since the cache was opened: all zero unless the builder
     * asked for {@link Builder#recordStats()}.
     *
     * @return a snapshot of the counts
     */
    public CacheStats stats() {
        return new CacheStats(frozenHits.sum(), overlayHits.sum(), misses.sum(), loadSuccesses.sum(), loadFailures.sum(),
                loadNanos.sum(), evictions.sum(), evictedWeight.sum(), overlayBytes.get());
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
     * What the last refresh by the directory watcher ({@link Builder#watchDirectory()}) threw:
     * the cache stayed on its version, and the watcher tries again at the next change.
     *
     * @return the failure, or empty if the last refresh succeeded or none failed
     */
    public java.util.Optional<RuntimeException> lastRefreshFailure() {
        return java.util.Optional.ofNullable(lastRefreshFailure);
    }

    /** The watcher's refresh: remembers a failure instead of throwing; {@code false} once the cache is closed. */
    boolean refreshFromWatcher() {
        if (closed) {
            return false;
        }
        try {
            refresh();
            lastRefreshFailure = null;
        } catch (CacheClosedException e) {
            return false;
        } catch (RuntimeException e) {
            lastRefreshFailure = e;
        }
        return true;
    }

    /** {@return whether a directory watcher runs for this cache} */
    boolean isWatching() {
        return watcher != null && watcher.isRunning();
    }

    /**
     * Closes the cache. Lookups from then on throw {@link CacheClosedException}; handles still
     * open stay valid, and the store is closed when the last of them closes. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true; // before invalidateAll takes the overlay's lock: an install after it sees closed and frees its entry
            if (watcher != null) {
                watcher.close();
            }
            invalidateAll();
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

    /** {@return a heap copy of a value stored as an object of a snapshot's store (an overlay entry's)} */
    @SuppressWarnings("unchecked") // the record type was registered for the value codec's class, V
    V decodeObject(Snapshot snapshot, long objectOffset) {
        if (valueBytesCodec != null) {
            return valueBytesCodec.decode(snapshot.store.payload(objectOffset));
        }
        return (V) snapshot.recordType.read(objectOffset);
    }

    /** Writes a value as a mortal object in the current version's private memory; the entry holds a handle on the version. */
    @SuppressWarnings("unchecked") // the record type was registered for the value codec's class, V
    private OverlayEntry newOverlayEntry(V value, long weight) {
        int stripe = Snapshot.stripe();
        Snapshot snapshot = acquire(stripe);
        try {
            long object;
            if (valueBytesCodec != null) {
                byte[] bytes = valueBytesCodec.encode(value);
                object = snapshot.store.allocate(bytes.length);
                MemorySegment.copy(bytes, 0, snapshot.store.payload(object), ValueLayout.JAVA_BYTE, 0, bytes.length);
            } else {
                Ref<? extends Record> written = ((RecordType<Record>) snapshot.recordType).write((Record) value);
                object = written.offset();
            }
            long bytes = snapshot.store.payload(object).byteSize();
            overlayBytes.addAndGet(bytes);
            return OverlayEntry.value(snapshot, stripe, object, bytes, weight);
        } catch (RuntimeException e) {
            snapshot.release(stripe);
            throw e;
        }
    }

    /** {@return an entry's weight in the bound's units: 1, or the weigher's} */
    private long weigh(K key, V value) {
        if (weigher == null) {
            return 1;
        }
        int weight = weigher.weigh(key, value);
        if (weight < 0) {
            throw new IllegalArgumentException("the weigher gave key " + key + " a weight of " + weight + ": expected at least 0");
        }
        return weight;
    }

    /**
     * Links a new entry (or tombstone) into the overlay for a key, replacing the key's entry,
     * admits it to the policy and unlinks the victims it names; then releases the map's
     * reference of every entry unlinked (outside the lock: a release may free an object and
     * close a version).
     *
     * @throws CacheClosedException if the cache closed meanwhile (the new entry is freed)
     */
    private void install(OverlayKey key, OverlayEntry entry) {
        List<OverlayEntry> unlinked = new ArrayList<>(2);
        boolean wasClosed;
        overlayLock.lock();
        try {
            wasClosed = closed;
            if (wasClosed) {
                unlinked.add(entry);
            } else if (bound < 0) {
                overlayUsed = true;
                addIfNotNull(unlinked, overlay.put(key, entry));
            } else {
                overlayUsed = true;
                admit(key, entry, unlinked);
            }
        } finally {
            overlayLock.unlock();
        }
        unlinked.forEach(this::drop);
        if (wasClosed) {
            checkOpen("put");
        }
    }

    /** The bounded half of {@link #install}; under {@link #overlayLock}. */
    private void admit(OverlayKey key, OverlayEntry entry, List<OverlayEntry> unlinked) {
        OverlayEntry old = overlay.get(key);
        if (old != null && policy != null) {
            policy.onRemove(old.policyEntry); // replacing is a removal, not an eviction
        }
        if (policy == null) { // bound 0: nothing is ever resident
            addIfNotNull(unlinked, overlay.remove(key));
            unlinked.add(entry);
            countEviction(entry.weight);
            return;
        }
        boolean[] evictedItself = new boolean[1];
        PolicyEntry<OverlayKey> admitted = policy.onAdmit(key, entry.weight, victim -> {
            if (victim.key() == key) { // no other resident entry has this key: old was removed
                evictedItself[0] = true;
                countEviction(entry.weight);
                return;
            }
            OverlayEntry evicted = overlay.remove(victim.key());
            assert evicted != null && evicted.policyEntry == victim : victim + " named for " + evicted;
            unlinked.add(evicted);
            countEviction(evicted.weight);
        });
        if (evictedItself[0]) {
            addIfNotNull(unlinked, overlay.remove(key));
            unlinked.add(entry);
        } else {
            entry.policyEntry = admitted; // before the put publishes the entry to lookups
            addIfNotNull(unlinked, overlay.put(key, entry));
        }
    }

    private static void addIfNotNull(List<OverlayEntry> list, OverlayEntry entry) {
        if (entry != null) {
            list.add(entry);
        }
    }

    /** Drops the map's reference of an entry unlinked from it. */
    private void drop(OverlayEntry removed) {
        if (removed != null && !removed.isTombstone()) {
            overlayBytes.addAndGet(-removed.valueBytes);
            removed.release();
        }
    }

    /** {@return whether the current version's frozen table holds a key} */
    private boolean isFrozen(K key, OverlayKey encoded) {
        int stripe = Snapshot.stripe();
        Snapshot snapshot = acquire(stripe);
        try {
            return snapshot.find(key, encoded.bytes(), encoded.hash()) >= 0;
        } finally {
            snapshot.release(stripe);
        }
    }

    /** A hit on an overlay entry or tombstone, for the policy: S3-FIFO's capped counter, on the entry alone, no lock. */
    private void recordAccess(OverlayEntry entry) {
        PolicyEntry<OverlayKey> policyEntry = entry.policyEntry;
        if (policyEntry != null) {
            policy.onAccess(policyEntry);
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

    /** {@return the overlay's entries and tombstones now: for tests} */
    long overlayCount() {
        return overlay.size();
    }

    /** {@return the summed weight of the overlay's entries and tombstones now: for tests} */
    long overlayWeight() {
        return overlay.values().stream().mapToLong(entry -> entry.weight).sum();
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

    private void countOverlayHit() {
        if (recordStats) {
            overlayHits.increment();
        }
    }

    private void countLoad(boolean success, long startNanos) {
        if (recordStats) {
            (success ? loadSuccesses : loadFailures).increment();
            loadNanos.add(System.nanoTime() - startNanos);
        }
    }

    private void countEviction(long weight) {
        if (recordStats) {
            evictions.increment();
            evictedWeight.add(weight);
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
        private boolean watchDirectory;

        private Builder(Codec<K> keyCodec, Codec<V> valueCodec) {
            this.keyCodec = Objects.requireNonNull(keyCodec, "keyCodec");
            this.valueCodec = Objects.requireNonNull(valueCodec, "valueCodec");
            if (keyCodec instanceof RecordCodec<?> record) {
                throw new IllegalArgumentException("a record codec (" + record.name()
                        + ") stores values only: keys are compared as bytes, use a ByteCodec");
            }
        }

        /**
         * Bounds this worker's overlay by entry count: entries and tombstones together, evicted
         * by S3-FIFO. 0 keeps nothing.
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
         * Bounds this worker's overlay by summed weight (a tombstone weighs 1); needs a {@link #weigher}.
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
         * Counts hits, misses, loads and evictions ({@link SharedCache#stats()}); off, neither the
         * hit path nor an eviction counts anything (the overlay's byte count is kept either way).
         *
         * @return this builder
         */
        public Builder<K, V> recordStats() {
            this.recordStats = true;
            return this;
        }

        /**
         * Watches the cache directory and {@linkplain SharedCache#refresh() refreshes} when a
         * writer publishes: new lookups see the new version within moments (a file-system
         * notification, or at most a second where none is delivered), with no call of the
         * application's. A failed automatic refresh keeps the version the cache has
         * ({@link SharedCache#lastRefreshFailure()}). One daemon thread per cache, stopped by
         * {@link SharedCache#close()}.
         *
         * @return this builder
         */
        public Builder<K, V> watchDirectory() {
            this.watchDirectory = true;
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
