package dev.permafrost.layout;

import java.lang.foreign.ValueLayout;

/**
 * The table of a cache version: a raw object of {@code table slots × 8} bytes, slot {@code i}
 * at payload offset {@code 8·i}, little-endian ({@code docs/FORMAT.md}, "Cache versions",
 * "Table"). The header ({@link CacheHeaderDescriptor}) gives the <em>home slot count</em>
 * {@code H}; the table has more slots than that (a tail, so that no probe wraps), and its last
 * slot is always empty.
 *
 * <pre>
 *  63          56 55                    40 39                    20 19                     0
 *  +-------------+------------------------+------------------------+-----------------------+
 *  | displacement| fingerprint (16 bits)  | chunk index (20 bits)  | byte in chunk (20 bits)|
 *  |   (8 bits)  |                        |                        |                       |
 *  +-------------+------------------------+------------------------+-----------------------+
 *    slot 0 = empty (position 0 is never an entry's); fingerprint = hash &amp; 0xFFFF
 * </pre>
 *
 * <p>A key's home slot is {@link #homeSlot}: the high 64 bits of {@code hash × H}, so the home
 * grows with the hash. The writer places the entries in the order of their home slots, each in
 * the first free slot at or after its home (linear probing, built in order: Robin Hood order),
 * and records each entry's <em>displacement</em>, its distance from its home, at most
 * {@link #MAX_DISPLACEMENT}. The occupied slots are then sorted by home, so a lookup of a key
 * with home {@code h} walks from {@code h} and stops at an empty slot or at the first slot whose
 * entry's home ({@code index − displacement}) is past {@code h}: an absent key reads about as
 * many slots as a present one, not to the end of its cluster.
 */
public final class CacheSlotDescriptor {
    /** Bytes of one slot. */
    public static final int SLOT_LENGTH = 8;
    /** The slot that holds no entry. */
    public static final long EMPTY = 0;
    /** A slot's low bits that hold the entry's position ({@link CacheEntryDescriptor}). */
    public static final int POSITION_BITS = 40;
    /** A slot's bits above the position that hold the fingerprint: the hash's low bits. */
    public static final int FINGERPRINT_BITS = 16;
    /** A slot's high bits that hold the displacement. */
    public static final int DISPLACEMENT_BITS = Long.SIZE - POSITION_BITS - FINGERPRINT_BITS;
    /** The farthest an entry lies from its home slot. */
    public static final int MAX_DISPLACEMENT = (1 << DISPLACEMENT_BITS) - 1;
    /** The position's bits of a slot. */
    public static final long POSITION_MASK = (1L << POSITION_BITS) - 1;
    /** The fingerprint's bits of a hash, before they are shifted into a slot. */
    public static final long FINGERPRINT_MASK = (1L << FINGERPRINT_BITS) - 1;
    /** The shift of the displacement and fingerprint together: {@code slot >>> TAG_SHIFT}. */
    public static final int TAG_SHIFT = POSITION_BITS;
    /** A slot as the table's payload holds it: 8-aligned (the payload is 16-aligned), little-endian. */
    public static final ValueLayout.OfLong SLOT = ValueLayout.JAVA_LONG.withOrder(StoreFormat.BYTE_ORDER);

    private CacheSlotDescriptor() {
    }

    /**
     * Returns the fewest home slots for that many entries: a load of at most
     * {@link CacheHeaderDescriptor#LOAD_PERCENT}, one slot more than entries at least.
     *
     * @param entryCount the entries
     * @return the home slot count a writer starts from
     */
    public static long homeSlotCount(long entryCount) {
        int load = CacheHeaderDescriptor.LOAD_PERCENT;
        return Math.max(entryCount + 1, (entryCount * 100 + load - 1) / load);
    }

    /**
     * Returns the tail a writer reserves past the home slots: room for the last entries'
     * displacement and the empty last slot.
     *
     * @param homeSlots the home slot count
     * @return the tail's slots, at most {@link #MAX_DISPLACEMENT} + 1
     */
    public static long tailSlots(long homeSlots) {
        return Math.min(MAX_DISPLACEMENT + 1L, homeSlots);
    }

    /**
     * Returns the home slot count a writer uses for at least that many: as many more as the
     * table's store block holds beside the tail anyway ({@link SizeClasses}: a block is up to 1/8
     * larger than its object; those slots cost no file byte).
     *
     * @param minimumHomeSlots the fewest home slots wanted ({@link #homeSlotCount})
     * @param tailSlots        the tail ({@link #tailSlots} of the fewest)
     * @return home slots, at least {@code minimumHomeSlots}; with the tail they fill the table's block
     */
    public static long homeSlotsFillingTheBlock(long minimumHomeSlots, long tailSlots) {
        long blockSlots = (SizeClasses.blockBytes((minimumHomeSlots + tailSlots) * SLOT_LENGTH) - ObjectHeaderDescriptor.LENGTH)
                / SLOT_LENGTH;
        return blockSlots - tailSlots;
    }

    /**
     * Returns the payload offset of a slot.
     *
     * @param index the slot, below the table's slots
     * @return bytes from the start of the table's payload
     */
    public static long slotOffset(long index) {
        return index * SLOT_LENGTH;
    }

    /**
     * Returns a key's home slot.
     *
     * @param hash      the key's hash
     * @param homeSlots the home slot count (the header's)
     * @return the high half of {@code hash × homeSlots}, unsigned: below the home slot count
     */
    public static long homeSlot(long hash, long homeSlots) {
        return Math.unsignedMultiplyHigh(hash, homeSlots);
    }

    /**
     * Returns the slot of an entry.
     *
     * @param hash         the key's hash
     * @param displacement the entry's distance from its home slot, at most {@link #MAX_DISPLACEMENT}
     * @param position     the entry's position, {@link #POSITION_BITS} bits, not 0
     * @return the slot: displacement, fingerprint and position
     */
    public static long slot(long hash, long displacement, long position) {
        return tag(hash, displacement) << TAG_SHIFT | position;
    }

    /**
     * Returns what a slot holds above the position for an entry: what a lookup compares.
     *
     * @param hash         the key's hash
     * @param displacement the distance from the key's home slot
     * @return {@code displacement << FINGERPRINT_BITS | hash & FINGERPRINT_MASK}
     */
    public static long tag(long hash, long displacement) {
        return displacement << FINGERPRINT_BITS | hash & FINGERPRINT_MASK;
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
        return slot >>> POSITION_BITS & FINGERPRINT_MASK;
    }

    /**
     * Returns the displacement a slot holds: how far its entry lies past its home slot.
     *
     * @param slot a slot, not {@link #EMPTY}
     * @return the displacement, 0 to {@link #MAX_DISPLACEMENT}
     */
    public static int displacement(long slot) {
        return (int) (slot >>> (POSITION_BITS + FINGERPRINT_BITS));
    }
}
