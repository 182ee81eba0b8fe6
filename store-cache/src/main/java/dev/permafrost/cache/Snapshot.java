package dev.permafrost.cache;

import static dev.permafrost.cache.CacheFormat.U64;

import dev.permafrost.error.CorruptStoreException;
import dev.permafrost.error.IncompatibleVersionException;
import dev.permafrost.error.NotAStoreException;
import dev.permafrost.error.PermafrostException;
import dev.permafrost.error.ReferenceCountException;
import dev.permafrost.layout.CacheHeaderDescriptor;
import dev.permafrost.store.OpenMode;
import dev.permafrost.store.RecordType;
import dev.permafrost.store.Ref;
import dev.permafrost.store.Store;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One version of a cache, open copy-on-write: its store, its frozen table, and the count of the
 * handles open on it, kept on the heap in stripes (one cache line each, picked by thread) so
 * that threads doing lookups do not share a written line.
 *
 * <p>Closing: once {@link #retire retired} (swapped out, or the cache closed) and no handle is
 * open, the store is closed, exactly once. A handle is counted by incrementing its stripe and
 * then reading {@code retired}; a retirer writes {@code retired} and then sums the stripes.
 * Both are volatile, so either the retirer's sum sees the increment (and does not close), or
 * the acquirer sees {@code retired} and backs off (and takes the new version): the store is
 * never closed under an open handle.
 */
final class Snapshot {
    private static final int STRIPES = 16;
    private static final int STRIPE_LONGS = 16; // 128 bytes apart: no false sharing, even with adjacent-line prefetch
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(Snapshot.class, "closed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Path directory;
    final Path file;
    final long version;
    final Store store;
    final long entryCount;
    final long slotCount;
    final int longestProbe;
    final long keyBytes;
    final long valueBytes;
    private final MemorySegment table;
    /** The filter ({@code CacheFilterDescriptor}): a key whose bits are not all set in its word is absent. */
    private final MemorySegment filter;
    private final long filterWords;
    /** The chunks' offsets, checked for its length at open. */
    private final MemorySegment chunkDirectory;
    /**
     * The chunks' payloads, each {@code null} until a lookup first needs it ({@link #chunk}); a
     * segment's fields are final, so one published by a plain store is safe to read in any thread.
     */
    private final MemorySegment[] chunks;
    final RecordType<? extends Record> recordType;
    /** The reader's key codec, which {@link #find} encodes a key with when it needs the bytes. */
    private final ByteCodec<Object> keyCodec;
    /** Whether the table is hashed by algorithm 2 ({@link KeyHash#ofString}), else by algorithm 1 of the key's bytes. */
    final boolean stringHashed;
    private final long[] counts = new long[STRIPES * STRIPE_LONGS];
    private volatile boolean retired;
    @SuppressWarnings("unused") // through CLOSED
    private volatile int closed;

    @SuppressWarnings("unchecked") // the reader's key codec encodes the keys the reader is given
    private Snapshot(Path directory, Path file, Store store, Codec<?> keyCodec, Codec<?> valueCodec) {
        this.directory = directory;
        this.file = file;
        this.store = store;
        Optional<Ref<?>> root = store.types().root(CacheFormat.ROOT_NAME);
        if (root.isEmpty()) {
            throw new NotACacheException(directory, file, PermafrostException.NO_OFFSET, "the store has no root '"
                    + CacheFormat.ROOT_NAME + "': it is not a cache version (roots: " + store.types().rootNames() + ")", null);
        }
        long headerOffset = root.get().offset();
        MemorySegment headerPayload = store.payload(headerOffset);
        if (!CacheHeaderDescriptor.hasMagic(headerPayload)) {
            throw new NotACacheException(directory, file, headerOffset, "root '" + CacheFormat.ROOT_NAME
                    + "' does not name a cache header (no magic PFCACHE1)", null);
        }
        CacheHeaderDescriptor.Header header = CacheHeaderDescriptor.decode(headerPayload);
        if (!header.isKnownFormat()) {
            throw new CorruptCacheException(directory, file, headerOffset, "cache format " + header.formatVersion()
                    + " with hash " + header.hashAlgorithm() + ", position bits " + header.positionBits() + ", chunk shift "
                    + header.chunkShift() + ": this reader knows format " + CacheHeaderDescriptor.FORMAT_VERSION
                    + " (hash 1, 40, 20) only", null);
        }
        String keyName = header.keyCodecName();
        String valueName = header.valueCodecName();
        if (!keyName.equals(keyCodec.name()) || !valueName.equals(valueCodec.name())) {
            throw new CodecMismatchException(directory, file, headerOffset, "the version was built with key codec '"
                    + keyName + "' and value codec '" + valueName + "'; the reader has key codec '" + keyCodec.name()
                    + "' and value codec '" + valueCodec.name() + "'", null);
        }
        this.stringHashed = header.hashAlgorithm() == CacheHeaderDescriptor.HASH_STRING;
        if (stringHashed && keyCodec != Codecs.string()) {
            throw new CodecMismatchException(directory, file, headerOffset, "the version's table is hashed by the keys'"
                    + " String.hashCode (hash algorithm 2), which only Codecs.string() gives; the reader's key codec '"
                    + keyCodec.name() + "' is another", null);
        }
        this.keyCodec = (ByteCodec<Object>) keyCodec;
        this.entryCount = header.entryCount();
        this.slotCount = header.slotCount();
        this.longestProbe = header.longestProbe();
        this.keyBytes = header.keyBytes();
        this.valueBytes = header.valueBytes();
        this.version = header.version();
        this.table = object(header.tableOffset(), "table");
        this.filter = object(header.filterOffset(), "filter");
        this.filterWords = filter.byteSize() / Long.BYTES;
        if (filterWords == 0 || filter.byteSize() % Long.BYTES != 0) {
            throw corrupt(headerOffset, "the filter has " + filter.byteSize() + " bytes: not a positive number of 8-byte words");
        }
        long tableSlots = table.byteSize() / Long.BYTES;
        if (slotCount <= entryCount || table.byteSize() % Long.BYTES != 0 || tableSlots <= slotCount
                || table.getAtIndex(CacheFormat.SLOT, tableSlots - 1) != 0) {
            throw corrupt(headerOffset, "the table has " + table.byteSize() + " bytes for " + slotCount + " home slots and "
                    + entryCount + " entries, or its last slot is not empty");
        }
        int chunkCount = header.chunkCount();
        MemorySegment chunkDirectory = object(header.chunkDirectoryOffset(), "chunk directory");
        if (chunkCount < 0 || chunkCount > CacheFormat.MAX_CHUNKS || chunkDirectory.byteSize() != (long) chunkCount * Long.BYTES) {
            throw corrupt(headerOffset, "the chunk directory has " + chunkDirectory.byteSize() + " bytes for " + chunkCount + " chunks");
        }
        this.chunkDirectory = chunkDirectory;
        this.chunks = new MemorySegment[chunkCount]; // each resolved at its first lookup: an open reads no chunk
        if (valueCodec instanceof RecordCodec<?> record) {
            this.recordType = store.types().register(record.recordClass(), record.lookup());
        } else {
            this.recordType = null;
        }
    }

    /**
     * Opens the directory's current version. Fails with a typed exception, having closed
     * whatever it opened; retries when {@code CURRENT} moved on while it opened.
     */
    static Snapshot openCurrent(Path directory, Codec<?> keyCodec, Codec<?> valueCodec, long privateBytes) {
        for (int attempt = 0; ; attempt++) {
            Path file = CacheDirectory.current(directory);
            try {
                return open(directory, file, keyCodec, valueCodec, privateBytes);
            } catch (MissingVersionException e) {
                if (attempt >= 3 || file.equals(CacheDirectory.current(directory))) {
                    throw e; // a version deleted under a reader that read an old CURRENT is read again
                }
            }
        }
    }

    static Snapshot open(Path directory, Path file, Codec<?> keyCodec, Codec<?> valueCodec, long privateBytes) {
        if (!Files.exists(file)) {
            throw new MissingVersionException(directory, file, PermafrostException.NO_OFFSET,
                    "CURRENT names " + file.getFileName() + ", which does not exist", null);
        }
        Store store;
        try {
            store = Store.open(file, OpenMode.COPY_ON_WRITE, privateBytes);
        } catch (NotAStoreException | CorruptStoreException | IncompatibleVersionException e) {
            throw new CorruptCacheException(directory, file, e.offset(), "the version file is damaged: " + e.getMessage(), e);
        } catch (PermafrostException e) {
            if (!Files.exists(file)) { // deleted since it was looked for: the caller reads CURRENT again
                throw new MissingVersionException(directory, file, PermafrostException.NO_OFFSET,
                        "CURRENT names " + file.getFileName() + ", which was deleted as it was opened", e);
            }
            throw e;
        }
        try {
            if (!store.isFrozen()) {
                throw new NotACacheException(directory, file, PermafrostException.NO_OFFSET,
                        "the store is not frozen: a cache version is always frozen", null);
            }
            return new Snapshot(directory, file, store, keyCodec, valueCodec);
        } catch (ReferenceCountException | IndexOutOfBoundsException e) {
            store.close();
            throw new CorruptCacheException(directory, file, PermafrostException.NO_OFFSET, "the cache table is damaged: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Finds a key. The probe visits each slot at most once and stops at the table's last slot at
     * the latest, which is empty; an entry that points outside its chunk is a
     * {@link CorruptCacheException}: a damaged table neither loops nor reads elsewhere.
     *
     * <p>The filter answers first: most absent keys end after one load of it, and read no slot.
     * A table hashed by algorithm 2 takes the key's {@code String.hashCode} (cached in the
     * string) and encodes the key only when a slot's fingerprint matches: a miss reads neither
     * the key's characters nor its bytes.
     *
     * @param key      the key
     * @param encoded  its bytes by the key codec, or {@code null} if the caller has not encoded it
     * @param byteHash {@link KeyHash#hash} of {@code encoded}, if not {@code null}
     * @return the entry's position, or -1
     */
    long find(Object key, byte[] encoded, long byteHash) {
        byte[] bytes = encoded;
        long hash;
        if (stringHashed) {
            hash = KeyHash.ofString(key.hashCode());
        } else if (bytes != null) {
            hash = byteHash;
        } else {
            bytes = keyCodec.encode(key);
            hash = KeyHash.hash(bytes);
        }
        long bits = CacheFormat.filterMask(hash);
        if ((filter.getAtIndex(CacheFormat.FILTER_WORD, CacheFormat.filterWord(hash, filterWords)) & bits) != bits) {
            return -1; // absent: one load, and a branch a run of misses predicts
        }
        long at = CacheFormat.homeSlot(hash, slotCount);
        long fingerprint = hash & CacheFormat.FINGERPRINT_MASK;
        MemorySegment slots = table;
        try {
            for (long displacement = 0; ; displacement++, at++) { // the last slot is empty (checked at open): the walk ends in the table
                long slot = slots.getAtIndex(CacheFormat.SLOT, at);
                long tag = slot >>> CacheFormat.TAG_SHIFT;
                if (tag == (displacement << CacheFormat.FINGERPRINT_BITS | fingerprint) && slot != 0) {
                    if (bytes == null) {
                        bytes = keyCodec.encode(key);
                    }
                    if (keyEquals(slot & CacheFormat.POSITION_MASK, bytes)) {
                        return slot & CacheFormat.POSITION_MASK;
                    }
                }
                if (slot == 0 || tag >>> CacheFormat.FINGERPRINT_BITS < displacement) {
                    return -1; // empty, or an entry whose home is past this key's: so are the rest
                }
            }
        } catch (IndexOutOfBoundsException e) {
            throw damagedEntry(slots.getAtIndex(CacheFormat.SLOT, at) & CacheFormat.POSITION_MASK, e);
        }
    }

    private boolean keyEquals(long position, byte[] key) {
        MemorySegment in = chunk(position);
        long at = position & CacheFormat.IN_CHUNK_MASK;
        int field = in.get(ValueLayout.JAVA_BYTE, at);
        if (field < 0) { // a key of 64 bytes or more
            field = (int) CacheFormat.getVarint(in, at);
        }
        int length = field >>> 1;
        if (length != key.length) {
            return false;
        }
        long start = CacheFormat.varintEnd(in, CacheFormat.varintEnd(in, at));
        return MemorySegment.mismatch(in, start, start + length, MemorySegment.ofArray(key), 0, length) == -1;
    }

    /** {@return the value's bytes of the entry at a position: inline bytes, or the out-of-line object's payload} */
    MemorySegment valueBytes(long position) {
        try {
            MemorySegment in = chunk(position);
            long at = position & CacheFormat.IN_CHUNK_MASK;
            long keyField = CacheFormat.getVarint(in, at);
            long valueLengthAt = CacheFormat.varintEnd(in, at);
            long start = CacheFormat.varintEnd(in, valueLengthAt) + (keyField >>> 1);
            if ((keyField & 1) == 0) {
                return in.asSlice(start, CacheFormat.getVarint(in, valueLengthAt));
            }
            return store.payload(in.get(U64, start));
        } catch (IndexOutOfBoundsException e) {
            throw damagedEntry(position, e);
        }
    }

    /** {@return the out-of-line object of the entry at a position, or 0 if its value is inline} */
    long valueObject(long position) {
        try {
            MemorySegment in = chunk(position);
            long at = position & CacheFormat.IN_CHUNK_MASK;
            long keyField = CacheFormat.getVarint(in, at);
            return (keyField & 1) == 0 ? 0 : in.get(U64, CacheFormat.varintEnd(in, CacheFormat.varintEnd(in, at)) + (keyField >>> 1));
        } catch (IndexOutOfBoundsException e) {
            throw damagedEntry(position, e);
        }
    }

    /**
     * Returns the chunk that holds a position, resolving it the first time: a chunk's object is
     * checked where it is first read, not at open, so that opening a version costs the same at
     * any size (1,130 chunks at 10,000,000 entries took 13 ms of a fresh JVM's open).
     *
     * @throws CorruptCacheException if the chunk directory names no object for it
     * @throws IndexOutOfBoundsException if the position's chunk is past the directory
     */
    private MemorySegment chunk(long position) {
        int index = (int) (position >>> CacheFormat.CHUNK_SHIFT);
        MemorySegment chunk = chunks[index];
        return chunk != null ? chunk : resolveChunk(index);
    }

    private MemorySegment resolveChunk(int index) {
        MemorySegment chunk = object(chunkDirectory.getAtIndex(U64, index), "chunk " + index);
        chunks[index] = chunk; // a race resolves it twice, to equal segments
        return chunk;
    }

    /** The error of an entry whose position, lengths or varints run outside the chunks: the file is damaged. */
    private CorruptCacheException damagedEntry(long position, IndexOutOfBoundsException cause) {
        return new CorruptCacheException(directory, file, PermafrostException.NO_OFFSET, "the entry at position 0x"
                + Long.toHexString(position) + " (chunk " + (position >>> CacheFormat.CHUNK_SHIFT) + " of " + chunks.length
                + ", byte " + (position & CacheFormat.IN_CHUNK_MASK) + ") runs outside its chunk: " + cause.getMessage(), cause);
    }

    /** {@return every entry's position, in table order: for tests and tools} */
    long[] positions() {
        long[] positions = new long[(int) entryCount];
        int n = 0;
        for (long i = 0; i < table.byteSize() / Long.BYTES; i++) {
            long slot = table.getAtIndex(CacheFormat.SLOT, i);
            if (slot != 0) {
                positions[n++] = slot & CacheFormat.POSITION_MASK;
            }
        }
        return positions;
    }

    /** {@return the key bytes of the entry at a position} */
    MemorySegment keyBytes(long position) {
        MemorySegment in = chunk(position);
        long at = position & CacheFormat.IN_CHUNK_MASK;
        long keyLength = CacheFormat.getVarint(in, at) >>> 1;
        return in.asSlice(CacheFormat.varintEnd(in, CacheFormat.varintEnd(in, at)), keyLength);
    }

    /** {@return this thread's stripe} */
    static int stripe() {
        return (int) Thread.currentThread().threadId() & (STRIPES - 1);
    }

    /**
     * Counts a handle on this snapshot unless it is retired.
     *
     * @return whether it was counted (if not, take the cache's current snapshot again)
     */
    boolean tryAcquire(int stripe) {
        COUNTS.getAndAdd(counts, stripe * STRIPE_LONGS, 1L);
        if (!retired) {
            return true;
        }
        release(stripe);
        return false;
    }

    /** Drops a handle counted on that stripe; the last one of a retired snapshot closes its store. */
    void release(int stripe) {
        COUNTS.getAndAdd(counts, stripe * STRIPE_LONGS, -1L);
        if (retired) {
            closeIfUnused();
        }
    }

    /** No new handles from now on; closes the store now if none is open, else when the last one closes. */
    void retire() {
        retired = true;
        closeIfUnused();
    }

    /** {@return handles open now (a sum of the stripes)} */
    long openHandles() {
        long sum = 0;
        for (int i = 0; i < STRIPES; i++) {
            sum += (long) COUNTS.getVolatile(counts, i * STRIPE_LONGS);
        }
        return sum;
    }

    boolean isClosed() {
        return (int) CLOSED.getVolatile(this) != 0;
    }

    private void closeIfUnused() {
        if (openHandles() == 0 && CLOSED.compareAndSet(this, 0, 1)) {
            store.close();
        }
    }

    private MemorySegment object(long offset, String what) {
        try {
            return store.payload(offset);
        } catch (ReferenceCountException e) {
            throw new CorruptCacheException(directory, file, offset, "the " + what + " is not an object: " + e.getMessage(), e);
        }
    }

    private CorruptCacheException corrupt(long offset, String detail) {
        return new CorruptCacheException(directory, file, offset, detail, null);
    }

    @Override
    public String toString() {
        return "version " + version + " (" + file + ")";
    }
}
