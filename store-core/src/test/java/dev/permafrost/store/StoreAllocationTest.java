package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.permafrost.error.StoreFullException;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.SizeClasses;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.TypeIds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sizes, limits and reuse of the allocator, through the store. */
class StoreAllocationTest {
    @TempDir
    Path dir;

    @Test
    void aFreedLargeBlockIsReusedWholeAndSmallObjectsDoNotFragmentIt() {
        try (Store store = Store.create(dir.resolve("s.pf"), 256L << 20)) {
            store.allocate(24); // so the large one needs a gap before its page
            long large = store.allocate(16L << 20);
            assertThat(StoreFormat.isPageAligned(large)).isTrue();
            store.release(large);
            store.commit(); // a block freed after a commit is reused only after the next
            List<Long> small = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                long object = store.allocate(i % 500);
                assertThat(object + SizeClasses.blockBytes(i % 500) <= large || object >= large + SizeClasses.blockBytes(16L << 20))
                        .as("small object %x is outside the freed large block", object).isTrue();
                small.add(object);
            }
            assertThat(store.allocate(16L << 20)).isEqualTo(large);
            assertThat(store.stats().liveObjects()).isEqualTo(1 + 1000 + 1);
        }
    }

    @Test
    void payloadsOfEverySmallSizeGetTheirOwnBlocks() {
        try (Store store = Store.create(dir.resolve("s.pf"), 16L << 20)) {
            long previousEnd = StoreFormat.HEAP_START_OFFSET;
            for (int size = 0; size <= 2048; size++) {
                long object = store.allocate(size);
                assertThat(object).isGreaterThanOrEqualTo(previousEnd);
                assertThat(store.payloadBytes(object)).isEqualTo(size);
                assertThat(store.payload(object).byteSize()).isEqualTo(size);
                previousEnd = object + SizeClasses.blockBytes(size);
            }
            assertThat(store.stats().bumpOffset()).isEqualTo(previousEnd);
        }
    }

    @Test
    void aPayloadLargerThanTheStoreIsStoreFullAndTheStoreStaysUsable() {
        Path path = dir.resolve("s.pf");
        try (Store store = Store.create(path, 1 << 20)) {
            long kept = store.allocate(100);
            for (long size : new long[] {1 << 20, ObjectHeaderDescriptor.MAX_PAYLOAD_BYTES}) {
                assertThatThrownBy(() -> store.allocate(size)).isExactlyInstanceOf(StoreFullException.class)
                        .hasMessageContaining(path.toString()).hasMessageContaining("no room");
            }
            List<Long> filled = new ArrayList<>();
            try {
                while (true) {
                    filled.add(store.allocate(1000));
                }
            } catch (StoreFullException e) {
                assertThat(e.file()).isEqualTo(path);
            }
            assertThat(filled.size()).isGreaterThan(900);
            store.release(filled.removeLast());
            assertThatThrownBy(() -> store.allocate(1000)).isExactlyInstanceOf(StoreFullException.class)
                    .hasMessageContaining("freed since the last commit become reusable when the store commits");
            store.commit();
            filled.add(store.allocate(1000));
            assertThat(store.refCount(kept)).isEqualTo(1);
            assertThat(store.stats().liveObjects()).isEqualTo(filled.size() + 1);
        }
    }

    @Test
    void aFullStoreSplitsALargerFreeBlockForASmallerObject() {
        try (Store store = Store.create(dir.resolve("s.pf"), 1 << 20)) {
            long big = store.allocate(8000);
            List<Long> filler = new ArrayList<>();
            try {
                while (true) {
                    filler.add(store.allocate(8000));
                }
            } catch (StoreFullException e) {
                // no room for another 8 KiB block
            }
            try {
                while (true) {
                    filler.add(store.allocate(0)); // header-only blocks take the last 16-byte steps
                }
            } catch (StoreFullException e) {
                assertThat(store.stats().bumpOffset()).isEqualTo(store.stats().capacityBytes());
            }
            store.release(big);
            store.commit(); // a block freed after a commit is reused only after the next
            long small = store.allocate(100);
            assertThat(small).as("carved from the freed 8 KiB block").isEqualTo(big);
            long second = store.allocate(100);
            assertThat(second).isGreaterThan(big).isLessThan(big + 8192);
        }
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingIsAllocated() {
        try (Store store = Store.create(dir.resolve("s.pf"), 1 << 20)) {
            assertThatThrownBy(() -> store.allocate(-1)).isExactlyInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.allocate(ObjectHeaderDescriptor.MAX_PAYLOAD_BYTES + 1))
                    .isExactlyInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.allocate(0, 8)).isExactlyInstanceOf(IllegalArgumentException.class);
            // kinds whose payload holds references are written through types() only: freeing reads them
            assertThatThrownBy(() -> store.allocate(TypeIds.REFERENCE_ARRAY, 8)).isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot be allocated untyped");
            assertThatThrownBy(() -> store.allocate(TypeIds.FIRST_USER_TYPE_ID, 8)).isExactlyInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.allocate(TypeIds.TYPE_TABLE, 8)).isExactlyInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.allocate(ObjectHeaderDescriptor.MAX_TYPE_ID + 1, 8))
                    .isExactlyInstanceOf(IllegalArgumentException.class);
            assertThat(store.stats().liveObjects()).isZero();
            assertThat(store.stats().bumpOffset()).isEqualTo(StoreFormat.HEAP_START_OFFSET);
        }
    }

    @Test
    void aWorkerAllocatesAboveTheFrozenBoundaryAndReusesWhatItFrees() {
        Path path = dir.resolve("s.pf");
        try (Store store = Store.create(path, 1 << 20)) {
            store.allocate(5000);
            store.freeze();
        }
        try (Store worker = Store.open(path, OpenMode.COPY_ON_WRITE, 1 << 20)) {
            long boundary = worker.frozenBoundaryOffset();
            long a = worker.allocate(300);
            long b = worker.allocate(70_000);
            assertThat(a).isEqualTo(boundary);
            assertThat(StoreFormat.isPageAligned(b)).isTrue();
            worker.release(a);
            assertThat(worker.allocate(300)).isEqualTo(a);
            worker.release(b);
            assertThat(worker.allocate(70_000)).isEqualTo(b);
            assertThat(worker.stats().liveObjects()).isEqualTo(3);
            assertThatThrownBy(() -> worker.allocate(2 << 20)).isExactlyInstanceOf(StoreFullException.class);
        }
        try (Store worker = Store.open(path, OpenMode.COPY_ON_WRITE)) { // private objects died with the last opener
            assertThat(worker.stats().liveObjects()).isEqualTo(1);
        }
    }
}
