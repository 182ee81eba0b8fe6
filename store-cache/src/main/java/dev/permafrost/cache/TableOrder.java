package dev.permafrost.cache;

import dev.permafrost.layout.CacheSlotDescriptor;
import java.lang.foreign.MemorySegment;

/**
 * Places a version's entries in its table in the order of their home slots
 * ({@link CacheSlotDescriptor}; {@code docs/FORMAT.md}, "Table"): each in the first free slot at
 * or after its home, with its displacement. Entries go in home order by a counting sort, so a
 * build is linear in the entries and the home slots.
 */
final class TableOrder {
    private TableOrder() {
    }

    /**
     * Fills a table.
     *
     * @param hashes    the entries' key hashes
     * @param positions the entries' positions, none 0
     * @param count     entries, the first of both arrays
     * @param homeSlots the home slot count, more than {@code count}
     * @param table     the table's payload: more than {@code homeSlots} slots
     * @return the largest displacement, or -1 if an entry would lie more than
     *         {@link CacheSlotDescriptor#MAX_DISPLACEMENT} past its home or in the table's last slot
     *         (the table is then partly written: the caller drops it)
     */
    static int place(long[] hashes, long[] positions, int count, long homeSlots, MemorySegment table) {
        long slots = table.byteSize() / CacheSlotDescriptor.SLOT_LENGTH;
        table.fill((byte) 0); // a block the allocator reused holds old bytes
        int[] order = byHome(hashes, count, homeSlots);
        long next = 0; // the first free slot
        int longest = 0;
        for (int i = 0; i < count; i++) {
            int entry = order[i];
            long hash = hashes[entry];
            long home = CacheSlotDescriptor.homeSlot(hash, homeSlots);
            long at = Math.max(home, next);
            long displacement = at - home;
            if (displacement > CacheSlotDescriptor.MAX_DISPLACEMENT || at >= slots - 1) {
                return -1;
            }
            table.setAtIndex(CacheSlotDescriptor.SLOT, at, CacheSlotDescriptor.slot(hash, displacement, positions[entry]));
            longest = Math.max(longest, (int) displacement);
            next = at + 1;
        }
        return longest;
    }

    /** {@return the entries' numbers sorted by home slot (a counting sort; stable)} */
    private static int[] byHome(long[] hashes, int count, long homeSlots) {
        if (homeSlots > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException(homeSlots + " home slots: a table holds fewer than 2^31");
        }
        int[] start = new int[(int) homeSlots + 1];
        for (int i = 0; i < count; i++) {
            start[(int) CacheSlotDescriptor.homeSlot(hashes[i], homeSlots) + 1]++;
        }
        for (int h = 0; h < homeSlots; h++) {
            start[h + 1] += start[h];
        }
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[start[(int) CacheSlotDescriptor.homeSlot(hashes[i], homeSlots)]++] = i;
        }
        return order;
    }
}
