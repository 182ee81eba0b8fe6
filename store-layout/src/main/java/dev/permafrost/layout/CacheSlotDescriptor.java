package dev.permafrost.layout;

import java.lang.foreign.ValueLayout;

/**
 * The table of a cache version: a raw object of {@code slot count × 8} bytes, slot {@code i}
 * at payload offset {@code 8·i}, little-endian ({@code docs/FORMAT.md}, "Cache versions",
 * "Table"). The header ({@link CacheHeaderDescriptor}) names it and gives the slot count.
 *
 * <pre>
 *  63                      40 39                    20 19                     0
 *  +-------------------------+------------------------+-----------------------+
 *  | fingerprint (24 bits)   | chunk index (20 bits)  | byte in chunk (20 bits)|
 *  +-------------------------+------------------------+-----------------------+
 *    slot 0 = empty; fingerprint = hash &amp; 0xFFFFFF; position = bits 39..0
 * </pre>
 *
 * A key's home slot is {@link #homeSlot}: the high 64 bits of {@code hash × slotCount}; probing
 * is linear, wrapping at the slot count, and an empty slot ends it (one is always empty).
 */
public final class CacheSlotDescriptor {
    /** Bytes of one slot. */
    public static final int SLOT_LENGTH = 8;
    /** The slot that holds no entry. */
    public static final long EMPTY = 0;
    /** A slot's low bits that hold the entry's position ({@link CacheEntryDescriptor}). */
    public static final int POSITION_BITS = 40;
    /** A slot's high bits that hold the fingerprint: the hash's low bits. */
    public static final int FINGERPRINT_BITS = Long.SIZE - POSITION_BITS;
    /** The position's bits of a slot. */
    public static final long POSITION_MASK = (1L << POSITION_BITS) - 1;
    /** The fingerprint's bits of a hash, before they are shifted into a slot. */
    public static final long FINGERPRINT_MASK = (1L << FINGERPRINT_BITS) - 1;
    /** A slot as the table's payload holds it: 8-aligned (the payload is 16-aligned), little-endian. */
    public static final ValueLayout.OfLong SLOT = ValueLayout.JAVA_LONG.withOrder(StoreFormat.BYTE_ORDER);

    private CacheSlotDescriptor() {
    }

    /**
     * Returns the slot count for that many entries: a load of at most
     * {@link CacheHeaderDescriptor#LOAD_PERCENT} and one slot empty at least, then as many more
     * slots as fit in the store block that holds the table anyway ({@link SizeClasses}: a block
     * is up to 1/8 larger than its object; those slots cost no file byte).
     *
     * @param entryCount the entries
     * @return the slot count
     */
    public static long slotCount(long entryCount) {
        int load = CacheHeaderDescriptor.LOAD_PERCENT;
        long needed = Math.max(entryCount + 1, (entryCount * 100 + load - 1) / load);
        return (SizeClasses.blockBytes(needed * SLOT_LENGTH) - ObjectHeaderDescriptor.LENGTH) / SLOT_LENGTH;
    }

    /**
     * Returns the payload offset of a slot.
     *
     * @param index the slot, below the slot count
     * @return bytes from the start of the table's payload
     */
    public static long slotOffset(long index) {
        return index * SLOT_LENGTH;
    }

    /**
     * Returns a key's home slot.
     *
     * @param hash      the key's hash
     * @param slotCount the table's slots
     * @return the high half of {@code hash × slotCount}, unsigned: below the slot count
     */
    public static long homeSlot(long hash, long slotCount) {
        return Math.unsignedMultiplyHigh(hash, slotCount);
    }

    /**
     * Returns the slot of an entry.
     *
     * @param hash     the key's hash
     * @param position the entry's position, {@link #POSITION_BITS} bits
     * @return the slot: fingerprint and position
     */
    public static long slot(long hash, long position) {
        return ((hash & FINGERPRINT_MASK) << POSITION_BITS) | position;
    }

    /**
     * Returns the entry position a slot holds.
     *
     * @param slot a slot, not {@link #EMPTY}
     * @return its position
     */
    public static long position(long slot) {
        return slot & POSITION_MASK;
    }

    /**
     * Returns the fingerprint a slot holds.
     *
     * @param slot a slot, not {@link #EMPTY}
     * @return its fingerprint, to compare with {@code hash & FINGERPRINT_MASK}
     */
    public static long fingerprint(long slot) {
        return slot >>> POSITION_BITS;
    }
}
