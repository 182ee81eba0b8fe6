package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever a copy-on-write opener does stays in its private memory: the file never changes. */
class CopyOnWriteIsolationTest {
    @TempDir
    Path dir;

    @Test
    void aCopyOnWriteOpenerOfAnUnfrozenStoreNeverChangesTheFile() {
        Path path = dir.resolve("s.pf");
        List<Long> objects = new ArrayList<>();
        try (Store store = Store.create(path, 1 << 20)) {
            for (int i = 0; i < 50; i++) {
                long object = store.allocate(i * 10);
                store.payload(object).fill((byte) i);
                objects.add(object);
            }
            store.release(objects.remove(10)); // a free block the worker may reuse
        }
        byte[] before = StoreFiles.read(path);
        try (Store worker = Store.open(path, OpenMode.COPY_ON_WRITE); Store other = Store.open(path, OpenMode.COPY_ON_WRITE)) {
            for (long object : objects) {
                worker.retain(object);
                worker.payload(object).fill((byte) 0x77);
            }
            worker.release(objects.get(0));
            worker.release(objects.get(0)); // frees it, privately
            long mine = worker.allocate(100);
            worker.payload(mine).fill((byte) 0x55);
            worker.allocate(200_000);
            assertThat(worker.refCount(objects.get(1))).isEqualTo(2);
            // the other opener sees the file, not the worker's changes
            assertThat(other.refCount(objects.get(1))).isEqualTo(1);
            assertThat(other.refCount(objects.get(0))).isEqualTo(1);
            assertThat(other.payload(objects.get(1)).get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 1);
            assertThat(other.stats().liveObjects()).isEqualTo(objects.size());
        }
        assertThat(Arrays.equals(StoreFiles.read(path), before)).as("the file is unchanged").isTrue();
        try (Store owner = Store.open(path, OpenMode.OWNER)) {
            assertThat(owner.stats().liveObjects()).isEqualTo(objects.size());
            assertThat(owner.refCount(objects.get(0))).isEqualTo(1);
        }
    }

    @Test
    void aFrozenFileIsNeverChangedByItsOwnerOrItsWorkers() {
        Path path = dir.resolve("s.pf");
        List<Long> objects = new ArrayList<>();
        byte[] frozen;
        try (Store store = Store.create(path, 4 << 20)) {
            for (int i = 0; i < 50; i++) {
                objects.add(store.allocate(i * 100));
            }
            store.freeze();
            frozen = StoreFiles.read(path);
            for (long object : objects) { // the owner goes on, copy-on-write
                store.retain(object);
                store.release(object);
                store.release(object);
            }
            long mine = store.allocate(1000);
            store.payload(mine).fill((byte) 9);
            try (Store worker = Store.open(path, OpenMode.COPY_ON_WRITE)) {
                long theirs = worker.allocate(1000);
                assertThat(theirs).isEqualTo(mine); // the same offset, in each one's private memory
                assertThat(worker.payload(theirs).get(ValueLayout.JAVA_BYTE, 0)).isZero();
                worker.payload(theirs).fill((byte) 3);
                assertThat(store.payload(mine).get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 9);
            }
        }
        assertThat(Arrays.equals(StoreFiles.read(path), frozen)).as("the frozen file is unchanged").isTrue();
    }
}
