package dev.permafrost.store;

import static dev.permafrost.store.StoreFiles.assertRefusedUnchanged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.permafrost.error.CorruptStoreException;
import dev.permafrost.error.IncompatibleVersionException;
import dev.permafrost.error.NotAStoreException;
import dev.permafrost.error.PermafrostException;
import dev.permafrost.error.StoreAccessException;
import dev.permafrost.error.StoreLockedException;
import dev.permafrost.error.StoreNotCleanException;
import dev.permafrost.error.StoreStateException;
import dev.permafrost.error.TruncatedStoreException;
import dev.permafrost.layout.CommitSlotDescriptor;
import dev.permafrost.layout.CommitSlotDescriptor.CommitSlot;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.SuperblockDescriptor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of bad file and forbidden open: each is refused with its own exception type, names
 * the file (and the offset of the structure concerned), and leaves the file's bytes as they were.
 */
class StoreBadInputTest {
    private static final long CAPACITY_BYTES = 256 * 1024;

    @TempDir
    Path dir;

    /** A closed, clean store with one object whose payload is "payload". */
    private Path cleanStore() {
        Path path = dir.resolve("store.pf");
        try (Store store = Store.create(path, CAPACITY_BYTES)) {
            long object = store.allocate(7);
            store.payload(object).copyFrom(MemorySegment.ofArray("payload".getBytes(StandardCharsets.US_ASCII)));
        }
        return path;
    }

    private Path frozenStore() {
        Path path = dir.resolve("frozen.pf");
        try (Store store = Store.create(path, CAPACITY_BYTES)) {
            for (int i = 0; i < 40; i++) {
                store.allocate(200);
            }
            store.freeze();
        }
        return path;
    }

    @ParameterizedTest
    @EnumSource(OpenMode.class)
    void aMissingFileIsRefusedAndNotCreated(OpenMode mode) {
        Path path = dir.resolve("missing.pf");
        StoreAccessException e = assertRefusedUnchanged(path, StoreAccessException.class, PermafrostException.NO_OFFSET,
                () -> Store.open(path, mode));
        assertThat(e.getMessage()).contains("no such file");
    }

    @ParameterizedTest
    @EnumSource(OpenMode.class)
    void aDirectoryIsRefused(OpenMode mode) {
        StoreAccessException e = assertRefusedUnchanged(dir, StoreAccessException.class, PermafrostException.NO_OFFSET,
                () -> Store.open(dir, mode));
        assertThat(e.getMessage()).contains("directory");
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aNamedPipeIsRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("pipe.pf");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        // before the fix, open(2) of a FIFO blocked this thread forever waiting for a writer
        StoreAccessException e = assertRefusedUnchanged(fifo, StoreAccessException.class, PermafrostException.NO_OFFSET,
                () -> Store.open(fifo, OpenMode.READ_ONLY));
        assertThat(e.getMessage()).contains("not a regular file");
    }

    @ParameterizedTest
    @EnumSource(OpenMode.class)
    void anEmptyFileIsNotAStore(OpenMode mode) throws IOException {
        Path path = Files.createFile(dir.resolve("empty.pf"));
        NotAStoreException e = assertRefusedUnchanged(path, NotAStoreException.class, null, () -> Store.open(path, mode));
        assertThat(e.getMessage()).contains("empty");
        assertThat(Files.size(path)).isZero();
    }

    @Test
    void aShortTextFileIsNotAStore() {
        Path path = dir.resolve("notes.txt");
        StoreFiles.write(path, "just some notes\n".getBytes(StandardCharsets.US_ASCII));
        for (OpenMode mode : OpenMode.values()) {
            NotAStoreException e = assertRefusedUnchanged(path, NotAStoreException.class, 0L, () -> Store.open(path, mode));
            assertThat(e.getMessage()).contains("PRMFROST");
        }
    }

    @Test
    void aLongTextFileIsNotAStore() {
        Path path = dir.resolve("README.txt");
        StoreFiles.write(path, "Permafrost is an off-heap object store. ".repeat(300).getBytes(StandardCharsets.US_ASCII));
        for (OpenMode mode : OpenMode.values()) {
            NotAStoreException e = assertRefusedUnchanged(path, NotAStoreException.class,
                    (long) SuperblockDescriptor.MAGIC_OFFSET, () -> Store.open(path, mode));
            assertThat(e.getMessage()).contains("not a Permafrost store").contains("PRMFROST");
        }
    }

    @Test
    void aPngImageIsNotAStore() {
        Path path = dir.resolve("image.png");
        byte[] png = new byte[8192];
        byte[] header = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        System.arraycopy(header, 0, png, 0, header.length);
        StoreFiles.write(path, png);
        for (OpenMode mode : OpenMode.values()) {
            NotAStoreException e = assertRefusedUnchanged(path, NotAStoreException.class, 0L, () -> Store.open(path, mode));
            assertThat(e.getMessage()).contains("not a Permafrost store");
        }
    }

    @ParameterizedTest(name = "cut to {0} bytes")
    @ValueSource(longs = {1, 8, 100, 127})
    void aStoreCutInsideTheSuperblockIsTruncated(long length) {
        Path path = cleanStore();
        StoreFiles.truncate(path, length);
        for (OpenMode mode : OpenMode.values()) {
            TruncatedStoreException e = assertRefusedUnchanged(path, TruncatedStoreException.class, length,
                    () -> Store.open(path, mode));
            assertThat(e.getMessage()).contains("truncated").contains(length + " bytes");
        }
    }

    @ParameterizedTest(name = "cut to {0} bytes")
    @ValueSource(longs = {128, 4095, 4096, 4096 + 100, 8192, 12287})
    void aStoreCutInsideTheCommitSlotsIsTruncated(long length) {
        Path path = cleanStore();
        StoreFiles.truncate(path, length);
        for (OpenMode mode : OpenMode.values()) {
            TruncatedStoreException e = assertRefusedUnchanged(path, TruncatedStoreException.class, length,
                    () -> Store.open(path, mode));
            assertThat(e.getMessage()).contains("truncated").contains(length + " bytes");
        }
    }

    @ParameterizedTest(name = "cut to {0} bytes")
    @ValueSource(longs = {12288, 12288 + 16, 16384, CAPACITY_BYTES - 4096, CAPACITY_BYTES - 1})
    void aStoreCutInsideTheHeapIsTruncated(long length) {
        Path path = cleanStore();
        StoreFiles.truncate(path, length);
        for (OpenMode mode : OpenMode.values()) {
            TruncatedStoreException e = assertRefusedUnchanged(path, TruncatedStoreException.class, length,
                    () -> Store.open(path, mode));
            assertThat(e.getMessage()).contains("truncated").contains(length + " bytes").contains("capacity");
        }
    }

    @Test
    void aFrozenStoreCutShortIsTruncated() throws IOException {
        Path path = frozenStore();
        long boundary = Files.size(path);
        assertThat(boundary).isGreaterThan(StoreFormat.HEAP_START_OFFSET);
        for (long length : new long[] {boundary - 1, boundary - 4096, StoreFormat.HEAP_START_OFFSET}) {
            path.toFile().setWritable(true);
            StoreFiles.truncate(path, length);
            for (OpenMode mode : List.of(OpenMode.COPY_ON_WRITE, OpenMode.READ_ONLY)) {
                TruncatedStoreException e = assertRefusedUnchanged(path, TruncatedStoreException.class, length,
                        () -> Store.open(path, mode));
                assertThat(e.getMessage()).contains("truncated").contains("frozen boundary");
            }
        }
    }

    @Test
    void aStoreLongerThanItsCapacityIsCorrupt() {
        Path path = cleanStore();
        StoreFiles.truncate(path, CAPACITY_BYTES); // no-op: the file is its capacity
        StoreFiles.writeAt(path, CAPACITY_BYTES, MemorySegment.ofArray(new byte[4096]));
        CorruptStoreException e = assertRefusedUnchanged(path, CorruptStoreException.class, CAPACITY_BYTES,
                () -> Store.open(path, OpenMode.READ_ONLY));
        assertThat(e.getMessage()).contains("longer than its capacity");
    }

    @Test
    void aNewerFormatVersionIsIncompatible() {
        Path path = cleanStore();
        StoreFiles.patchSuperblock(path, true,
                page -> page.set(StoreFormat.INT, SuperblockDescriptor.VERSION_OFFSET, StoreFormat.FORMAT_VERSION + 1));
        for (OpenMode mode : OpenMode.values()) {
            IncompatibleVersionException e = assertRefusedUnchanged(path, IncompatibleVersionException.class,
                    (long) SuperblockDescriptor.VERSION_OFFSET, () -> Store.open(path, mode));
            assertThat(e.getMessage()).contains("format version " + (StoreFormat.FORMAT_VERSION + 1)).contains("newer");
        }
    }

    @Test
    void anUnknownIncompatibleFeatureIsIncompatible() {
        Path path = cleanStore();
        StoreFiles.patchSuperblock(path, true,
                page -> page.set(StoreFormat.INT, SuperblockDescriptor.INCOMPAT_FEATURES_OFFSET, 1 << 7));
        IncompatibleVersionException e = assertRefusedUnchanged(path, IncompatibleVersionException.class,
                (long) SuperblockDescriptor.INCOMPAT_FEATURES_OFFSET, () -> Store.open(path, OpenMode.OWNER));
        assertThat(e.getMessage()).contains("0x80");
    }

    @Test
    void aCorruptSuperblockChecksumIsCorrupt() {
        Path path = cleanStore();
        StoreFiles.patchSuperblock(path, false, page -> page.set(StoreFormat.LONG, SuperblockDescriptor.CREATED_MILLIS_OFFSET, 42L));
        for (OpenMode mode : OpenMode.values()) {
            CorruptStoreException e = assertRefusedUnchanged(path, CorruptStoreException.class,
                    (long) SuperblockDescriptor.CHECKSUM_OFFSET, () -> Store.open(path, mode));
            assertThat(e.getMessage()).contains("superblock checksum");
        }
    }

    @Test
    void aSuperblockCapacityThatIsNotAPageMultipleIsCorrupt() {
        Path path = cleanStore();
        StoreFiles.patchSuperblock(path, true, page -> page.set(StoreFormat.LONG, SuperblockDescriptor.CAPACITY_OFFSET, CAPACITY_BYTES + 1));
        CorruptStoreException e = assertRefusedUnchanged(path, CorruptStoreException.class,
                (long) SuperblockDescriptor.CAPACITY_OFFSET, () -> Store.open(path, OpenMode.READ_ONLY));
        assertThat(e.getMessage()).contains("capacity");
    }

    @Test
    void bothCommitSlotsCorruptIsCorrupt() {
        Path path = cleanStore();
        StoreFiles.patchSlot(path, StoreFormat.COMMIT_SLOT_0_OFFSET, false, page -> page.set(ValueLayout.JAVA_BYTE, 100, (byte) 1));
        StoreFiles.patchSlot(path, StoreFormat.COMMIT_SLOT_1_OFFSET, false, page -> page.set(ValueLayout.JAVA_BYTE, 200, (byte) 1));
        for (OpenMode mode : OpenMode.values()) {
            CorruptStoreException e = assertRefusedUnchanged(path, CorruptStoreException.class,
                    StoreFormat.COMMIT_SLOT_0_OFFSET, () -> Store.open(path, mode));
            assertThat(e.getMessage()).contains("neither commit slot");
        }
    }

    @Test
    void aTornNewestSlotOpensFromTheOlderCleanOne() {
        Path path = cleanStore(); // slot 0: generation 2, clean, one object; slot 1: generation 1
        CommitSlot clean = StoreFiles.slot(path, StoreFormat.COMMIT_SLOT_0_OFFSET);
        assertThat(clean.generation()).isEqualTo(2);
        assertThat(clean.isClean()).isTrue();
        // an owner that died while writing generation 3 (claiming a second object) into slot 1:
        // the first half of the page is new, the second half is whatever was there
        long torn = CommitSlotDescriptor.slotOffset(3);
        assertThat(torn).isEqualTo(StoreFormat.COMMIT_SLOT_1_OFFSET);
        MemorySegment newer = MemorySegment.ofArray(new byte[CommitSlotDescriptor.LENGTH]);
        CommitSlotDescriptor.encode(newer, new CommitSlot(3, CommitSlotDescriptor.FLAG_CLEAN, clean.bumpOffset() + 64, 0, 0,
                0, 0, 2, clean.liveBytes() + 64, 0, 0, clean.freeHeads()));
        StoreFiles.writeAt(path, torn, newer.asSlice(0, CommitSlotDescriptor.LENGTH / 2));
        assertThat(StoreFiles.slot(path, torn)).as("the torn slot fails its checksum").isNull();

        try (Store store = Store.open(path, OpenMode.OWNER)) {
            assertThat(store.stats().liveObjects()).isEqualTo(1);
            assertThat(store.stats().bumpOffset()).isEqualTo(clean.bumpOffset());
            long[] objects = new long[1];
            store.forEachObject((offset, type, bytes, count) -> objects[0] = offset);
            assertThat(new String(store.payload(objects[0]).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII))
                    .isEqualTo("payload");
        }
    }

    @Test
    void aTornNewestSlotAboveADirtyOneIsNotClean() throws java.io.IOException {
        Path path = cleanStore();
        Path orphan = dir.resolve("orphan.pf");
        try (Store store = Store.open(path, OpenMode.OWNER)) { // a dirty mark, then a dirty commit
            store.allocate(10);
            store.commit();
            java.nio.file.Files.copy(path, orphan); // what an owner killed now leaves
        }
        long newest = StoreFiles.newestSlotOffset(orphan);
        long older = newest == StoreFormat.COMMIT_SLOT_0_OFFSET ? StoreFormat.COMMIT_SLOT_1_OFFSET : StoreFormat.COMMIT_SLOT_0_OFFSET;
        long olderGeneration = StoreFiles.slot(orphan, older).generation();
        StoreFiles.patchSlot(orphan, newest, false, page -> page.set(ValueLayout.JAVA_BYTE, 3000, (byte) 0x5a));
        for (OpenMode mode : OpenMode.values()) {
            StoreNotCleanException e = assertRefusedUnchanged(orphan, StoreNotCleanException.class, older,
                    () -> Store.open(orphan, mode));
            assertThat(e.getMessage()).contains("generation " + olderGeneration).contains("the other commit slot is damaged")
                    .contains("Store.recover");
        }
        assertThat(Store.recover(orphan).recovered()).isTrue();
        try (Store store = Store.open(orphan, OpenMode.READ_ONLY)) {
            assertThat(store.stats().liveObjects()).as("the older commit: the object allocated after it is dropped").isEqualTo(1);
        }
    }

    @Test
    void aSlotWhoseFreeListHeadPointsOutsideTheHeapIsCorrupt() {
        Path path = cleanStore();
        long newest = StoreFiles.newestSlotOffset(path);
        StoreFiles.patchSlot(path, newest, true,
                page -> page.set(StoreFormat.LONG, CommitSlotDescriptor.FREE_HEADS_OFFSET + 8 * 5, CAPACITY_BYTES - 4096));
        CorruptStoreException e = assertRefusedUnchanged(path, CorruptStoreException.class,
                newest + CommitSlotDescriptor.FREE_HEADS_OFFSET + 8 * 5, () -> Store.open(path, OpenMode.OWNER));
        assertThat(e.getMessage()).contains("inside the heap");
    }

    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(longs = {-1, 0, 4096, StoreFormat.MIN_CAPACITY_BYTES - 1, StoreFormat.MAX_CAPACITY_BYTES + 1, Long.MAX_VALUE})
    void aCapacityOutOfRangeIsRefusedAtCreateAndNoFileIsMade(long capacity) {
        Path path = dir.resolve("new.pf");
        assertThatThrownBy(() -> Store.create(path, capacity)).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(path.toString()).hasMessageContaining("capacity " + capacity);
        assertThat(Files.exists(path)).isFalse();
    }

    @Test
    void createOverAnExistingFileLeavesItUntouched() {
        Path path = cleanStore();
        StoreAccessException e = assertRefusedUnchanged(path, StoreAccessException.class, PermafrostException.NO_OFFSET,
                () -> Store.create(path, CAPACITY_BYTES));
        assertThat(e.getMessage()).contains("exists");
        Path text = dir.resolve("other.txt");
        StoreFiles.write(text, "not yours".getBytes(StandardCharsets.US_ASCII));
        assertRefusedUnchanged(text, StoreAccessException.class, PermafrostException.NO_OFFSET,
                () -> Store.create(text, CAPACITY_BYTES));
    }

    @Test
    void createOverAStoreItsOwnerHasOpenLeavesItUntouched() {
        Path path = dir.resolve("open.pf");
        try (Store owner = Store.create(path, CAPACITY_BYTES)) {
            long object = owner.allocate(8);
            assertRefusedUnchanged(path, StoreAccessException.class, PermafrostException.NO_OFFSET,
                    () -> Store.create(path, CAPACITY_BYTES));
            assertThat(owner.refCount(object)).isEqualTo(1);
        }
    }

    @Test
    void secondOwnerOpenInTheSameJvmSaysThisProcessHasIt() {
        // regression: flock refuses a second lock within one process too, and the refusal said
        // "another process has the store open" when it was this one
        Path path = cleanStore();
        try (Store owner = Store.open(path, OpenMode.OWNER)) {
            owner.commit();
            StoreLockedException e = assertRefusedUnchanged(path, StoreLockedException.class, PermafrostException.NO_OFFSET,
                    () -> Store.open(path, OpenMode.OWNER));
            assertThat(e.getMessage()).contains(path.toString()).contains("this process already has the store open as owner")
                    .doesNotContain("another process");
        }
        Path created = dir.resolve("created.pf");
        try (Store creator = Store.create(created, CAPACITY_BYTES)) { // the owner that created it, too
            creator.commit();
            StoreLockedException e = assertRefusedUnchanged(created, StoreLockedException.class, PermafrostException.NO_OFFSET,
                    () -> Store.open(created, OpenMode.OWNER));
            assertThat(e.getMessage()).contains("this process already has the store open as owner");
        }
        try (Store again = Store.open(path, OpenMode.OWNER)) { // closed, it is forgotten
            assertThat(again.stats().liveObjects()).isEqualTo(1);
        }
    }

    @Test
    void aCopyOnWriteOrReadOnlyOpenWhileAnOwnerInTheSameJvmHoldsTheStoreSaysThisProcessHasIt() {
        Path path = cleanStore();
        try (Store owner = Store.open(path, OpenMode.OWNER)) {
            owner.commit();
            for (OpenMode mode : List.of(OpenMode.COPY_ON_WRITE, OpenMode.READ_ONLY)) {
                StoreLockedException e = assertRefusedUnchanged(path, StoreLockedException.class,
                        PermafrostException.NO_OFFSET, () -> Store.open(path, mode));
                assertThat(e.getMessage()).as(mode.toString()).contains("this process has the store open as owner");
            }
        }
    }

    @Test
    void anOwnerOpenWhileAWorkerInTheSameJvmHasTheStoreMappedSaysThisProcessHasIt() {
        Path path = cleanStore();
        try (Store worker = Store.open(path, OpenMode.COPY_ON_WRITE)) {
            assertThat(worker.stats().liveObjects()).isEqualTo(1);
            StoreLockedException e = assertRefusedUnchanged(path, StoreLockedException.class, PermafrostException.NO_OFFSET,
                    () -> Store.open(path, OpenMode.OWNER));
            assertThat(e.getMessage()).contains("this process has the store open copy-on-write or read-only");
        }
    }

    @Test
    void anOwnerThatFrozeTheStoreInThisJvmLetsCopyOnWriteOpenersOfThisJvmIn() {
        Path path = dir.resolve("freezing.pf");
        try (Store owner = Store.create(path, CAPACITY_BYTES)) {
            owner.allocate(8);
            owner.freeze(); // its lock is shared from here on
            try (Store worker = Store.open(path, OpenMode.COPY_ON_WRITE)) {
                assertThat(worker.stats().liveObjects()).isEqualTo(1);
            }
        }
    }

    @Test
    void anOwnerOpenOfAFrozenStoreIsRefused() {
        Path path = frozenStore();
        StoreStateException e = assertRefusedUnchanged(path, StoreStateException.class, PermafrostException.NO_OFFSET,
                () -> Store.open(path, OpenMode.OWNER));
        assertThat(e.getMessage()).contains("frozen");
        path.toFile().setWritable(true); // even when the file is writable on disk
        assertRefusedUnchanged(path, StoreStateException.class, PermafrostException.NO_OFFSET,
                () -> Store.open(path, OpenMode.OWNER));
    }
    @Test
    void aCommitSlotFromANewerFormatIsIncompatibleNotSilentlyRolledBack() {
        // regression: an intact newest slot with a flag this build does not know counted as torn,
        // so the store opened from the older slot, and an owner then overwrote the newer commit
        Path path = cleanStore();
        long newest = StoreFiles.newestSlotOffset(path);
        StoreFiles.patchSlot(path, newest, true, page -> page.set(StoreFormat.INT, CommitSlotDescriptor.FLAGS_OFFSET,
                CommitSlotDescriptor.FLAG_CLEAN | 1 << 5));
        for (OpenMode mode : OpenMode.values()) {
            IncompatibleVersionException e = assertRefusedUnchanged(path, IncompatibleVersionException.class,
                    newest + CommitSlotDescriptor.FLAGS_OFFSET, () -> Store.open(path, mode));
            assertThat(e.getMessage()).contains("flags 0x21").contains("newer format");
        }
    }

    @Test
    void aNewerFormatSlotThatALaterCommitSupersededDoesNotStopTheStoreOpening() {
        // a rolling downgrade: the newer build's commit is older than the newest one, which this build reads
        Path path = cleanStore(); // slot 0: generation 2, clean; slot 1: generation 3, clean (close commits twice)
        StoreFiles.patchSlot(path, StoreFormat.COMMIT_SLOT_0_OFFSET, true,
                page -> page.set(StoreFormat.INT, CommitSlotDescriptor.FLAGS_OFFSET, 1 << 5));
        try (Store store = Store.open(path, OpenMode.READ_ONLY)) {
            assertThat(store.stats().liveObjects()).isEqualTo(1);
        }
        try (Store store = Store.open(path, OpenMode.OWNER)) { // commits generation 4 over the superseded slot
            assertThat(store.stats().liveObjects()).isEqualTo(1);
        }
        assertThat(StoreFiles.slot(path, StoreFormat.COMMIT_SLOT_0_OFFSET).generation()).isEqualTo(6);
    }

    @Test
    void aFrozenSlotWhoseBoundaryIsNotThePageAboveItsBumpOffsetIsCorrupt() {
        Path path = frozenStore();
        path.toFile().setWritable(true);
        long newest = StoreFiles.newestSlotOffset(path);
        StoreFiles.patchSlot(path, newest, true, page -> page.set(StoreFormat.LONG, CommitSlotDescriptor.FROZEN_BOUNDARY_OFFSET,
                page.get(StoreFormat.LONG, CommitSlotDescriptor.FROZEN_BOUNDARY_OFFSET) + 4096));
        CorruptStoreException e = assertRefusedUnchanged(path, CorruptStoreException.class,
                newest + CommitSlotDescriptor.FROZEN_BOUNDARY_OFFSET, () -> Store.open(path, OpenMode.COPY_ON_WRITE));
        assertThat(e.getMessage()).contains("frozen boundary");
    }

    @Test
    void createInADirectoryThatDoesNotExistIsRefused() {
        Path path = dir.resolve("no-such-dir").resolve("s.pf");
        StoreAccessException e = assertRefusedUnchanged(path, StoreAccessException.class, PermafrostException.NO_OFFSET,
                () -> Store.create(path, CAPACITY_BYTES));
        assertThat(e.getMessage()).contains("cannot create");
    }

    @Test
    void aNegativePrivateCapacityIsRefused() {
        Path path = frozenStore();
        assertThatThrownBy(() -> Store.open(path, OpenMode.COPY_ON_WRITE, -4096))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("-4096");
    }
    @Test
    void anOpenWhileAnotherProcessHoldsTheLockOfAFileBeingCreatedIsLockedNotForeign() throws Exception {
        // regression: a store being created (empty, or without its superblock yet) under its
        // creator's exclusive lock was reported as "not a store" or truncated
        Path path = dir.resolve("being-created.pf");
        Files.createFile(path);
        int fd = dev.permafrost.os.Posix.open(path.toString(), dev.permafrost.os.Posix.O_RDWR, 0);
        try {
            dev.permafrost.os.Posix.flock(fd, dev.permafrost.os.Posix.LOCK_EX);
            for (OpenMode mode : OpenMode.values()) {
                assertRefusedUnchanged(path, StoreLockedException.class, PermafrostException.NO_OFFSET, () -> Store.open(path, mode));
            }
            StoreFiles.write(path, "PRMFROST".getBytes(StandardCharsets.US_ASCII)); // half-written superblock
            assertRefusedUnchanged(path, StoreLockedException.class, PermafrostException.NO_OFFSET,
                    () -> Store.open(path, OpenMode.READ_ONLY));
        } finally {
            dev.permafrost.os.Posix.close(fd);
        }
        assertRefusedUnchanged(path, TruncatedStoreException.class, 8L, () -> Store.open(path, OpenMode.READ_ONLY));
    }
}
