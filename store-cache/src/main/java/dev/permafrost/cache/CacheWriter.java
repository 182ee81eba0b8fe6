package dev.permafrost.cache;

import static dev.permafrost.cache.CacheFormat.U64;

import dev.permafrost.error.PermafrostException;
import dev.permafrost.error.StoreAccessException;
import dev.permafrost.error.StoreStateException;
import dev.permafrost.layout.CacheFilterDescriptor;
import dev.permafrost.layout.CacheHeaderDescriptor;
import dev.permafrost.layout.CacheSlotDescriptor;
import dev.permafrost.store.RecordType;
import dev.permafrost.store.Ref;
import dev.permafrost.store.Store;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Builds one version of a cache's frozen base and publishes it. Entries go into the new
 * version file as they are put (the heap keeps 32 to 48 bytes per entry: its hash, its position
 * and a dedup index); {@link #publish()} builds the hash table, freezes the store and makes it the
 * directory's current version atomically. A later {@link #put} of a key wins (the earlier
 * entry's bytes stay behind as dead bytes in the file).
 *
 * <p>Lifecycle: {@code OPEN → PUBLISHED} or {@code OPEN → CLOSED}. {@link #close()} without
 * {@link #publish()} publishes nothing and deletes the version file. A writer killed at any
 * moment leaves {@code CURRENT} as it was; its file is deleted by the next publish in the directory.
 *
 * <p>Thread rules: one thread at a time. Several writers of one directory do not corrupt it,
 * but the last one to publish wins.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class CacheWriter<K, V> implements AutoCloseable {
    /**
     * Sparse capacity of a version file being built: reserves address space, costs no disk. The
     * reservation of a closed store goes when the store is collected (raw readers racing a close
     * must read zeros, not fault), so a process that publishes many versions between collections
     * holds one per version: 256 GiB each leaves room for about 500 of them in the 128 TiB of a
     * process's address space (at 1 TiB, about 90 made {@code mmap} fail).
     */
    private static final long CAPACITY_BYTES = 256L << 30;
    private static final long FIRST_CHUNK_BYTES = 4096;
    private static final long INDEX_HASH_MASK = 0xFFFF_FFFF_0000_0000L;
    /**
     * Tables tried per hash algorithm, each an eighth larger than the last, before the writer
     * gives it up. With hashes that spread, the first always holds every entry within 255 slots
     * of its home (the longest displacement at 1,000,000 entries is in the tens); a failure means
     * hundreds of keys share a hash.
     */
    private static final int TABLE_ATTEMPTS = 4;

    private enum State { OPEN, PUBLISHED, CLOSED }

    private final Path directory;
    private final ByteCodec<K> keyCodec;
    /** Whether the keys are {@link Codecs#string()}'s, whose table the writer hashes with algorithm 2 if it can. */
    private final boolean stringKeys;
    private final Codec<V> valueCodec;
    private final ByteCodec<V> valueBytesCodec; // null for record values
    private final RecordType<? extends Record> recordType; // null for byte values
    private final long version;
    private final Path file;
    private final Store store;
    private State state = State.OPEN;

    private long[] chunkOffsets = new long[16];
    private MemorySegment[] chunks = new MemorySegment[16];
    private int chunkCount;
    private MemorySegment chunk; // the one being filled
    private long chunkFill;
    /** Bytes of every chunk so far, headers included. */
    private long chunkBytes;

    /** Algorithm 1 hashes of the entries' keys: the dedup index's, and the table's if algorithm 2 is not used. */
    private long[] hashes = new long[1024];
    /** For string keys: the keys' {@code String.hashCode}, from which algorithm 2 hashes. */
    private int[] stringHashCodes;
    private long[] positions = new long[1024];
    private int entryCount;
    /** Open addressing, power-of-two, load at most 1/2: the hash's high half | entry number + 1, 0 for empty. */
    private long[] index = new long[2048];
    private long keyBytes;
    private long valueBytes;

    CacheWriter(Path directory, Codec<K> keyCodec, Codec<V> valueCodec) {
        this.directory = Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(keyCodec, "keyCodec");
        this.valueCodec = Objects.requireNonNull(valueCodec, "valueCodec");
        this.keyCodec = switch (keyCodec) {
            case ByteCodec<K> bytes -> bytes;
            case RecordCodec<?> record -> throw new IllegalArgumentException("a record codec (" + record.name()
                    + ") stores values only: keys are compared as bytes, use a ByteCodec");
        };
        this.stringKeys = keyCodec == Codecs.string();
        this.stringHashCodes = stringKeys ? new int[hashes.length] : null;
        checkName(keyCodec.name());
        checkName(valueCodec.name());
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new StoreAccessException(directory, PermafrostException.NO_OFFSET, "cannot create the cache directory: " + e, e);
        }
        CacheDirectory.deleteUnused(directory); // what writers killed before publishing left
        long next = Math.max(CacheDirectory.currentVersionOrNone(directory),
                CacheDirectory.versions(directory).isEmpty() ? 0 : CacheDirectory.versions(directory).lastKey()) + 1;
        Store created = null;
        Path path = null;
        for (int attempt = 0; created == null; attempt++, next++) {
            path = directory.resolve(CacheDirectory.versionName(next));
            try {
                created = Store.create(path, CAPACITY_BYTES);
            } catch (PermafrostException e) {
                if (!(e.getCause() instanceof FileAlreadyExistsException) && !Files.exists(path) || attempt > 100) {
                    throw e;
                }
            }
        }
        this.version = next - 1;
        this.file = path;
        this.store = created;
        try {
            if (valueCodec instanceof RecordCodec<?> record) {
                this.recordType = store.types().register(record.recordClass(), record.lookup());
                this.valueBytesCodec = null;
            } else {
                this.recordType = null;
                this.valueBytesCodec = (ByteCodec<V>) valueCodec;
            }
        } catch (RuntimeException e) {
            abandon(e);
            throw e;
        }
    }

    /** {@return the number this version will have once published} */
    public long version() {
        return version;
    }

    /** {@return the version file being built} */
    public Path file() {
        return file;
    }

    /** {@return distinct keys put so far} */
    public long size() {
        return entryCount;
    }

    /**
     * Adds an entry, or replaces the value of a key put before.
     *
     * @param key   not null; its encoding at most 65,535 bytes
     * @param value not null
     * @throws NullPointerException     if either is null
     * @throws IllegalArgumentException if the key's encoding is too long
     * @throws StoreStateException      if the writer was published or closed
     */
    public void put(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        checkOpen("put");
        byte[] keyEncoded = keyCodec.encode(key);
        if (keyEncoded.length > CacheFormat.MAX_KEY_BYTES) {
            throw new IllegalArgumentException("key of " + keyEncoded.length + " bytes is longer than "
                    + CacheFormat.MAX_KEY_BYTES + " (" + file + ")");
        }
        int stringHashCode = 0;
        if (stringKeys) {
            stringHashCode = KeyHash.stringHashCode(keyEncoded);
            if (stringHashCode != key.hashCode()) {
                throw new IllegalArgumentException("the key of " + ((String) key).length() + " chars has an unpaired surrogate at char "
                        + unpairedSurrogate((String) key) + ": its UTF-8 bytes would be another string's (" + file + ")");
            }
        }
        long hash = KeyHash.hash(keyEncoded);
        int slot = find(keyEncoded, hash);
        long position = valueBytesCodec != null ? appendBytes(keyEncoded, valueBytesCodec.encode(value)) : appendRecord(keyEncoded, value);
        keyBytes += keyEncoded.length;
        int entry = entry(index[slot]);
        if (entry >= 0) { // a later put wins; the earlier entry's bytes stay as dead bytes
            keyBytes -= keyEncoded.length;
            valueBytes -= dropValue(positions[entry]);
            positions[entry] = position;
            return;
        }
        if (entryCount == hashes.length) {
            hashes = Arrays.copyOf(hashes, entryCount * 2);
            positions = Arrays.copyOf(positions, entryCount * 2);
            if (stringKeys) {
                stringHashCodes = Arrays.copyOf(stringHashCodes, entryCount * 2);
            }
        }
        if (stringKeys) {
            stringHashCodes[entryCount] = stringHashCode;
        }
        hashes[entryCount] = hash;
        positions[entryCount] = position;
        index[slot] = hash & INDEX_HASH_MASK | ++entryCount;
        if (entryCount * 2L > index.length) {
            growIndex();
        }
    }

    /**
     * Returns the stored object of the value put for a key, so that a record value put later can
     * reference it (a field of type {@code Ref<V>}): writing that record takes a counted
     * reference, so the object stays as long as a referrer does, even if a later put of the key
     * replaces it. Readers follow such a field with the record's accessors.
     *
     * @param key a key put before, not null
     * @return the value's object in the version being built
     * @throws NullPointerException     if the key is null
     * @throws IllegalArgumentException if the key was not put, or the values are not records
     * @throws StoreStateException      if the writer was published or closed
     */
    public Ref<V> valueRef(K key) {
        Objects.requireNonNull(key, "key");
        checkOpen("look up a value's object");
        if (recordType == null) {
            throw new IllegalArgumentException("the values (" + valueCodec.name() + ") are bytes, not records: they are"
                    + " not objects to reference");
        }
        byte[] keyEncoded = keyCodec.encode(key);
        int entry = entry(index[find(keyEncoded, KeyHash.hash(keyEncoded))]);
        if (entry < 0) {
            throw new IllegalArgumentException("no value was put for the key " + key + " (" + file + ")");
        }
        return Ref.to(outOfLineObject(positions[entry]));
    }

    /**
     * Puts every entry of a map, in its iteration order.
     *
     * @param entries not null, nor any key or value
     * @throws NullPointerException if a key or value is null (entries before it were put)
     */
    public void putAll(Map<? extends K, ? extends V> entries) {
        for (Map.Entry<? extends K, ? extends V> entry : entries.entrySet()) {
            put(entry.getKey(), entry.getValue());
        }
    }

    /**
     * Builds the frozen hash table (every hash computed now: readers write nothing), freezes
     * the store, syncs it and makes it the directory's current version by renaming
     * {@code CURRENT} atomically; then deletes versions no process has open, keeping the
     * newest two. The writer is done afterwards.
     *
     * @return the published version's number
     * @throws StoreStateException if already published or closed
     */
    public long publish() {
        checkOpen("publish");
        try {
            Table table = stringKeys ? placeTable(stringTableHashes(), CacheHeaderDescriptor.HASH_STRING) : null;
            if (table == null) { // keys that are not strings, or strings whose hash codes crowd: hash their bytes
                table = placeTable(hashes, CacheHeaderDescriptor.HASH_KEY_BYTES);
            }
            if (table == null) {
                throw new KeyCollisionException(directory, file, "more than " + CacheSlotDescriptor.MAX_DISPLACEMENT
                        + " of the " + entryCount + " keys crowd around one home slot with both hash algorithms, in "
                        + TABLE_ATTEMPTS + " table sizes each: keys made to collide (hash algorithm 1 is not keyed)");
            }
            long directoryOffset = store.allocate((long) chunkCount * Long.BYTES);
            MemorySegment chunkDirectory = store.payload(directoryOffset);
            for (int i = 0; i < chunkCount; i++) {
                chunkDirectory.setAtIndex(U64, i, chunkOffsets[i]);
            }
            byte[] keyName = keyCodec.name().getBytes(StandardCharsets.UTF_8);
            byte[] valueName = valueCodec.name().getBytes(StandardCharsets.UTF_8);
            long headerOffset = store.allocate(CacheHeaderDescriptor.headerBytes(keyName.length, valueName.length));
            CacheHeaderDescriptor.encode(store.payload(headerOffset), CacheHeaderDescriptor.Header.current(table.hashAlgorithm(),
                    entryCount, table.homeSlots(), table.offset(), table.filterOffset(), directoryOffset, chunkCount, table.longestProbe(), keyBytes,
                    valueBytes, version, keyCodec.name(), valueCodec.name()));
            store.types().adoptRoot(CacheFormat.ROOT_NAME, Ref.to(headerOffset));
            store.freeze(); // checksummed, trimmed, synced, read-only; the store keeps a shared lock on it
            CacheDirectory.publish(directory, file); // the lock is held until CURRENT names the file
            state = State.PUBLISHED;
            store.close();
        } catch (RuntimeException e) {
            abandon(e);
            throw e;
        }
        CacheDirectory.deleteUnused(directory);
        return version;
    }

    /** Closes the writer; without {@link #publish()}, deletes the version file: nothing is published. Idempotent. */
    @Override
    public void close() {
        if (state == State.OPEN) {
            abandon(null);
        }
    }

    @Override
    public String toString() {
        return "CacheWriter[" + file + ", " + entryCount + " entries, " + state + "]";
    }

    /** {@return the index of the string's first unpaired surrogate, or -1} */
    private static int unpairedSurrogate(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A placed table: its object, home slot count, longest displacement, the hash algorithm that
     * placed it and the filter of the same hashes.
     */
    private record Table(long offset, long homeSlots, int longestProbe, int hashAlgorithm, long filterOffset) {
    }

    /**
     * Places the entries in a table by their hashes, in home order, trying {@link #TABLE_ATTEMPTS}
     * sizes while an entry would lie more than 255 slots from its home.
     *
     * @param tableHashes   the entries' hashes
     * @param hashAlgorithm the algorithm that gave them, for the header
     * @return the table and its filter, or {@code null} if no size held every entry (nothing is left allocated)
     */
    private Table placeTable(long[] tableHashes, int hashAlgorithm) {
        long homeSlots = CacheSlotDescriptor.homeSlotCount(entryCount);
        for (int attempt = 0; attempt < TABLE_ATTEMPTS; attempt++, homeSlots += homeSlots / 8 + 1) {
            long tail = CacheSlotDescriptor.tailSlots(homeSlots);
            long slotCount = CacheSlotDescriptor.homeSlotsFillingTheBlock(homeSlots, tail);
            long offset = store.allocate((slotCount + tail) * Long.BYTES);
            int longest = TableOrder.place(tableHashes, positions, entryCount, slotCount, store.payload(offset));
            if (longest >= 0) {
                return new Table(offset, slotCount, longest, hashAlgorithm, filter(tableHashes));
            }
            store.release(offset);
        }
        return null;
    }

    /** {@return the filter's object, each entry's bits set in its word ({@link CacheFilterDescriptor})} */
    private long filter(long[] tableHashes) {
        long words = CacheFilterDescriptor.wordCount(entryCount);
        long offset = store.allocate(words * CacheFilterDescriptor.WORD_LENGTH);
        MemorySegment filter = store.payload(offset);
        filter.fill((byte) 0); // the block may be a released table's
        for (int i = 0; i < entryCount; i++) {
            long word = CacheFormat.filterWord(tableHashes[i], words);
            filter.setAtIndex(CacheFormat.FILTER_WORD, word,
                    filter.getAtIndex(CacheFormat.FILTER_WORD, word) | CacheFormat.filterMask(tableHashes[i]));
        }
        return offset;
    }

    /** {@return the entries' hashes by algorithm 2} */
    private long[] stringTableHashes() {
        long[] tableHashes = new long[entryCount];
        for (int i = 0; i < entryCount; i++) {
            tableHashes[i] = KeyHash.ofString(stringHashCodes[i]);
        }
        return tableHashes;
    }

    /**
     * The slot of the dedup index for the key: its entry's, or the empty one it would go in. A
     * slot holds the hash's high half and the entry's number + 1, so a probe compares hashes
     * without reading {@link #hashes}, and growing reads no hash either.
     */
    private int find(byte[] key, long hash) {
        int mask = index.length - 1;
        long high = hash & INDEX_HASH_MASK;
        int at = (int) (hash >>> 32) & mask;
        while (true) {
            long slot = index[at];
            if (slot == 0 || (slot & INDEX_HASH_MASK) == high && hashes[entry(slot)] == hash
                    && keyEquals(positions[entry(slot)], key)) {
                return at;
            }
            at = (at + 1) & mask;
        }
    }

    /** {@return the entry number a full slot of the dedup index holds} */
    private static int entry(long slot) {
        return (int) slot - 1;
    }

    private boolean keyEquals(long position, byte[] key) {
        MemorySegment in = chunks[(int) (position >>> CacheFormat.CHUNK_SHIFT)];
        long at = position & CacheFormat.IN_CHUNK_MASK;
        long length = CacheFormat.getVarint(in, at) >>> 1;
        if (length != key.length) {
            return false;
        }
        long start = CacheFormat.varintEnd(in, CacheFormat.varintEnd(in, at));
        return MemorySegment.mismatch(in, start, start + length, MemorySegment.ofArray(key), 0, length) == -1;
    }

    private void growIndex() {
        long[] grown = new long[index.length * 2];
        int mask = grown.length - 1;
        for (long slot : index) {
            if (slot != 0) {
                int at = (int) (slot >>> 32) & mask;
                while (grown[at] != 0) {
                    at = (at + 1) & mask;
                }
                grown[at] = slot;
            }
        }
        index = grown;
    }

    private long appendBytes(byte[] key, byte[] value) {
        if (value.length > CacheFormat.MAX_INLINE_VALUE_BYTES) {
            long object = store.allocate(value.length);
            MemorySegment.copy(value, 0, store.payload(object), ValueLayout.JAVA_BYTE, 0, value.length);
            valueBytes += value.length;
            return appendOutOfLine(key, object, value.length);
        }
        long entryBytes = CacheFormat.varintBytes((long) key.length << 1) + CacheFormat.varintBytes(value.length)
                + key.length + value.length;
        long position = reserve(entryBytes);
        long at = CacheFormat.putVarint(chunk, chunkFill, (long) key.length << 1);
        at = CacheFormat.putVarint(chunk, at, value.length);
        MemorySegment.copy(key, 0, chunk, ValueLayout.JAVA_BYTE, at, key.length);
        MemorySegment.copy(value, 0, chunk, ValueLayout.JAVA_BYTE, at + key.length, value.length);
        chunkFill += entryBytes;
        valueBytes += value.length;
        return position;
    }

    @SuppressWarnings("unchecked") // the record type was registered for the value codec's class, V
    private long appendRecord(byte[] key, V value) {
        Ref<? extends Record> object = ((RecordType<Record>) recordType).write((Record) value);
        long length = store.payload(object).byteSize();
        valueBytes += length;
        return appendOutOfLine(key, object.offset(), length);
    }

    private long appendOutOfLine(byte[] key, long objectOffset, long valueLength) {
        long entryBytes = CacheFormat.varintBytes((long) key.length << 1 | 1) + CacheFormat.varintBytes(valueLength)
                + key.length + Long.BYTES;
        long position = reserve(entryBytes);
        long at = CacheFormat.putVarint(chunk, chunkFill, (long) key.length << 1 | 1);
        at = CacheFormat.putVarint(chunk, at, valueLength);
        MemorySegment.copy(key, 0, chunk, ValueLayout.JAVA_BYTE, at, key.length);
        chunk.set(U64, at + key.length, objectOffset);
        chunkFill += entryBytes;
        return position;
    }

    /** Releases the out-of-line object of a replaced entry; returns the value bytes it counted. */
    private long dropValue(long position) {
        long object = outOfLineObject(position);
        if (object != 0) {
            store.release(object);
        }
        MemorySegment in = chunks[(int) (position >>> CacheFormat.CHUNK_SHIFT)];
        return CacheFormat.getVarint(in, CacheFormat.varintEnd(in, position & CacheFormat.IN_CHUNK_MASK));
    }

    /** {@return the object of the out-of-line value of the entry at a position, or 0 if its value is inline} */
    private long outOfLineObject(long position) {
        MemorySegment in = chunks[(int) (position >>> CacheFormat.CHUNK_SHIFT)];
        long at = position & CacheFormat.IN_CHUNK_MASK;
        long keyField = CacheFormat.getVarint(in, at);
        return (keyField & 1) == 0 ? 0 : in.get(U64, CacheFormat.varintEnd(in, CacheFormat.varintEnd(in, at)) + (keyField >>> 1));
    }

    /** Makes room for an entry in the chunk being filled, or in a new one; returns the entry's position. */
    private long reserve(long entryBytes) {
        if (chunk == null || chunkFill + entryBytes > chunk.byteSize()) {
            if (chunkCount == CacheFormat.MAX_CHUNKS) {
                throw new StoreStateException(file, PermafrostException.NO_OFFSET, "the cache is full: "
                        + CacheFormat.MAX_CHUNKS + " chunks of entries");
            }
            // a chunk is a power of two from 4 KiB to 1 MiB, at most 1/256 of the bytes so far: a small
            // cache stays small, and the last chunk's unused tail is at most 1/256 of the entries' bytes
            long blockBytes = Math.min(1L << CacheFormat.CHUNK_SHIFT, Long.highestOneBit(Math.max(FIRST_CHUNK_BYTES, chunkBytes / 256)));
            while (blockBytes - CacheFormat.OBJECT_HEADER_BYTES < entryBytes + 1) {
                blockBytes <<= 1;
            }
            long offset = store.allocate(blockBytes - CacheFormat.OBJECT_HEADER_BYTES); // a block of exactly blockBytes
            if (chunkCount == chunks.length) {
                chunks = Arrays.copyOf(chunks, chunkCount * 2);
                chunkOffsets = Arrays.copyOf(chunkOffsets, chunkCount * 2);
            }
            chunk = store.payload(offset);
            chunks[chunkCount] = chunk;
            chunkOffsets[chunkCount++] = offset;
            chunkFill = chunkCount == 1 ? 1 : 0; // position 0 is never an entry's: no full slot is 0
            chunkBytes += blockBytes;
        }
        return ((long) (chunkCount - 1) << CacheFormat.CHUNK_SHIFT) | chunkFill;
    }

    private void checkOpen(String operation) {
        if (state != State.OPEN) {
            throw new StoreStateException(file, PermafrostException.NO_OFFSET, "cannot " + operation + ": the writer is "
                    + (state == State.PUBLISHED ? "published" : "closed"));
        }
    }

    /** Closes the store and deletes its file: nothing of this writer stays behind. */
    private void abandon(RuntimeException failure) {
        state = State.CLOSED;
        try {
            store.close();
        } catch (RuntimeException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
        try {
            if (CacheDirectory.currentVersionOrNone(directory) != version) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }

    private static void checkName(String name) {
        if (name == null || name.getBytes(StandardCharsets.UTF_8).length > CacheFormat.MAX_CODEC_NAME_BYTES) {
            throw new IllegalArgumentException("a codec's name must be 1 to " + CacheFormat.MAX_CODEC_NAME_BYTES
                    + " bytes of UTF-8, not " + (name == null ? "null" : "'" + name + "'"));
        }
    }
}
