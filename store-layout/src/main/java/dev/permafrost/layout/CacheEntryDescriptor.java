package dev.permafrost.layout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The entries of a cache version ({@code docs/FORMAT.md}, "Cache versions", "Chunks and
 * entries"). The chunk directory is a raw object of {@code chunk count × 8} bytes, the offsets
 * of the chunks; a chunk is a raw object whose payload holds entries back to back, unaligned,
 * none spanning chunks. A position names an entry: {@code chunk index << CHUNK_SHIFT | byte in
 * the chunk's payload}, {@link CacheSlotDescriptor#POSITION_BITS} bits in all.
 *
 * <pre>
 *  an entry, at a position:
 *  +----------------------+-------------------+-----------+---------------------------------+
 *  | key field: varint    | value length:     | key:      | value: V bytes inline, or       |
 *  | K &lt;&lt; 1 | out-of-line | varint V          | K bytes   | u64 offset of the value's object|
 *  +----------------------+-------------------+-----------+---------------------------------+
 *    1..3 bytes             1..10 bytes                     (out of line: 8 bytes)
 *  varints: unsigned LEB128, 7 bits a byte, low first, high bit set on every byte but the last
 * </pre>
 */
public final class CacheEntryDescriptor {
    /** A position's low bits that are the byte in the chunk's payload. */
    public static final int CHUNK_SHIFT = 20;
    /** The byte-in-chunk bits of a position. */
    public static final long IN_CHUNK_MASK = (1L << CHUNK_SHIFT) - 1;
    /** Most chunks: the position bits above the chunk shift. */
    public static final long MAX_CHUNKS = 1L << (CacheSlotDescriptor.POSITION_BITS - CHUNK_SHIFT);
    /** A chunk's payload, at most: a block of at most 1 MiB, so its byte positions fit below the shift. */
    public static final long MAX_CHUNK_PAYLOAD_BYTES = (1L << CHUNK_SHIFT) - ObjectHeaderDescriptor.LENGTH;
    /** Bytes of one chunk directory entry: a chunk's object offset. */
    public static final int CHUNK_REFERENCE_LENGTH = 8;
    /** Longest key, bytes. */
    public static final int MAX_KEY_BYTES = 0xFFFF;
    /** Longest value stored inline; longer byte values go out of line, in an object of their own. */
    public static final int MAX_INLINE_VALUE_BYTES = 0xFFFF;
    /** The key field's bit that marks an out-of-line value. */
    public static final int OUT_OF_LINE_BIT = 1;
    /** Bytes of an out-of-line value's reference in the entry. */
    public static final int VALUE_REFERENCE_LENGTH = 8;

    private CacheEntryDescriptor() {
    }

    /**
     * Returns a position.
     *
     * @param chunkIndex the chunk, below {@link #MAX_CHUNKS}
     * @param inChunk    the entry's offset in the chunk's payload
     * @return the position
     */
    public static long position(long chunkIndex, long inChunk) {
        return (chunkIndex << CHUNK_SHIFT) | inChunk;
    }

    /**
     * Returns the chunk of a position.
     *
     * @param position a position
     * @return the chunk's index in the chunk directory
     */
    public static int chunkIndex(long position) {
        return (int) (position >>> CHUNK_SHIFT);
    }

    /**
     * Returns the entry's offset in its chunk's payload.
     *
     * @param position a position
     * @return bytes from the start of the chunk's payload
     */
    public static long inChunk(long position) {
        return position & IN_CHUNK_MASK;
    }

    /**
     * Returns the key field of an entry.
     *
     * @param keyLength the key's bytes
     * @param outOfLine whether the value is out of line
     * @return {@code keyLength << 1}, with {@link #OUT_OF_LINE_BIT} if out of line
     */
    public static long keyField(long keyLength, boolean outOfLine) {
        return keyLength << 1 | (outOfLine ? OUT_OF_LINE_BIT : 0);
    }

    /**
     * Returns the bytes an unsigned LEB128 varint of the value takes.
     *
     * @param value the value, unsigned
     * @return 1 to 10
     */
    public static int varintBytes(long value) {
        return Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(value) + 6) / 7);
    }

    /**
     * Writes an unsigned LEB128 varint.
     *
     * @param memory where
     * @param offset the varint's first byte
     * @param value  the value, unsigned
     * @return the offset after it
     */
    public static long putVarint(MemorySegment memory, long offset, long value) {
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
     * @param memory where
     * @param offset the varint's first byte
     * @return the value; its length is {@link #varintBytes} of it only if it was written
     *         minimally, so callers that need the end use {@link #varintEnd}
     */
    public static long getVarint(MemorySegment memory, long offset) {
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

    /**
     * Returns the offset after a varint.
     *
     * @param memory where
     * @param offset the varint's first byte
     * @return the offset of the byte after its last
     */
    public static long varintEnd(MemorySegment memory, long offset) {
        long at = offset;
        while (memory.get(ValueLayout.JAVA_BYTE, at) < 0) {
            at++;
        }
        return at + 1;
    }
}
