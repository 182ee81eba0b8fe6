package dev.permafrost.heapdump;

import dev.permafrost.error.CorruptStoreException;
import dev.permafrost.layout.CacheEntryDescriptor;
import dev.permafrost.layout.CacheFilterDescriptor;
import dev.permafrost.layout.CacheHeaderDescriptor;
import dev.permafrost.layout.CacheSlotDescriptor;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The caches in a store, read through {@code store-layout}'s cache descriptors (no
 * {@code store-cache} code): a cache version is a store whose root
 * {@value CacheHeaderDescriptor#ROOT_NAME} names a cache header. The header, and the table and
 * chunk directory it names, are checked before anything is reported, so a damaged one is a
 * {@link CorruptStoreException} naming the header's offset (one line, exit code 2, as every
 * other damage that stops {@code info} and {@code histo}).
 */
final class Caches {
    /**
     * One cache, as its header describes it.
     *
     * @param root         the root that names it
     * @param headerOffset the header object
     * @param header       the decoded header
     * @param tableSlots   the table's slots: the home slots and the tail
     * @param filterBytes  the filter's bytes
     * @param fileBytes    the store file's size, which the per-entry overhead is counted from
     */
    record Cache(String root, long headerOffset, CacheHeaderDescriptor.Header header, long tableSlots, long filterBytes,
                 long fileBytes) {
        /** {@return the table's load: entries per home slot} */
        double load() {
            return header.slotCount() == 0 ? 0 : (double) header.entryCount() / header.slotCount();
        }

        /** {@return bytes of the file per entry beyond the entries' key and value bytes} */
        double overheadBytesPerEntry() {
            return header.overheadBytesPerEntry(fileBytes);
        }

        /** {@return the one-line text form, after the root's name} */
        String describe() {
            return String.format(Locale.ROOT, "version %d: %,d entries, %,d table slots (%,d home, load %.2f), filter %s, %.2f"
                            + " bytes per entry beyond keys and values, longest probe %d, hash algorithm %d, codecs %s -> %s,"
                            + " cache format %d",
                    header.version(), header.entryCount(), tableSlots, header.slotCount(), load(), Units.bytes(filterBytes),
                    overheadBytesPerEntry(),
                    header.longestProbe(), header.hashAlgorithm(), header.keyCodecName(), header.valueCodecName(),
                    header.formatVersion());
        }

        /**
         * Writes the cache as a JSON object.
         *
         * @param json a writer where a value may go
         */
        void toJson(Json json) {
            json.beginObject().field("root", root).field("header_offset", headerOffset).field("version", header.version())
                    .field("entries", header.entryCount()).field("table_slots", tableSlots)
                    .field("home_slots", header.slotCount()).field("load", load()).field("filter_bytes", filterBytes)
                    .field("overhead_bytes_per_entry", overheadBytesPerEntry())
                    .field("longest_probe", header.longestProbe())
                    .field("hash_algorithm", header.hashAlgorithm()).field("key_codec", header.keyCodecName())
                    .field("value_codec", header.valueCodecName()).field("key_bytes", header.keyBytes())
                    .field("value_bytes", header.valueBytes()).field("chunks", header.chunkCount())
                    .field("format_version", header.formatVersion()).endObject();
        }
    }

    private Caches() {
    }

    /**
     * Finds and checks the caches of a store.
     *
     * @param image  the store
     * @param tables its tables, read
     * @return its caches, none for a store that is not a cache version
     * @throws CorruptStoreException if a cache's header, table or chunk directory is damaged
     */
    static List<Cache> read(StoreImage image, Tables tables) {
        List<Cache> caches = new ArrayList<>();
        for (Tables.Root root : tables.roots()) {
            if (root.name().equals(CacheHeaderDescriptor.ROOT_NAME) && root.objectOffset() != 0) {
                caches.add(read(image, root));
            }
        }
        return caches;
    }

    private static Cache read(StoreImage image, Tables.Root root) {
        long at = root.objectOffset();
        MemorySegment payload = Tables.payload(image, at, -1, "the cache header", root.nameOffset());
        if (!CacheHeaderDescriptor.hasMagic(payload)) {
            throw damaged(image, at, "root '" + root.name() + "' names an object of " + payload.byteSize()
                    + " bytes without the magic " + CacheHeaderDescriptor.MAGIC_TEXT);
        }
        CacheHeaderDescriptor.Header header;
        try {
            header = CacheHeaderDescriptor.decode(payload);
        } catch (IndexOutOfBoundsException e) {
            throw damaged(image, at, "its codec names run past its " + payload.byteSize() + " bytes");
        }
        if (!header.isKnownFormat()) {
            throw damaged(image, at, "cache format " + header.formatVersion() + " with hash " + header.hashAlgorithm()
                    + ", position bits " + header.positionBits() + ", chunk shift " + header.chunkShift()
                    + "; this build reads format " + CacheHeaderDescriptor.FORMAT_VERSION + " (hash "
                    + CacheHeaderDescriptor.HASH_KEY_BYTES + " or " + CacheHeaderDescriptor.HASH_STRING + ", "
                    + CacheSlotDescriptor.POSITION_BITS + ", "
                    + CacheEntryDescriptor.CHUNK_SHIFT + ")");
        }
        if (header.entryCount() < 0 || header.slotCount() <= header.entryCount()) {
            throw damaged(image, at, header.slotCount() + " home slots for " + header.entryCount() + " entries");
        }
        if (header.chunkCount() < 0 || header.chunkCount() > CacheEntryDescriptor.MAX_CHUNKS
                || header.longestProbe() < 0 || header.longestProbe() > CacheSlotDescriptor.MAX_DISPLACEMENT) {
            throw damaged(image, at, header.chunkCount() + " chunks, longest probe " + header.longestProbe());
        }
        MemorySegment table = Tables.payload(image, header.tableOffset(), -1, "the cache's table",
                at + CacheHeaderDescriptor.TABLE_OFFSET_OFFSET);
        long tableSlots = table.byteSize() / CacheSlotDescriptor.SLOT_LENGTH;
        if (table.byteSize() % CacheSlotDescriptor.SLOT_LENGTH != 0 || tableSlots <= header.slotCount()
                || table.get(CacheSlotDescriptor.SLOT, table.byteSize() - CacheSlotDescriptor.SLOT_LENGTH) != CacheSlotDescriptor.EMPTY) {
            throw damaged(image, at, "its table at " + Units.hex(header.tableOffset()) + " has " + table.byteSize()
                    + " bytes for " + header.slotCount() + " home slots, or its last slot is not empty");
        }
        MemorySegment filter = Tables.payload(image, header.filterOffset(), -1, "the cache's filter",
                at + CacheHeaderDescriptor.FILTER_OFFSET_OFFSET);
        if (filter.byteSize() == 0 || filter.byteSize() % CacheFilterDescriptor.WORD_LENGTH != 0) {
            throw damaged(image, at, "its filter at " + Units.hex(header.filterOffset()) + " has " + filter.byteSize()
                    + " bytes: not a positive number of 8-byte words");
        }
        MemorySegment chunks = Tables.payload(image, header.chunkDirectoryOffset(), -1, "the cache's chunk directory",
                at + CacheHeaderDescriptor.CHUNK_DIRECTORY_OFFSET_OFFSET);
        if (chunks.byteSize() != (long) header.chunkCount() * CacheEntryDescriptor.CHUNK_REFERENCE_LENGTH) {
            throw damaged(image, at, "its chunk directory at " + Units.hex(header.chunkDirectoryOffset()) + " has "
                    + chunks.byteSize() + " bytes for " + header.chunkCount() + " chunks");
        }
        return new Cache(root.name(), at, header, tableSlots, filter.byteSize(), image.fileBytes());
    }

    private static CorruptStoreException damaged(StoreImage image, long headerOffset, String detail) {
        return new CorruptStoreException(image.path(), headerOffset, "damaged cache header: " + detail);
    }
}
