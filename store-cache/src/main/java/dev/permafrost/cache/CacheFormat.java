package dev.permafrost.cache;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The frozen table of a cache version, inside a frozen store (see {@code docs/FORMAT.md},
 * "Cache versions"). Four kinds of raw objects, all little-endian:
 *
 * <pre>
 * root "dev.permafrost.cache" → header (raw object)
 *   0  u64 magic "PFCACHE1"            48  u32 chunk count
 *   8  u32 format version (1)          52  u32 longest probe (slots)
 *  12  u8  hash algorithm (1)          56  u64 key bytes, summed over the entries
 *  13  u8  position bits (40)          64  u64 value bytes, summed over the entries
 *  14  u8  chunk shift (20)            72  u64 version number
 *  15  u8  load factor, percent (75)   80  u16 key codec name length N, N bytes UTF-8,
 *  16  u64 entry count                     u16 value codec name length M, M bytes UTF-8
 *  24  u64 slot count
 *  32  u64 table object offset   → slots: slot count × u64
 *  40  u64 chunk directory offset → chunk count × u64 object offsets of the chunks
 *
 * slot (u64): 0 = empty, else  [63 .. 40] fingerprint = hash &amp; 0xFFFFFF
 *                               [39 ..  0] position = chunk index &lt;&lt; 20 | byte in the chunk's payload
 * entry at a position: varint (key length K &lt;&lt; 1 | out-of-line), varint value length V,
 *                      K key bytes, then V value bytes, or (out-of-line) the u64 offset of an
 *                      object whose payload is the value (a typed record object, or a raw object)
 * </pre>
 *
 * A key's home slot is {@code unsignedMultiplyHigh(hash, slotCount)}; probing is linear, wrapping.
 */
final class CacheFormat {
    /** The root that names the header. */
    static final String ROOT_NAME = "dev.permafrost.cache";
    /** "PFCACHE1", little-endian. */
    static final long MAGIC = 0x3145484341434650L;
    static final int FORMAT_VERSION = 1;
    static final int HASH_ALGORITHM = 1;
    static final int POSITION_BITS = 40;
    static final int CHUNK_SHIFT = 20;
    /** The table's highest load; it is sized up to fill its block (see {@link #slotCount}), so most tables are below it. */
    static final int LOAD_PERCENT = 80;
    /** An object's header, bytes: a block holds it and the payload. */
    static final long OBJECT_HEADER_BYTES = 16;
    static final long POSITION_MASK = (1L << POSITION_BITS) - 1;
    static final long IN_CHUNK_MASK = (1L << CHUNK_SHIFT) - 1;
    static final int FINGERPRINT_BITS = Long.SIZE - POSITION_BITS;
    static final long FINGERPRINT_MASK = (1L << FINGERPRINT_BITS) - 1;
    /** Most chunks: position bits above the chunk shift. */
    static final long MAX_CHUNKS = 1L << (POSITION_BITS - CHUNK_SHIFT);
    /** A chunk's payload, at most: a chunk's byte positions must fit below the shift. */
    static final long MAX_CHUNK_PAYLOAD_BYTES = (1L << CHUNK_SHIFT) - 16;
    /** Longest key, bytes. */
    static final int MAX_KEY_BYTES = 0xFFFF;
    /** Values longer than this are stored out of line, in an object of their own. */
    static final int MAX_INLINE_VALUE_BYTES = 0xFFFF;
    static final int MAX_CODEC_NAME_BYTES = 1024;

    static final long MAGIC_OFFSET = 0;
    static final long FORMAT_VERSION_OFFSET = 8;
    static final long HASH_ALGORITHM_OFFSET = 12;
    static final long POSITION_BITS_OFFSET = 13;
    static final long CHUNK_SHIFT_OFFSET = 14;
    static final long LOAD_PERCENT_OFFSET = 15;
    static final long ENTRY_COUNT_OFFSET = 16;
    static final long SLOT_COUNT_OFFSET = 24;
    static final long TABLE_OFFSET_OFFSET = 32;
    static final long CHUNK_DIRECTORY_OFFSET_OFFSET = 40;
    static final long CHUNK_COUNT_OFFSET = 48;
    static final long LONGEST_PROBE_OFFSET = 52;
    static final long KEY_BYTES_OFFSET = 56;
    static final long VALUE_BYTES_OFFSET = 64;
    static final long VERSION_OFFSET = 72;
    static final long CODEC_NAMES_OFFSET = 80;

    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Slots are 8-aligned in the table object's payload (16-aligned): aligned reads. */
    static final ValueLayout.OfLong SLOT = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);

    private CacheFormat() {
    }

    /** {@return the header's length with the two codec names of those UTF-8 lengths} */
    static long headerBytes(int keyCodecNameBytes, int valueCodecNameBytes) {
        return CODEC_NAMES_OFFSET + 2 + keyCodecNameBytes + 2 + valueCodecNameBytes;
    }

    /**
     * Returns the slot count for that many entries: a load of at most {@link #LOAD_PERCENT}
     * and one slot empty at least, then as many more slots as fit in the store block that
     * holds the table anyway (a block is up to 1/8 larger than its object; the slots are free).
     *
     * @param entryCount the entries
     * @return the slot count
     */
    static long slotCount(long entryCount) {
        long needed = Math.max(entryCount + 1, (entryCount * 100 + LOAD_PERCENT - 1) / LOAD_PERCENT);
        return (blockBytes(OBJECT_HEADER_BYTES + needed * Long.BYTES) - OBJECT_HEADER_BYTES) / Long.BYTES;
    }

    /**
     * The store's block size for an object of that many bytes, header included: the size
     * classes of {@code docs/FORMAT.md} ("Size classes"), which are part of the file format.
     * Used only to size objects to their blocks; a different rule would waste bytes, not break.
     *
     * @param neededBytes header and payload
     * @return the block's size
     */
    static long blockBytes(long neededBytes) {
        long aligned = (neededBytes + 15) & -16L;
        if (aligned <= 1024) {
            return aligned;
        }
        int log2 = 63 - Long.numberOfLeadingZeros(aligned - 1);
        long step = 1L << (log2 - 3);
        return (aligned + step - 1) & -step;
    }

    /** {@return a key's home slot: the high half of hash × slot count} */
    static long homeSlot(long hash, long slotCount) {
        return Math.unsignedMultiplyHigh(hash, slotCount);
    }

    /** {@return a slot for an entry at a position} */
    static long slot(long hash, long position) {
        return ((hash & FINGERPRINT_MASK) << POSITION_BITS) | position;
    }

    /** {@return the bytes an unsigned LEB128 varint of the value takes} */
    static int varintBytes(long value) {
        return Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(value) + 6) / 7);
    }

    /** Writes an unsigned LEB128 varint; returns the offset after it. */
    static long putVarint(MemorySegment memory, long offset, long value) {
        long at = offset;
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            memory.set(ValueLayout.JAVA_BYTE, at++, (byte) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        memory.set(ValueLayout.JAVA_BYTE, at++, (byte) rest);
        return at;
    }

    /**
     * Reads an unsigned LEB128 varint of at most 9 bytes.
     *
     * @return the value; its length in bytes is {@link #varintBytes} of it only if it was
     *         written minimally, so callers that need the end use {@link #varintEnd}
     */
    static long getVarint(MemorySegment memory, long offset) {
        byte b = memory.get(ValueLayout.JAVA_BYTE, offset);
        if (b >= 0) {
            return b;
        }
        long value = b & 0x7F;
        int shift = 7;
        long at = offset + 1;
        do {
            b = memory.get(ValueLayout.JAVA_BYTE, at++);
            value |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while (b < 0 && shift < 63);
        return value;
    }

    /** {@return the offset after the varint at that offset} */
    static long varintEnd(MemorySegment memory, long offset) {
        long at = offset;
        while (memory.get(ValueLayout.JAVA_BYTE, at) < 0) {
            at++;
        }
        return at + 1;
    }
}
