package dev.permafrost.layout;

/**
 * An instance of a user struct (type id {@link TypeIds#FIRST_USER_TYPE_ID} and up): a fixed
 * part whose fields sit at the offsets its {@linkplain TypeEntryDescriptor type descriptor}
 * gives, followed by a tail holding the bytes of its {@link FieldKinds#INLINE} fields.
 *
 * <pre>
 *  payload offset 0                       fixed bytes                          payload length
 *                +-----------------------+------------------------------------+
 *                | fixed part: fields    | tail: inline strings and arrays,    |
 *                | at descriptor offsets | each aligned to its element size    |
 *                +-----------------------+------------------------------------+
 *
 *  inline slot (8 bytes, little-endian):
 *   63               32 31                2   1   0
 *  +-------------------+------------------+-----+---+
 *  | payload offset of | length in bytes  |ASCII| 1 |      slot == 0: null
 *  | the bytes (u32)   | (u30)            |     |   |
 *  +-------------------+------------------+-----+---+
 * </pre>
 *
 * The ASCII bit ({@link #INLINE_ASCII}) is set on a string whose every byte is below 0x80, so
 * that a reader can build the Java string without decoding UTF-8; it is never set on arrays.
 *
 * Fixed fields are laid out largest first (8-byte fields, then 4, 2, 1), so each sits at an
 * offset that is a multiple of its size; the payload itself starts 16-aligned. Inline bytes
 * belong to the struct: they are freed with it and never shared. A struct of four ints and one
 * 20-byte string takes 16 + 16 + 8 + 20 = 60 bytes, a 64-byte block.
 */
public final class StructDescriptor {
    /** Bytes of an inline slot in the fixed part. */
    public static final int INLINE_SLOT_BYTES = 8;
    /** Low bit of a non-null inline slot. */
    public static final long INLINE_TAG = 1;
    /** Bit 1 of an inline slot: the bytes are a string's and every one is below 0x80 (ASCII). */
    public static final long INLINE_ASCII = 2;
    /** Largest inline value, in bytes: what the slot's 30 length bits hold. */
    public static final int MAX_INLINE_BYTES = (1 << 30) - 1;
    /** Largest payload of a struct, fixed part and tail: every inline value must start at a 32-bit payload offset. */
    public static final long MAX_STRUCT_PAYLOAD_BYTES = 0xFFFF_FFFFL;

    private StructDescriptor() {
    }

    /**
     * Returns the slot naming inline bytes.
     *
     * @param payloadOffset where the bytes start, bytes from the start of the payload
     * @param lengthBytes   how many bytes, up to {@link #MAX_INLINE_BYTES}
     * @param ascii         whether the bytes are a string's and all ASCII
     * @return the slot
     */
    public static long inlineSlot(long payloadOffset, int lengthBytes, boolean ascii) {
        return (payloadOffset << 32) | ((long) lengthBytes << 2) | (ascii ? INLINE_ASCII : 0) | INLINE_TAG;
    }

    /**
     * Returns where a non-null slot's bytes start.
     *
     * @param slot a non-null inline slot
     * @return bytes from the start of the payload
     */
    public static long inlineOffset(long slot) {
        return slot >>> 32;
    }

    /**
     * Returns how many bytes a non-null slot names.
     *
     * @param slot a non-null inline slot
     * @return the length in bytes
     */
    public static int inlineLength(long slot) {
        return (int) (slot >>> 2) & MAX_INLINE_BYTES;
    }

    /**
     * Returns whether a non-null slot names a string whose bytes are all ASCII.
     *
     * @param slot a non-null inline slot
     * @return whether its {@link #INLINE_ASCII} bit is set
     */
    public static boolean isAscii(long slot) {
        return (slot & INLINE_ASCII) != 0;
    }
}
