package dev.permafrost.layout;

import static dev.permafrost.layout.StoreFormat.INT;
import static dev.permafrost.layout.StoreFormat.LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.permafrost.error.CorruptStoreException;
import dev.permafrost.error.IncompatibleVersionException;
import dev.permafrost.error.NotAStoreException;
import dev.permafrost.error.PermafrostException;
import dev.permafrost.error.TruncatedStoreException;
import dev.permafrost.layout.CommitSlotDescriptor.CommitSlot;
import dev.permafrost.layout.StoreHeaders.Headers;
import dev.permafrost.layout.StoreHeaders.SlotReport;
import dev.permafrost.layout.StoreHeaders.SlotState;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The header validator on hand-made headers: every kind of damage, in either slot, and every length. */
class StoreHeadersTest {
    private static final Path FILE = Path.of("/stores/headers.pf");
    private static final long CAPACITY = 1L << 20;
    private static final long BUMP = StoreFormat.HEAP_START_OFFSET + 4096 + 48;

    private final MemorySegment header = MemorySegment.ofArray(new byte[StoreHeaders.LENGTH]);

    /** A header as a clean close leaves it: generation 1 (dirty) in slot 1, generation 2 (clean) in slot 0. */
    StoreHeadersTest() {
        SuperblockDescriptor.encode(header, CAPACITY, 1_764_000_000_000L);
        writeSlot(slot(1, 0, BUMP - 48));
        writeSlot(slot(2, CommitSlotDescriptor.FLAG_CLEAN, BUMP));
    }

    private static CommitSlot slot(long generation, int flags, long bump) {
        long[] heads = new long[SizeClasses.COUNT];
        heads[3] = StoreFormat.HEAP_START_OFFSET + 64;
        boolean frozen = (flags & CommitSlotDescriptor.FLAG_FROZEN) != 0;
        return new CommitSlot(generation, flags, bump, frozen ? StoreFormat.alignToPage(bump) : 0, 0,
                StoreFormat.HEAP_START_OFFSET, StoreFormat.HEAP_START_OFFSET + 32, 3, 96, 64, 0, frozen ? new long[SizeClasses.COUNT] : heads);
    }

    private void writeSlot(CommitSlot state) {
        CommitSlotDescriptor.encode(page(CommitSlotDescriptor.slotOffset(state.generation())), state);
    }

    private MemorySegment page(long slotOffset) {
        return header.asSlice(slotOffset, CommitSlotDescriptor.LENGTH);
    }

    /** Changes a slot, then (if asked) gives it a checksum that matches, as a writer of that content would. */
    private void patchSlot(long slotOffset, boolean rechecksum, Consumer<MemorySegment> change) {
        MemorySegment page = page(slotOffset);
        change.accept(page);
        if (rechecksum) {
            page.set(INT, CommitSlotDescriptor.CHECKSUM_OFFSET, Checksums.crc32c(page, 0, CommitSlotDescriptor.CHECKSUM_OFFSET));
        }
    }

    private Headers validate() {
        return StoreHeaders.validate(header, CAPACITY, FILE);
    }

    private static long otherSlot(long slotOffset) {
        return slotOffset == StoreFormat.COMMIT_SLOT_0_OFFSET ? StoreFormat.COMMIT_SLOT_1_OFFSET : StoreFormat.COMMIT_SLOT_0_OFFSET;
    }

    private static int index(long slotOffset) {
        return slotOffset == StoreFormat.COMMIT_SLOT_0_OFFSET ? 0 : 1;
    }

    @Test
    void aCleanHeaderCommitsTheNewestValidSlot() {
        Headers headers = validate();
        assertThat(headers.superblock().capacityBytes()).isEqualTo(CAPACITY);
        assertThat(headers.committed().generation()).isEqualTo(2);
        assertThat(headers.committedSlotOffset()).isEqualTo(StoreFormat.COMMIT_SLOT_0_OFFSET);
        for (int i = 0; i < 2; i++) {
            SlotReport report = headers.slot(i);
            assertThat(report.state()).as("slot %d", i).isEqualTo(SlotState.VALID);
            assertThat(report.index()).isEqualTo(i);
            assertThat(report.problem()).isNull();
            assertThat(report.problemOffset()).isEqualTo(PermafrostException.NO_OFFSET);
        }
        assertThat(headers.slot1().generation()).isEqualTo(1);
        assertThat(headers.newerCommit()).isNull();
        assertThatCode(headers::checkNewestCommitIsReadable).doesNotThrowAnyException();
        assertThatThrownBy(() -> headers.slot(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aNewStoreHasOneUnusedSlot() {
        page(StoreFormat.COMMIT_SLOT_0_OFFSET).fill((byte) 0); // as create leaves it: generation 1 only
        Headers headers = validate();
        assertThat(headers.slot0().state()).isEqualTo(SlotState.UNUSED);
        assertThat(headers.slot0().problem()).isNull();
        assertThat(headers.committed().generation()).isEqualTo(1);
    }

    @Test
    void anEmptyFileIsNotAStore() {
        NotAStoreException e = catchThrowableOfType(NotAStoreException.class,
                () -> StoreHeaders.validate(MemorySegment.NULL, 0, FILE));
        assertThat(e.getMessage()).contains(FILE.toString()).contains("empty file");
        assertThat(e.offset()).isEqualTo(PermafrostException.NO_OFFSET);
    }

    @Test
    void aShortFileThatDoesNotStartLikeTheMagicIsNotAStore() {
        MemorySegment text = MemorySegment.ofArray("hello\n".getBytes(StandardCharsets.US_ASCII));
        NotAStoreException e = catchThrowableOfType(NotAStoreException.class, () -> StoreHeaders.validate(text, 6, FILE));
        assertThat(e.getMessage()).contains("not a Permafrost store").contains(SuperblockDescriptor.MAGIC_TEXT).contains("6 bytes");
        assertThat(e.offset()).isZero();
    }

    @Test
    void aLongFileWithoutTheMagicIsNotAStore() {
        header.set(LONG, SuperblockDescriptor.MAGIC_OFFSET, 0x0A0D474E5089L); // a PNG signature
        NotAStoreException e = catchThrowableOfType(NotAStoreException.class, this::validate);
        assertThat(e.getMessage()).contains("not a Permafrost store").contains(SuperblockDescriptor.MAGIC_TEXT);
        assertThat(e.offset()).isEqualTo(SuperblockDescriptor.MAGIC_OFFSET);
    }

    @ParameterizedTest(name = "cut to {0} bytes")
    @ValueSource(longs = {1, 7, 8, 100, 127})
    void aFileCutInsideTheSuperblockIsTruncated(long length) {
        TruncatedStoreException e = catchThrowableOfType(TruncatedStoreException.class,
                () -> StoreHeaders.validate(header.asSlice(0, length), length, FILE));
        assertThat(e.getMessage()).contains("truncated").contains(length + " bytes").contains("superblock");
        assertThat(e.offset()).isEqualTo(length);
    }

    @ParameterizedTest(name = "cut to {0} bytes")
    @ValueSource(longs = {128, 4095, 4096, 8192, StoreHeaders.LENGTH - 1})
    void aFileCutInsideTheCommitSlotsIsTruncated(long length) {
        TruncatedStoreException e = catchThrowableOfType(TruncatedStoreException.class,
                () -> StoreHeaders.validate(header.asSlice(0, length), length, FILE));
        assertThat(e.getMessage()).contains("truncated").contains(length + " bytes").contains("commit slots");
        assertThat(e.offset()).isEqualTo(length);
    }

    @Test
    void headerBytesThatEndBeforeTheFileSaysItDoesAreTruncatedWhereTheyEnd() {
        TruncatedStoreException e = catchThrowableOfType(TruncatedStoreException.class,
                () -> StoreHeaders.validate(header.asSlice(0, 5000), CAPACITY, FILE)); // the file shrank during the read
        assertThat(e.offset()).isEqualTo(5000);
    }

    @Test
    void aNegativeLengthIsTheCallersBug() {
        assertThatThrownBy(() -> StoreHeaders.validate(header, -1, FILE)).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void aBadSuperblockIsRefusedBeforeTheSlotsAreRead() {
        header.set(ValueLayout.JAVA_BYTE, 60, (byte) 1); // a reserved byte: the checksum fails
        CorruptStoreException e = catchThrowableOfType(CorruptStoreException.class, this::validate);
        assertThat(e.getMessage()).contains("superblock checksum");
        assertThat(e.offset()).isEqualTo(SuperblockDescriptor.CHECKSUM_OFFSET);
    }

    /** Each kind of damage, in either slot: the slot is DAMAGED and says why and where; the other slot is committed. */
    @ParameterizedTest(name = "slot at {0}")
    @ValueSource(longs = {StoreFormat.COMMIT_SLOT_0_OFFSET, StoreFormat.COMMIT_SLOT_1_OFFSET})
    void eachKindOfDamageMarksTheSlotDamagedAndTheOtherIsCommitted(long slotOffset) {
        Object[][] kinds = {
            {"torn", false, CommitSlotDescriptor.CHECKSUM_OFFSET, "checksum mismatch",
                (Consumer<MemorySegment>) p -> p.set(ValueLayout.JAVA_BYTE, 3000, (byte) 0x5a)},
            {"no magic", true, CommitSlotDescriptor.MAGIC_OFFSET, "no commit-slot magic",
                (Consumer<MemorySegment>) p -> p.set(LONG, CommitSlotDescriptor.MAGIC_OFFSET, 0x1234)},
            {"generation 0", true, CommitSlotDescriptor.GENERATION_OFFSET, "not positive",
                (Consumer<MemorySegment>) p -> p.set(LONG, CommitSlotDescriptor.GENERATION_OFFSET, 0)},
            {"negative generation", true, CommitSlotDescriptor.GENERATION_OFFSET, "not positive",
                (Consumer<MemorySegment>) p -> p.set(LONG, CommitSlotDescriptor.GENERATION_OFFSET, -2)},
            {"wrong parity", true, CommitSlotDescriptor.GENERATION_OFFSET, "belongs in the other slot",
                (Consumer<MemorySegment>) p -> p.set(LONG, CommitSlotDescriptor.GENERATION_OFFSET,
                        p.get(LONG, CommitSlotDescriptor.GENERATION_OFFSET) + 9)},
        };
        for (Object[] kind : kinds) {
            StoreHeadersTest fresh = new StoreHeadersTest();
            @SuppressWarnings("unchecked")
            Consumer<MemorySegment> change = (Consumer<MemorySegment>) kind[4];
            fresh.patchSlot(slotOffset, (Boolean) kind[1], change);
            Headers headers = fresh.validate();
            SlotReport report = headers.slot(index(slotOffset));
            assertThat(report.state()).as((String) kind[0]).isEqualTo(SlotState.DAMAGED);
            assertThat(report.slot()).as((String) kind[0]).isNull();
            assertThat(report.problem()).as((String) kind[0]).contains((String) kind[3]);
            assertThat(report.problemOffset()).as((String) kind[0]).isEqualTo(slotOffset + (Integer) kind[2]);
            assertThat(headers.committedSlotOffset()).as((String) kind[0]).isEqualTo(otherSlot(slotOffset));
            assertThat(headers.slot(1 - index(slotOffset)).state()).isEqualTo(SlotState.VALID);
        }
    }

    @Test
    void bothSlotsDamagedIsCorruptAndSaysWhyForEach() {
        patchSlot(StoreFormat.COMMIT_SLOT_0_OFFSET, false, p -> p.set(ValueLayout.JAVA_BYTE, 100, (byte) 1));
        patchSlot(StoreFormat.COMMIT_SLOT_1_OFFSET, true, p -> p.set(LONG, CommitSlotDescriptor.GENERATION_OFFSET, 4));
        CorruptStoreException e = catchThrowableOfType(CorruptStoreException.class, this::validate);
        assertThat(e.getMessage()).contains("neither commit slot is valid").contains("slot 0: checksum mismatch")
                .contains("slot 1: generation 4 belongs in the other slot");
        assertThat(e.offset()).isEqualTo(StoreFormat.COMMIT_SLOT_0_OFFSET);
    }

    @Test
    void noSlotEverWrittenIsCorrupt() {
        page(StoreFormat.COMMIT_SLOT_0_OFFSET).fill((byte) 0);
        page(StoreFormat.COMMIT_SLOT_1_OFFSET).fill((byte) 0);
        CorruptStoreException e = catchThrowableOfType(CorruptStoreException.class, this::validate);
        assertThat(e.getMessage()).contains("slot 0: never written; slot 1: never written");
    }

    /** The newest slot, in either place, with a flag or a class count this build does not know. */
    @ParameterizedTest(name = "newest slot at {0}")
    @ValueSource(longs = {StoreFormat.COMMIT_SLOT_0_OFFSET, StoreFormat.COMMIT_SLOT_1_OFFSET})
    void aNewestSlotFromANewerFormatIsShownAsSuchAndRefusedForOpening(long slotOffset) {
        if (slotOffset == StoreFormat.COMMIT_SLOT_1_OFFSET) {
            writeSlot(slot(3, 0, BUMP + 16)); // generation 3 goes to slot 1, above 2 in slot 0
        }
        long olderGeneration = slotOffset == StoreFormat.COMMIT_SLOT_0_OFFSET ? 1 : 2;
        for (boolean unknownFlag : new boolean[] {true, false}) {
            patchSlot(slotOffset, true, unknownFlag
                    ? p -> p.set(INT, CommitSlotDescriptor.FLAGS_OFFSET, CommitSlotDescriptor.FLAG_CLEAN | 1 << 5)
                    : p -> p.set(INT, CommitSlotDescriptor.CLASS_COUNT_OFFSET, SizeClasses.COUNT + 8));
            Headers headers = validate();
            SlotReport newer = headers.slot(index(slotOffset));
            long field = unknownFlag ? CommitSlotDescriptor.FLAGS_OFFSET : CommitSlotDescriptor.CLASS_COUNT_OFFSET;
            assertThat(newer.state()).isEqualTo(SlotState.NEWER_FORMAT);
            assertThat(newer.slot()).isNull();
            assertThat(newer.problem()).contains("newer format").contains(unknownFlag ? "flags 0x21" : (SizeClasses.COUNT + 8) + " size classes");
            assertThat(newer.problemOffset()).isEqualTo(slotOffset + field);
            assertThat(headers.committed().generation()).as("the CLI shows the newest commit it reads").isEqualTo(olderGeneration);
            assertThat(headers.newerCommit()).isEqualTo(newer);
            IncompatibleVersionException e = catchThrowableOfType(IncompatibleVersionException.class,
                    headers::checkNewestCommitIsReadable);
            assertThat(e.offset()).isEqualTo(slotOffset + field);
            assertThat(e.getMessage()).contains(FILE.toString()).contains("newer format").contains("roll the store back");
            patchSlot(slotOffset, true, p -> {
                p.set(INT, CommitSlotDescriptor.FLAGS_OFFSET, 0);
                p.set(INT, CommitSlotDescriptor.CLASS_COUNT_OFFSET, SizeClasses.COUNT);
            });
        }
    }

    @Test
    void aNewerFormatSlotThatALaterCommitSupersededIsHarmless() {
        // a newer build wrote generation 1 in its format, then generation 2 in one this build reads
        patchSlot(StoreFormat.COMMIT_SLOT_1_OFFSET, true, p -> p.set(INT, CommitSlotDescriptor.FLAGS_OFFSET, 1 << 7));
        Headers headers = validate();
        assertThat(headers.slot1().state()).isEqualTo(SlotState.NEWER_FORMAT);
        assertThat(headers.committed().generation()).isEqualTo(2);
        assertThat(headers.newerCommit()).isNull();
        assertThatCode(headers::checkNewestCommitIsReadable).doesNotThrowAnyException();
    }

    @Test
    void onlyNewerFormatSlotsAreIncompatible() {
        patchSlot(StoreFormat.COMMIT_SLOT_0_OFFSET, true, p -> p.set(INT, CommitSlotDescriptor.FLAGS_OFFSET, 1 << 9));
        page(StoreFormat.COMMIT_SLOT_1_OFFSET).fill((byte) 0);
        IncompatibleVersionException e = catchThrowableOfType(IncompatibleVersionException.class, this::validate);
        assertThat(e.getMessage()).contains("newer format").contains("no commit slot this build reads");
        assertThat(e.offset()).isEqualTo(StoreFormat.COMMIT_SLOT_0_OFFSET + CommitSlotDescriptor.FLAGS_OFFSET);
    }

    @Test
    void anOlderSlotThatNoLongerFitsTheFileBelowANewerCommitIsIncompatibleNotTruncated() {
        // a newer build froze the store and trimmed the file: the older, unfrozen slot expects the capacity
        patchSlot(StoreFormat.COMMIT_SLOT_0_OFFSET, true, p -> p.set(INT, CommitSlotDescriptor.FLAGS_OFFSET, 1 << 6 | 3));
        long trimmed = StoreFormat.alignToPage(BUMP);
        IncompatibleVersionException e = catchThrowableOfType(IncompatibleVersionException.class,
                () -> StoreHeaders.validate(header, trimmed, FILE));
        assertThat(e.getMessage()).contains("newer format").contains("does not fit the file");
        assertThat(e.getCause()).isInstanceOf(TruncatedStoreException.class);
    }

    @ParameterizedTest(name = "bump offset {0}")
    @ValueSource(longs = {0, 4096, StoreFormat.HEAP_START_OFFSET + 8, CAPACITY + 16, Long.MAX_VALUE - 15, -16})
    void aCommittedBumpOffsetOutOfRangeIsCorrupt(long bump) {
        patchSlot(StoreFormat.COMMIT_SLOT_0_OFFSET, true, p -> p.set(LONG, CommitSlotDescriptor.BUMP_OFFSET, bump));
        CorruptStoreException e = catchThrowableOfType(CorruptStoreException.class, this::validate);
        assertThat(e.getMessage()).contains("bump offset");
        assertThat(e.offset()).isEqualTo(StoreFormat.COMMIT_SLOT_0_OFFSET + CommitSlotDescriptor.BUMP_OFFSET);
    }

    @Test
    void aFrozenBoundaryThatIsNotThePageAboveTheBumpOffsetIsCorrupt() {
        writeSlot(slot(3, CommitSlotDescriptor.FLAG_CLEAN | CommitSlotDescriptor.FLAG_FROZEN, BUMP));
        long boundary = StoreFormat.alignToPage(BUMP);
        assertThat(StoreHeaders.validate(header, boundary, FILE).committed().isFrozen()).isTrue();
        patchSlot(StoreFormat.COMMIT_SLOT_1_OFFSET, true, p -> p.set(LONG, CommitSlotDescriptor.FROZEN_BOUNDARY_OFFSET, boundary + 4096));
        CorruptStoreException e = catchThrowableOfType(CorruptStoreException.class,
                () -> StoreHeaders.validate(header, boundary + 4096, FILE));
        assertThat(e.getMessage()).contains("frozen boundary");
        assertThat(e.offset()).isEqualTo(StoreFormat.COMMIT_SLOT_1_OFFSET + CommitSlotDescriptor.FROZEN_BOUNDARY_OFFSET);
    }

    @Test
    void aTableReferenceOrFreeListHeadOutsideTheHeapIsCorruptAtItsField() {
        Object[][] fields = {
            {CommitSlotDescriptor.TYPE_TABLE_OFFSET, "type table", BUMP},
            {CommitSlotDescriptor.ROOT_TABLE_OFFSET, "root table", StoreFormat.HEAP_START_OFFSET + 8},
            {CommitSlotDescriptor.TYPE_TABLE_OFFSET, "type table", 16L},
            {CommitSlotDescriptor.FREE_HEADS_OFFSET + 8 * 5, "free list 5", CAPACITY - 4096},
        };
        for (Object[] field : fields) {
            StoreHeadersTest fresh = new StoreHeadersTest();
            int offset = (Integer) field[0];
            fresh.patchSlot(StoreFormat.COMMIT_SLOT_0_OFFSET, true, p -> p.set(LONG, offset, (Long) field[2]));
            CorruptStoreException e = catchThrowableOfType(CorruptStoreException.class, fresh::validate);
            assertThat(e.getMessage()).as((String) field[1]).contains(field[1] + " 0x").contains("inside the heap");
            assertThat(e.offset()).isEqualTo(StoreFormat.COMMIT_SLOT_0_OFFSET + offset);
        }
    }

    @Test
    void anUnfrozenFileShorterThanItsCapacityIsTruncatedAndALongerOneCorrupt() {
        TruncatedStoreException shorter = catchThrowableOfType(TruncatedStoreException.class,
                () -> StoreHeaders.validate(header, CAPACITY - 1, FILE));
        assertThat(shorter.getMessage()).contains("truncated").contains((CAPACITY - 1) + " bytes").contains("capacity");
        assertThat(shorter.offset()).isEqualTo(CAPACITY - 1);
        CorruptStoreException longer = catchThrowableOfType(CorruptStoreException.class,
                () -> StoreHeaders.validate(header, CAPACITY + 4096, FILE));
        assertThat(longer).isNotInstanceOf(TruncatedStoreException.class);
        assertThat(longer.getMessage()).contains("longer than its capacity");
        assertThat(longer.offset()).isEqualTo(CAPACITY);
    }

    @Test
    void aFrozenFileShorterThanItsBoundaryIsTruncatedAndALongerOneOpens() {
        writeSlot(slot(3, CommitSlotDescriptor.FLAG_CLEAN | CommitSlotDescriptor.FLAG_FROZEN, BUMP));
        long boundary = StoreFormat.alignToPage(BUMP);
        TruncatedStoreException e = catchThrowableOfType(TruncatedStoreException.class,
                () -> StoreHeaders.validate(header, boundary - 1, FILE));
        assertThat(e.getMessage()).contains("frozen boundary");
        assertThat(StoreHeaders.validate(header, CAPACITY, FILE).committed().generation())
                .as("a freeze that died before its trim").isEqualTo(3);
    }
}
