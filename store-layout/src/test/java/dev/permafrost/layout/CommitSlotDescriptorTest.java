package dev.permafrost.layout;

import static dev.permafrost.layout.StoreFormat.INT;
import static dev.permafrost.layout.StoreFormat.LONG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.layout.CommitSlotDescriptor.CommitSlot;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CommitSlotDescriptorTest {
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment slot = arena.allocate(CommitSlotDescriptor.LENGTH, 8);

    @AfterEach
    void free() {
        arena.close();
    }

    @Test
    void encodeThenDecodeGivesBackEveryField() {
        CommitSlot written = sample(7, CommitSlotDescriptor.FLAG_CLEAN | CommitSlotDescriptor.FLAG_FROZEN);
        CommitSlotDescriptor.encode(slot, written);
        CommitSlot read = CommitSlotDescriptor.decodeIfValid(slot);
        assertThat(read).isNotNull();
        assertThat(read).usingRecursiveComparison().isEqualTo(written);
        assertThat(read.freeHeads()).containsExactly(written.freeHeads());
        assertThat(read.isClean()).isTrue();
        assertThat(read.isFrozen()).isTrue();
    }

    @Test
    void aChecksumWithTheHighBitSetRoundTripsAndTakesOnlyTheLowFourBytes() {
        CommitSlot written = sample(2, 0);
        assertThat(written.frozenChecksum()).isNegative();
        CommitSlotDescriptor.encode(slot, written);
        assertThat(slot.get(LONG, CommitSlotDescriptor.FROZEN_CHECKSUM_OFFSET)).isEqualTo(Integer.toUnsignedLong(written.frozenChecksum()));
        assertThat(CommitSlotDescriptor.decodeIfValid(slot).frozenChecksum()).isEqualTo(written.frozenChecksum());
    }

    @Test
    void encodeWritesMagicClassCountAndChecksumAndZeroesTheRest() {
        slot.fill((byte) 0x77);
        CommitSlotDescriptor.encode(slot, sample(3, 0));
        assertThat(new String(slot.asSlice(0, 8).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII)).isEqualTo("PFCOMMIT");
        assertThat(slot.get(INT, CommitSlotDescriptor.CLASS_COUNT_OFFSET)).isEqualTo(SizeClasses.COUNT);
        long headsEnd = CommitSlotDescriptor.FREE_HEADS_OFFSET + 8L * SizeClasses.COUNT;
        for (long i = CommitSlotDescriptor.WASTED_BYTES_OFFSET + 8; i < CommitSlotDescriptor.FREE_HEADS_OFFSET; i++) {
            assertThat(slot.get(ValueLayout.JAVA_BYTE, i)).as("byte %d", i).isZero();
        }
        for (long i = headsEnd; i < CommitSlotDescriptor.CHECKSUM_OFFSET; i++) {
            assertThat(slot.get(ValueLayout.JAVA_BYTE, i)).as("byte %d", i).isZero();
        }
        assertThat(slot.get(INT, CommitSlotDescriptor.CHECKSUM_OFFSET))
                .isEqualTo(Checksums.crc32c(slot, 0, CommitSlotDescriptor.CHECKSUM_OFFSET));
    }

    @Test
    void evenGenerationsGoToSlotZeroAndOddOnesToSlotOne() {
        assertThat(CommitSlotDescriptor.slotOffset(2)).isEqualTo(StoreFormat.COMMIT_SLOT_0_OFFSET);
        assertThat(CommitSlotDescriptor.slotOffset(1)).isEqualTo(StoreFormat.COMMIT_SLOT_1_OFFSET);
        for (long g = 1; g < 100; g++) {
            assertThat(CommitSlotDescriptor.slotOffset(g)).as("consecutive generations alternate")
                    .isNotEqualTo(CommitSlotDescriptor.slotOffset(g + 1));
        }
    }

    @Test
    void aSlotThatWasNeverWrittenIsNotValid() {
        slot.fill((byte) 0);
        assertThat(CommitSlotDescriptor.decodeIfValid(slot)).isNull();
    }

    @Test
    void aTornSlotIsNotValid() {
        CommitSlotDescriptor.encode(slot, sample(4, 0));
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment next = scratch.allocate(CommitSlotDescriptor.LENGTH, 8);
            CommitSlotDescriptor.encode(next, sample(6, CommitSlotDescriptor.FLAG_CLEAN));
            // the crash came after the first 512 bytes of generation 6 reached the page
            MemorySegment.copy(next, 0, slot, 0, 512);
        }
        assertThat(CommitSlotDescriptor.decodeIfValid(slot)).isNull();
    }

    @Test
    void aSingleFlippedBitAnywhereMakesTheSlotInvalid() {
        CommitSlotDescriptor.encode(slot, sample(5, 0));
        for (long i = 0; i < CommitSlotDescriptor.LENGTH; i += 61) {
            byte b = slot.get(ValueLayout.JAVA_BYTE, i);
            slot.set(ValueLayout.JAVA_BYTE, i, (byte) (b ^ 0x10));
            assertThat(CommitSlotDescriptor.decodeIfValid(slot)).as("bit flipped at byte %d", i).isNull();
            slot.set(ValueLayout.JAVA_BYTE, i, b);
        }
        assertThat(CommitSlotDescriptor.decodeIfValid(slot)).isNotNull();
    }

    @Test
    void aWrongMagicIsNotValidEvenWithAMatchingChecksum() {
        CommitSlotDescriptor.encode(slot, sample(5, 0));
        slot.set(LONG, CommitSlotDescriptor.MAGIC_OFFSET, SuperblockDescriptor.MAGIC);
        rechecksum();
        assertThat(CommitSlotDescriptor.decodeIfValid(slot)).isNull();
    }

    @Test
    void generationZeroIsNotValidEvenWithAMatchingChecksum() {
        CommitSlotDescriptor.encode(slot, sample(0, 0));
        assertThat(CommitSlotDescriptor.decodeIfValid(slot)).isNull();
        CommitSlotDescriptor.encode(slot, sample(-2, 0));
        assertThat(CommitSlotDescriptor.decodeIfValid(slot)).isNull();
    }

    @Test
    void anUnknownFlagOrAnotherClassCountIsNotValid() {
        CommitSlotDescriptor.encode(slot, sample(5, 1 << 2));
        assertThat(CommitSlotDescriptor.decodeIfValid(slot)).isNull();
        CommitSlotDescriptor.encode(slot, sample(5, 0));
        slot.set(INT, CommitSlotDescriptor.CLASS_COUNT_OFFSET, SizeClasses.COUNT - 1);
        rechecksum();
        assertThat(CommitSlotDescriptor.decodeIfValid(slot)).isNull();
    }

    @Test
    void newestTakesTheValidSlotWithTheHigherGeneration() {
        CommitSlot older = sample(8, CommitSlotDescriptor.FLAG_CLEAN);
        CommitSlot newer = sample(9, 0);
        assertThat(CommitSlotDescriptor.newest(older, newer)).isSameAs(newer);
        assertThat(CommitSlotDescriptor.newest(newer, older)).isSameAs(newer);
        assertThat(CommitSlotDescriptor.newest(null, older)).isSameAs(older);
        assertThat(CommitSlotDescriptor.newest(older, null)).isSameAs(older);
        assertThat(CommitSlotDescriptor.newest(null, null)).isNull();
    }

    @Test
    void aCommitTornByACrashLeavesThePreviousOneNewest() {
        try (Arena pages = Arena.ofConfined()) {
            MemorySegment slot0 = pages.allocate(CommitSlotDescriptor.LENGTH, 8);
            MemorySegment slot1 = pages.allocate(CommitSlotDescriptor.LENGTH, 8);
            CommitSlotDescriptor.encode(slot1, sample(11, 0));
            CommitSlotDescriptor.encode(slot0, sample(12, CommitSlotDescriptor.FLAG_CLEAN));
            // generation 13 goes to slot 1 and is torn: only its first 8 bytes of the state reached the page
            MemorySegment next = pages.allocate(CommitSlotDescriptor.LENGTH, 8);
            CommitSlotDescriptor.encode(next, sample(13, 0));
            MemorySegment.copy(next, 0, slot1, 0, CommitSlotDescriptor.FLAGS_OFFSET);
            CommitSlot newest = CommitSlotDescriptor.newest(CommitSlotDescriptor.decodeIfValid(slot0),
                    CommitSlotDescriptor.decodeIfValid(slot1));
            assertThat(newest.generation()).isEqualTo(12);
            assertThat(newest.isClean()).isTrue();
        }
    }

    @Test
    void nextKeepsTheStateUnderANewGenerationAndFlags() {
        CommitSlot s = sample(3, CommitSlotDescriptor.FLAG_CLEAN);
        CommitSlot next = s.next(4, 0);
        assertThat(next.generation()).isEqualTo(4);
        assertThat(next.isClean()).isFalse();
        assertThat(next).usingRecursiveComparison().ignoringFields("generation", "flags").isEqualTo(s);
    }

    private void rechecksum() {
        slot.set(INT, CommitSlotDescriptor.CHECKSUM_OFFSET, Checksums.crc32c(slot, 0, CommitSlotDescriptor.CHECKSUM_OFFSET));
    }

    /** A slot whose every field has a distinct value, so a field written to the wrong offset shows. */
    private static CommitSlot sample(long generation, int flags) {
        long[] heads = new long[SizeClasses.COUNT];
        for (int c = 0; c < heads.length; c++) {
            heads[c] = c % 3 == 0 ? 0 : StoreFormat.HEAP_START_OFFSET + 16L * (c * 7919L + generation);
        }
        return new CommitSlot(generation, flags, 0x10_0000L + 16 * generation, 0x20_0000L, 0xCAFEBABE,
                0x3010, 0x4020, 1001, 2002, 3003, 4004, heads);
    }
}
