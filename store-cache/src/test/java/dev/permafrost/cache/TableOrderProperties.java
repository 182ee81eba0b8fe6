package dev.permafrost.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.layout.CacheSlotDescriptor;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The table's order: every entry at or past its home, homes sorted, no gap between an entry and its home. */
class TableOrderProperties {
    @Property(tries = 200)
    void entriesLieInHomeOrderWithTheirDisplacement(@ForAll @IntRange(min = 0, max = 5_000) int count, @ForAll long seed) {
        Random random = new Random(seed);
        long[] hashes = new long[count];
        long[] positions = new long[count];
        for (int i = 0; i < count; i++) {
            hashes[i] = random.nextLong();
            positions[i] = i + 1;
        }
        long fewest = CacheSlotDescriptor.homeSlotCount(count);
        long tail = CacheSlotDescriptor.tailSlots(fewest);
        long home = CacheSlotDescriptor.homeSlotsFillingTheBlock(fewest, tail);
        MemorySegment table = MemorySegment.ofArray(new long[(int) (home + tail)]);
        int longest = TableOrder.place(hashes, positions, count, home, table);
        assertThat(longest).isBetween(0, CacheSlotDescriptor.MAX_DISPLACEMENT);

        long previousHome = -1;
        int seen = 0;
        int largest = 0;
        boolean gap = true; // before the first entry, or after an empty slot
        for (long at = 0; at < home + tail; at++) {
            long slot = table.getAtIndex(CacheSlotDescriptor.SLOT, at);
            if (slot == CacheSlotDescriptor.EMPTY) {
                gap = true;
                continue;
            }
            int entry = (int) CacheSlotDescriptor.position(slot) - 1;
            long entryHome = CacheSlotDescriptor.homeSlot(hashes[entry], home);
            assertThat(at - CacheSlotDescriptor.displacement(slot)).isEqualTo(entryHome);
            assertThat(CacheSlotDescriptor.fingerprint(slot)).isEqualTo(hashes[entry] & CacheSlotDescriptor.FINGERPRINT_MASK);
            assertThat(entryHome).isGreaterThanOrEqualTo(previousHome);
            if (gap) {
                assertThat(CacheSlotDescriptor.displacement(slot)).as("an entry after an empty slot is at its home").isZero();
            }
            largest = Math.max(largest, CacheSlotDescriptor.displacement(slot));
            previousHome = entryHome;
            gap = false;
            seen++;
        }
        assertThat(seen).isEqualTo(count);
        assertThat(largest).isEqualTo(longest);
        assertThat(table.getAtIndex(CacheSlotDescriptor.SLOT, home + tail - 1)).isEqualTo(CacheSlotDescriptor.EMPTY);
    }

    @Example
    void moreThan256EntriesOfOneHomeDoNotFit() {
        int count = CacheSlotDescriptor.MAX_DISPLACEMENT + 2;
        long[] hashes = new long[count]; // every hash 0: every home slot 0
        long[] positions = new long[count];
        for (int i = 0; i < count; i++) {
            positions[i] = i + 1;
        }
        MemorySegment table = MemorySegment.ofArray(new long[4096]);
        assertThat(TableOrder.place(hashes, positions, count, 3000, table)).isEqualTo(-1);
        assertThat(TableOrder.place(hashes, positions, count - 1, 3000, table)).isEqualTo(CacheSlotDescriptor.MAX_DISPLACEMENT);
    }

    @Example
    void anEntryInTheLastSlotDoesNotFit() {
        long[] hashes = {-1L, -1L}; // both home at the last home slot
        long[] positions = {1, 2};
        assertThat(TableOrder.place(hashes, positions, 2, 4, MemorySegment.ofArray(new long[6]))).isEqualTo(1);
        assertThat(TableOrder.place(hashes, positions, 2, 4, MemorySegment.ofArray(new long[5]))).isEqualTo(-1);
    }
}
