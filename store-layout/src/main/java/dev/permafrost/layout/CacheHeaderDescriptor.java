package dev.permafrost.layout;

import static dev.permafrost.layout.StoreFormat.INT;
import static dev.permafrost.layout.StoreFormat.LONG;
import static dev.permafrost.layout.StoreFormat.SHORT;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * The header of a cache version ({@code store-cache}; {@code docs/FORMAT.md}, "Cache
 * versions"): a raw object named by the root {@value #ROOT_NAME} of a frozen store, from which
 * the table ({@link CacheSlotDescriptor}), the filter ({@link CacheFilterDescriptor}) and the
 * chunks of entries ({@link CacheEntryDescriptor}) are reached. Offsets are from the start of
 * its payload; every field little-endian.
 *
 * <pre>
 *  0                   8         12  13  14  15  16                  24                  32
 *  +-------------------+---------+---+---+---+---+-------------------+-------------------+
 *  | magic "PFCACHE1"  | format  |hash|pos|chk|load| entry count      | home slot count   |
 *  |                   | version |alg|bits|shf| % |                   |                   |
 *  +-------------------+---------+---+---+---+---+-------------------+-------------------+
 *  32                  40                  48        52        56                  64
 *  | table offset      | chunk dir offset  | chunks  | longest | key bytes         |
 *  |                   |                   | (u32)   | probe   | (summed)          |
 *  +-------------------+-------------------+---------+---------+-------------------+
 *  64                  72                  80                  88
 *  | value bytes       | version number    | filter offset     | u16 N | key codec name (N bytes) |
 *  | (summed)          |                   |                   | u16 M | value codec name (M)     |
 *  +-------------------+-------------------+-------------------+--------------------------+
 * </pre>
 *
 * A reader refuses another format version, hash algorithm, position bits or chunk shift
 * ({@link Header#isKnownFormat()}), and codec names other than its own.
 */
public final class CacheHeaderDescriptor {
    /** The root that names the header. */
    public static final String ROOT_NAME = "dev.permafrost.cache";
    /** The magic as text: the header's first 8 bytes, ASCII. */
    public static final String MAGIC_TEXT = "PFCACHE1";
    /** The magic, ASCII {@link #MAGIC_TEXT}, as the little-endian long at offset 0. */
    public static final long MAGIC = MemorySegment.ofArray(MAGIC_TEXT.getBytes(StandardCharsets.US_ASCII)).get(LONG, 0);
    /**
     * The cache format version this build writes and reads. Version 3: a filter
     * ({@link CacheFilterDescriptor}) the header names at {@link #FILTER_OFFSET_OFFSET} answers most
     * lookups of absent keys before the table. Version 2 (the same without the filter; slots with a
     * displacement and a 16-bit fingerprint, in home order with a tail) and version 1 (24-bit
     * fingerprints, wrapping linear probes) are not read.
     */
    public static final int FORMAT_VERSION = 3;
    /**
     * Hash algorithm 1, any key codec: {@code KeyHash} of the key's bytes ({@code docs/FORMAT.md},
     * "KeyHash (algorithm 1)").
     */
    public static final int HASH_KEY_BYTES = 1;
    /**
     * Hash algorithm 2, keys of codec {@code string:utf-8} only: {@code KeyHash} of the Java
     * {@code String.hashCode} of the string the key's bytes are ({@code docs/FORMAT.md}, "KeyHash
     * (algorithm 2)"), so that a reader finds a key's home slot from a {@code String}'s cached
     * hash without reading its characters. The writer falls back to algorithm 1 when keys collide.
     */
    public static final int HASH_STRING = 2;
    /** The table's highest load, percent, that the writer sizes it for ({@link CacheSlotDescriptor#homeSlotCount}). */
    public static final int LOAD_PERCENT = 80;
    /** Longest codec name, bytes of UTF-8. */
    public static final int MAX_CODEC_NAME_BYTES = 1024;

    /** Offset of the 8-byte magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the 4-byte cache format version. */
    public static final int FORMAT_VERSION_OFFSET = 8;
    /** Offset of the 1-byte hash algorithm. */
    public static final int HASH_ALGORITHM_OFFSET = 12;
    /** Offset of the 1-byte position bits: a slot's low bits that hold the entry's position. */
    public static final int POSITION_BITS_OFFSET = 13;
    /** Offset of the 1-byte chunk shift: a position's low bits that are the byte in the chunk. */
    public static final int CHUNK_SHIFT_OFFSET = 14;
    /** Offset of the 1-byte load percent the writer sized the table for. */
    public static final int LOAD_PERCENT_OFFSET = 15;
    /** Offset of the 8-byte entry count (distinct keys). */
    public static final int ENTRY_COUNT_OFFSET = 16;
    /** Offset of the 8-byte home slot count: a key's home slot is below it; the table has a tail of more slots. */
    public static final int SLOT_COUNT_OFFSET = 24;
    /** Offset of the 8-byte reference to the raw object holding the slots. */
    public static final int TABLE_OFFSET_OFFSET = 32;
    /** Offset of the 8-byte reference to the raw object holding the chunks' offsets. */
    public static final int CHUNK_DIRECTORY_OFFSET_OFFSET = 40;
    /** Offset of the 4-byte chunk count. */
    public static final int CHUNK_COUNT_OFFSET = 48;
    /** Offset of the 4-byte longest probe: the largest displacement, the most slots any entry lies past its home slot. */
    public static final int LONGEST_PROBE_OFFSET = 52;
    /** Offset of the 8-byte sum of the entries' key bytes. */
    public static final int KEY_BYTES_OFFSET = 56;
    /** Offset of the 8-byte sum of the entries' value bytes (an out-of-line value: its object's payload). */
    public static final int VALUE_BYTES_OFFSET = 64;
    /** Offset of the 8-byte version number (the file name's). */
    public static final int VERSION_OFFSET = 72;
    /** Offset of the 8-byte reference to the raw object holding the filter's words. */
    public static final int FILTER_OFFSET_OFFSET = 80;
    /** Offset of the codec names: u16 length and UTF-8 bytes of the key codec's, then the value codec's. */
    public static final int CODEC_NAMES_OFFSET = 88;
    /** Bytes of the header before the codec names: the shortest a header can be. */
    public static final int FIXED_LENGTH = CODEC_NAMES_OFFSET;

    private CacheHeaderDescriptor() {
    }

    /**
     * A decoded header.
     *
     * @param formatVersion        the cache format version
     * @param hashAlgorithm        the hash algorithm
     * @param positionBits         a slot's bits that hold a position
     * @param chunkShift           a position's bits that are the byte in the chunk
     * @param loadPercent          the load the writer sized the table for
     * @param entryCount           entries (distinct keys)
     * @param slotCount            home slots of the table (its object holds more: the tail)
     * @param tableOffset          the table's object
     * @param filterOffset         the filter's object
     * @param chunkDirectoryOffset the chunk directory's object
     * @param chunkCount           chunks of entries
     * @param longestProbe         the most slots any entry lies past its home slot
     * @param keyBytes             the entries' key bytes, summed
     * @param valueBytes           the entries' value bytes, summed
     * @param version              the version's number
     * @param keyCodecName         the key codec's name
     * @param valueCodecName       the value codec's name
     */
    public record Header(int formatVersion, int hashAlgorithm, int positionBits, int chunkShift, int loadPercent,
                         long entryCount, long slotCount, long tableOffset, long filterOffset, long chunkDirectoryOffset,
                         int chunkCount, int longestProbe, long keyBytes, long valueBytes, long version, String keyCodecName,
                         String valueCodecName) {
        /**
         * A header of this build's format: version, position bits, chunk shift and load percent are its own.
         *
         * @param hashAlgorithm        {@link #HASH_KEY_BYTES} or {@link #HASH_STRING}
         * @param entryCount           entries
         * @param slotCount            home slots
         * @param tableOffset          the table's object
         * @param filterOffset         the filter's object
         * @param chunkDirectoryOffset the chunk directory's object
         * @param chunkCount           chunks
         * @param longestProbe         the longest probe, slots
         * @param keyBytes             key bytes, summed
         * @param valueBytes           value bytes, summed
         * @param version              the version's number
         * @param keyCodecName         the key codec's name
         * @param valueCodecName       the value codec's name
         * @return the header
         */
        public static Header current(int hashAlgorithm, long entryCount, long slotCount, long tableOffset, long filterOffset,
                                     long chunkDirectoryOffset, int chunkCount, int longestProbe, long keyBytes,
                                     long valueBytes, long version, String keyCodecName, String valueCodecName) {
            return new Header(FORMAT_VERSION, hashAlgorithm, CacheSlotDescriptor.POSITION_BITS, CacheEntryDescriptor.CHUNK_SHIFT,
                    LOAD_PERCENT, entryCount, slotCount, tableOffset, filterOffset, chunkDirectoryOffset, chunkCount, longestProbe,
                    keyBytes, valueBytes, version, keyCodecName, valueCodecName);
        }

        /** {@return whether format version, hash algorithm, position bits and chunk shift are the ones this build reads} */
        public boolean isKnownFormat() {
            return formatVersion == FORMAT_VERSION && (hashAlgorithm == HASH_KEY_BYTES || hashAlgorithm == HASH_STRING)
                    && positionBits == CacheSlotDescriptor.POSITION_BITS && chunkShift == CacheEntryDescriptor.CHUNK_SHIFT;
        }

        /**
         * Bytes per entry beyond its key and value bytes, in a file of that size.
         *
         * @param fileBytes the version file's size
         * @return {@code (fileBytes - keyBytes - valueBytes) / entryCount}, 0 for no entries
         */
        public double overheadBytesPerEntry(long fileBytes) {
            return entryCount == 0 ? 0 : (double) (fileBytes - keyBytes - valueBytes) / entryCount;
        }
    }

    /**
     * Returns the header's length with two codec names of those UTF-8 lengths.
     *
     * @param keyCodecNameBytes   the key codec's name, bytes of UTF-8
     * @param valueCodecNameBytes the value codec's name, bytes of UTF-8
     * @return payload bytes of the header
     */
    public static long headerBytes(int keyCodecNameBytes, int valueCodecNameBytes) {
        return CODEC_NAMES_OFFSET + 2 + keyCodecNameBytes + 2 + valueCodecNameBytes;
    }

    /**
     * Returns whether a payload is long enough to be a header and starts with the magic.
     *
     * @param payload the root object's payload
     * @return whether it can be a header
     */
    public static boolean hasMagic(MemorySegment payload) {
        return payload.byteSize() >= headerBytes(0, 0) && payload.get(LONG, MAGIC_OFFSET) == MAGIC;
    }

    /**
     * Writes a header.
     *
     * @param payload the header's payload, {@link #headerBytes} of the names long at least
     * @param header  what to write; codec names of at most {@link #MAX_CODEC_NAME_BYTES} bytes of UTF-8
     */
    public static void encode(MemorySegment payload, Header header) {
        byte[] keyName = header.keyCodecName().getBytes(StandardCharsets.UTF_8);
        byte[] valueName = header.valueCodecName().getBytes(StandardCharsets.UTF_8);
        payload.set(LONG, MAGIC_OFFSET, MAGIC);
        payload.set(INT, FORMAT_VERSION_OFFSET, header.formatVersion());
        payload.set(ValueLayout.JAVA_BYTE, HASH_ALGORITHM_OFFSET, (byte) header.hashAlgorithm());
        payload.set(ValueLayout.JAVA_BYTE, POSITION_BITS_OFFSET, (byte) header.positionBits());
        payload.set(ValueLayout.JAVA_BYTE, CHUNK_SHIFT_OFFSET, (byte) header.chunkShift());
        payload.set(ValueLayout.JAVA_BYTE, LOAD_PERCENT_OFFSET, (byte) header.loadPercent());
        payload.set(LONG, ENTRY_COUNT_OFFSET, header.entryCount());
        payload.set(LONG, SLOT_COUNT_OFFSET, header.slotCount());
        payload.set(LONG, TABLE_OFFSET_OFFSET, header.tableOffset());
        payload.set(LONG, CHUNK_DIRECTORY_OFFSET_OFFSET, header.chunkDirectoryOffset());
        payload.set(INT, CHUNK_COUNT_OFFSET, header.chunkCount());
        payload.set(INT, LONGEST_PROBE_OFFSET, header.longestProbe());
        payload.set(LONG, KEY_BYTES_OFFSET, header.keyBytes());
        payload.set(LONG, VALUE_BYTES_OFFSET, header.valueBytes());
        payload.set(LONG, VERSION_OFFSET, header.version());
        payload.set(LONG, FILTER_OFFSET_OFFSET, header.filterOffset());
        long at = CODEC_NAMES_OFFSET;
        payload.set(SHORT, at, (short) keyName.length);
        MemorySegment.copy(keyName, 0, payload, ValueLayout.JAVA_BYTE, at + 2, keyName.length);
        at += 2 + keyName.length;
        payload.set(SHORT, at, (short) valueName.length);
        MemorySegment.copy(valueName, 0, payload, ValueLayout.JAVA_BYTE, at + 2, valueName.length);
    }

    /**
     * Reads a header; checks nothing but the bounds ({@link #hasMagic} first, and
     * {@link Header#isKnownFormat()} after).
     *
     * @param payload the header's payload
     * @return the header
     * @throws IndexOutOfBoundsException if a codec name runs past the payload
     */
    public static Header decode(MemorySegment payload) {
        long at = CODEC_NAMES_OFFSET;
        String keyName = name(payload, at);
        at += 2 + Short.toUnsignedInt(payload.get(SHORT, at));
        String valueName = name(payload, at);
        return new Header(payload.get(INT, FORMAT_VERSION_OFFSET), payload.get(ValueLayout.JAVA_BYTE, HASH_ALGORITHM_OFFSET),
                payload.get(ValueLayout.JAVA_BYTE, POSITION_BITS_OFFSET), payload.get(ValueLayout.JAVA_BYTE, CHUNK_SHIFT_OFFSET),
                payload.get(ValueLayout.JAVA_BYTE, LOAD_PERCENT_OFFSET), payload.get(LONG, ENTRY_COUNT_OFFSET),
                payload.get(LONG, SLOT_COUNT_OFFSET), payload.get(LONG, TABLE_OFFSET_OFFSET), payload.get(LONG, FILTER_OFFSET_OFFSET),
                payload.get(LONG, CHUNK_DIRECTORY_OFFSET_OFFSET), payload.get(INT, CHUNK_COUNT_OFFSET),
                payload.get(INT, LONGEST_PROBE_OFFSET), payload.get(LONG, KEY_BYTES_OFFSET), payload.get(LONG, VALUE_BYTES_OFFSET),
                payload.get(LONG, VERSION_OFFSET), keyName, valueName);
    }

    private static String name(MemorySegment payload, long at) {
        int length = Short.toUnsignedInt(payload.get(SHORT, at));
        return new String(payload.asSlice(at + 2, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }
}
