package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.permafrost.error.StoreNotCleanException;
import dev.permafrost.error.StoreRecoveryException;
import dev.permafrost.layout.CommitSlotDescriptor;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.StoreFormat;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Store#recover}. A dead owner is made in-process by copying the file of a store an owner
 * has open: the copy has the owner's dirty mark and no lock holder, exactly what a killed owner
 * leaves (the mapping is shared, so the copy sees every page it wrote).
 * {@code OwnerKilledDuringBuildTest} (store-tools) kills real owners.
 */
class StoreRecoveryTest {
    record Item(long id, String name, Ref<Item> next) {
    }

    @TempDir
    Path dir;

    private static MemorySegment word(long value) {
        MemorySegment bytes = MemorySegment.ofArray(new byte[8]);
        bytes.set(StoreFormat.LONG, 0, value);
        return bytes;
    }

    private static void copyWhileOpen(Path from, Path to) {
        try {
            Files.copy(from, to);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aStoreWhoseOwnerDiedDoingNothingAfterACleanOpenRecoversAndOpens() {
        // regression: a store whose owner died could never be opened again, in any mode
        Path path = dir.resolve("s.pf");
        Path orphan = dir.resolve("orphan.pf");
        try (Store store = Store.create(path, 1 << 20)) {
            store.payload(store.allocate(5)).fill((byte) 7);
        }
        try (Store owner = Store.open(path, OpenMode.OWNER)) {
            assertThat(owner.stats().liveObjects()).isEqualTo(1);
            copyWhileOpen(path, orphan);
        }
        for (OpenMode mode : OpenMode.values()) {
            assertThatThrownBy(() -> Store.open(orphan, mode)).isExactlyInstanceOf(StoreNotCleanException.class)
                    .hasMessageContaining("Store.recover").hasMessageContaining("heap-dump recover");
        }
        RecoveryReport report = Store.recover(orphan);
        assertThat(report.recovered()).isTrue();
        assertThat(report.objectsKept()).isEqualTo(1);
        assertThat(report.droppedBeyondCommit()).isFalse();
        assertThat(report.summary()).contains("recovered to commit generation");
        for (OpenMode mode : OpenMode.values()) {
            try (Store store = Store.open(orphan, mode)) {
                assertThat(store.stats().liveObjects()).isEqualTo(1);
                store.forEachObject((offset, type, bytes, count) -> assertThat(store.payload(offset).get(ValueLayout.JAVA_BYTE, 4))
                        .isEqualTo((byte) 7));
            }
        }
        assertThat(Store.recover(orphan).recovered()).as("clean now: nothing to do").isFalse();
    }

    @Test
    void recoveryBringsBackTheLastCommitRestoresWhatWasFreedAfterItAndDropsWhatCameAfter() {
        Path path = dir.resolve("s.pf");
        Path orphan = dir.resolve("orphan.pf");
        long committedBump;
        try (Store store = Store.create(path, 4 << 20)) {
            RecordType<Item> items = store.types().register(Item.class);
            Ref<Item> previous = null;
            for (int i = 0; i < 50; i++) {
                Ref<Item> item = items.write(new Item(i, "item " + i, previous));
                store.types().adoptRoot("item" + i, item);
                previous = item;
            }
            store.commit();
            committedBump = store.stats().bumpOffset();
            // after the commit: replace, remove, add; a new type; then the owner dies
            store.types().adoptRoot("item10", items.write(new Item(1010, "replaced", null)));
            store.types().removeRoot("item20");
            store.types().removeRoot("item49"); // the head of the chain: everything it held goes to zero but item48's root
            for (int i = 0; i < 200; i++) {
                store.types().adoptRoot("late" + i, items.write(new Item(-i, "late", null)));
            }
            record Late(int x) {
            }
            store.types().register(Late.class);
            copyWhileOpen(path, orphan);
        }
        RecoveryReport report = Store.recover(orphan);
        assertThat(report.recovered()).isTrue();
        assertThat(report.objectsRestored()).as("item10's, item20's and item49's objects and names").isGreaterThanOrEqualTo(5);
        assertThat(report.droppedBeyondCommit()).isTrue();
        try (Store store = Store.open(orphan, OpenMode.OWNER)) {
            RecordType<Item> items = store.types().register(Item.class);
            assertThat(store.types().rootNames()).hasSize(50).allMatch(name -> name.startsWith("item"));
            assertThat(store.types().type("Late")).isNull();
            for (int i = 0; i < 50; i++) {
                Ref<Item> item = store.types().root("item" + i, items).orElseThrow();
                Item read = items.read(item);
                assertThat(read.id()).isEqualTo(i);
                assertThat(read.name()).isEqualTo("item " + i);
                assertThat(read.next() == null ? -1 : items.read(read.next()).id()).isEqualTo(i - 1);
            }
            assertThat(store.stats().bumpOffset()).isEqualTo(committedBump);
            // the counts and free lists agree with a walk, and the store works on: remove everything
            long[] walked = new long[2];
            store.forEachObject((offset, type, bytes, count) -> {
                walked[0]++;
                walked[1] += bytes;
            });
            assertThat(store.stats().liveObjects()).isEqualTo(walked[0]);
            for (int i = 49; i >= 0; i--) {
                store.types().removeRoot("item" + i);
            }
            store.commit();
            for (int i = 0; i < 100; i++) {
                items.write(new Item(i, "again", null));
            }
        }
    }

    @Test
    void aFrozenStoreIsNeverChangedByRecover() {
        Path path = dir.resolve("f.pf");
        try (Store store = Store.create(path, 1 << 20)) {
            store.allocate(100);
            store.freeze();
        }
        byte[] before = StoreFiles.read(path);
        RecoveryReport report = Store.recover(path);
        assertThat(report.recovered()).isFalse();
        assertThat(StoreFiles.read(path)).isEqualTo(before);
    }

    @Test
    void recoveryRefusesADamagedCommittedHeapSaysWhatWouldBeLostAndChangesNothing() {
        Path path = dir.resolve("s.pf");
        Path orphan = dir.resolve("orphan.pf");
        List<Long> objects = new ArrayList<>();
        try (Store store = Store.create(path, 1 << 20)) {
            for (int i = 0; i < 10; i++) {
                objects.add(store.allocate(100));
            }
            store.commit();
            copyWhileOpen(path, orphan);
        }
        long damaged = objects.get(4);
        StoreFiles.writeAt(orphan, damaged + ObjectHeaderDescriptor.META_OFFSET, word(0));
        byte[] before = StoreFiles.read(orphan);
        assertThatThrownBy(() -> Store.recover(orphan)).isExactlyInstanceOf(StoreRecoveryException.class)
                .hasMessageContaining("damaged at 0x" + Long.toHexString(damaged)).hasMessageContaining("would be lost")
                .hasMessageContaining("nothing was changed");
        assertThat(StoreFiles.read(orphan)).isEqualTo(before);
    }

    @Test
    void recoveryRefusesARootThatHeadsNoBlockAndChangesNothing() {
        Path path = dir.resolve("s.pf");
        Path orphan = dir.resolve("orphan.pf");
        try (Store store = Store.create(path, 1 << 20)) {
            RecordType<Item> items = store.types().register(Item.class);
            store.types().adoptRoot("a", items.write(new Item(1, "a", null)));
            store.types().adoptRoot("b", items.write(new Item(2, "b", null)));
            store.commit();
            copyWhileOpen(path, orphan);
        }
        long rootTable = StoreFiles.slot(orphan, StoreFiles.newestSlotOffset(orphan)).rootTableOffset();
        // entry 1's object: 16 bytes into a live object
        long entry1Object = rootTable + ObjectHeaderDescriptor.LENGTH + 8 + 16 + 8;
        long object = StoreFiles.readAt(orphan, entry1Object, 8).get(StoreFormat.LONG, 0);
        StoreFiles.writeAt(orphan, entry1Object, word(object + 16));
        byte[] before = StoreFiles.read(orphan);
        assertThatThrownBy(() -> Store.recover(orphan)).isExactlyInstanceOf(StoreRecoveryException.class)
                .hasMessageContaining("root 1's object").hasMessageContaining("does not head a block");
        assertThat(StoreFiles.read(orphan)).isEqualTo(before);
    }

    @Test
    void corruptingTheNewestSlotOfACleanlyClosedStoreLeavesItOpenable() {
        // regression: the older slot was the owner's dirty mark, so the store could not be opened
        Path path = dir.resolve("s.pf");
        try (Store store = Store.create(path, 1 << 20)) {
            store.payload(store.allocate(5)).fill((byte) 3);
        }
        try (Store store = Store.open(path, OpenMode.OWNER)) {
            store.release(store.allocate(50)); // freed after the last commit: reused only after the next
            store.allocate(60);
        }
        long newest = StoreFiles.newestSlotOffset(path);
        StoreFiles.patchSlot(path, newest, false, page -> page.set(ValueLayout.JAVA_BYTE, 3000, (byte) 0x5a));
        for (OpenMode mode : OpenMode.values()) {
            try (Store store = Store.open(path, mode)) {
                assertThat(store.stats().liveObjects()).isEqualTo(2);
            }
        }
        assertThat(StoreFiles.slot(path, newest == StoreFormat.COMMIT_SLOT_0_OFFSET ? StoreFormat.COMMIT_SLOT_1_OFFSET
                : StoreFormat.COMMIT_SLOT_0_OFFSET).flags() & CommitSlotDescriptor.FLAG_CLEAN).isNotZero();
    }
}
