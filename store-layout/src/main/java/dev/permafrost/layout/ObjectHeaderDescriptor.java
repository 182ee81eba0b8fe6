package dev.permafrost.layout;

/**
 * The 16-byte header in front of every block of the heap, object or free.
 *
 * <pre>
 *   0                               8                               16
 *  +-------------------------------+--------------------------------+---------------
 *  | reference-count word (int64)  | meta word: type id (24 bits)   | payload ...
 *  |  > 0  mortal, the count       |  &lt;&lt; 40 | payload length bytes |
 *  |  = 0  free (or being freed)   |  (40 bits)                     |
 *  |  &lt; 0  immortal: never written |                                |
 *  +-------------------------------+--------------------------------+---------------
 * </pre>
 *
 * The reference-count word is 8-byte aligned (blocks are 16-byte aligned), so it is read and
 * updated atomically. The meta word is written once when the block is allocated and not again
 * while the object lives; the block's size follows from it ({@link SizeClasses#blockBytes}).
 * A free block keeps its meta word (so the heap stays walkable) and holds the offset of the
 * next free block of its class in its first 8 payload bytes.
 */
public final class ObjectHeaderDescriptor {
    /** Offset of the 8-byte reference-count word within the header. */
    public static final int REFERENCE_COUNT_OFFSET = 0;
    /** Offset of the 8-byte meta word within the header. */
    public static final int META_OFFSET = 8;
    /** Bytes of the header; the payload starts here. */
    public static final int LENGTH = 16;
    /** Offset of a free block's next-free pointer within the block. */
    public static final int FREE_NEXT_OFFSET = LENGTH;

    /**
     * The count freeze writes: the middle of the negative range, so that a stray increment or
     * decrement that raced the freeze can never bring it back to zero or above.
     */
    public static final long IMMORTAL_COUNT = Long.MIN_VALUE / 2;
    /** Count of a free block. */
    public static final long FREE_COUNT = 0;

    /** Bits of the payload length in the meta word. */
    public static final int PAYLOAD_LENGTH_BITS = 40;
    /** Largest payload of one object: 1 TiB - 1. */
    public static final long MAX_PAYLOAD_BYTES = (1L << PAYLOAD_LENGTH_BITS) - 1;
    /** Bits of the type id in the meta word. */
    public static final int TYPE_ID_BITS = 24;
    /** Largest type id. */
    public static final int MAX_TYPE_ID = (1 << TYPE_ID_BITS) - 1;

    private ObjectHeaderDescriptor() {
    }

    /**
     * Returns the meta word.
     *
     * @param typeId       0 to {@link #MAX_TYPE_ID}
     * @param payloadBytes 0 to {@link #MAX_PAYLOAD_BYTES}
     * @return the meta word
     */
    public static long meta(int typeId, long payloadBytes) {
        return ((long) typeId << PAYLOAD_LENGTH_BITS) | payloadBytes;
    }

    /**
     * Returns its type id.
     *
     * @param meta a meta word
     * @return its type id
     */
    public static int typeId(long meta) {
        return (int) (meta >>> PAYLOAD_LENGTH_BITS);
    }

    /**
     * Returns its payload length in bytes.
     *
     * @param meta a meta word
     * @return its payload length in bytes
     */
    public static long payloadBytes(long meta) {
        return meta & MAX_PAYLOAD_BYTES;
    }

    /**
     * Returns the size in bytes of the block it heads.
     *
     * @param meta a meta word
     * @return the size in bytes of the block it heads
     */
    public static long blockBytes(long meta) {
        return SizeClasses.blockBytes(payloadBytes(meta));
    }

    /**
     * Returns whether it marks an immortal object.
     *
     * @param count a reference-count word
     * @return whether it marks an immortal object
     */
    public static boolean isImmortal(long count) {
        return count < 0;
    }
}
