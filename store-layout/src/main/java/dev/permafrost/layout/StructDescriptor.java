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
 *   63               32 31                1 0
 *  +-------------------+------------------+---+
 *  | payload offset of | length in bytes  | 1 |      slot == 0: null
 *  | the bytes (u32)   | (u31)            |   |
 *  +-------------------+------------------+---+
 * </pre>
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
    /** Largest inline value, in bytes. */
    public static final int MAX_INLINE_BYTES = Integer.MAX_VALUE;
    /** Largest payload of a struct, fixed part and tail: every inline value must start at a 32-bit payload offset. */
    public static final long MAX_STRUCT_PAYLOAD_BYTES = 0xFFFF_FFFFL;

    private StructDescriptor() {
    }

    /**
     * Returns the slot naming inline bytes.
     *
     * @param payloadOffset where the bytes start, bytes from the start of the payload
     * @param lengthBytes   how many bytes
     * @return the slot
     */
    public static long inlineSlot(long payloadOffset, int lengthBytes) {
        return (payloadOffset << 32) | ((long) lengthBytes << 1) | INLINE_TAG;
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
        return (int) (slot >>> 1) & Integer.MAX_VALUE;
    }
}
