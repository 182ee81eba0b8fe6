package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.permafrost.error.ReferenceCountException;
import dev.permafrost.error.StoreLockedException;
import dev.permafrost.error.StoreStateException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void objectsSurviveCloseAndReopenAsOwner() {
        Path path = dir.resolve("s.pf");
        long offset;
        try (Store store = Store.create(path, 1 << 20)) {
            offset = store.allocate(24);
            store.payload(offset).set(ValueLayout.JAVA_LONG_UNALIGNED, 8, 42L);
        }
        try (Store store = Store.open(path, OpenMode.OWNER)) {
            assertThat(store.payloadBytes(offset)).isEqualTo(24);
            assertThat(store.payload(offset).get(ValueLayout.JAVA_LONG_UNALIGNED, 8)).isEqualTo(42L);
            assertThat(store.refCount(offset)).isEqualTo(1);
            assertThat(store.stats().liveObjects()).isEqualTo(1);
        }
    }

    @Test
    void releaseOfLastReferenceFreesTheObjectAndItsBlockIsReused() {
        try (Store store = Store.create(dir.resolve("s.pf"), 1 << 20)) {
            long a = store.allocate(100);
            store.retain(a);
            store.release(a);
            assertThat(store.refCount(a)).isEqualTo(1);
            store.release(a);
            assertThat(store.refCount(a)).isZero();
            assertThatThrownBy(() -> store.release(a)).isInstanceOf(ReferenceCountException.class)
                    .hasMessageContaining("double release");
            assertThatThrownBy(() -> store.retain(a)).isInstanceOf(ReferenceCountException.class)
                    .hasMessageContaining("use after free");
            assertThat(store.refCount(a)).isZero();
            assertThat(store.allocate(100)).as("not reused before the next commit").isNotEqualTo(a);
            store.commit();
            assertThat(store.allocate(100)).isEqualTo(a);
        }
    }

    @Test
    void freezeMakesEveryObjectImmortalAndWorkersShareIt() {
        Path path = dir.resolve("s.pf");
        long a;
        try (Store store = Store.create(path, 1 << 24)) {
            a = store.allocate(5);
            store.payload(a).copyFrom(MemorySegment.ofArray("hello".getBytes()));
            store.freeze();
            assertThat(store.isImmortal(a)).isTrue();
            assertThat(store.mode()).isEqualTo(OpenMode.COPY_ON_WRITE);
            long mine = store.allocate(10);
            assertThat(mine).isGreaterThanOrEqualTo(store.frozenBoundaryOffset());
            assertThat(Files.size(path)).isEqualTo(store.frozenBoundaryOffset());
            try (Store worker = Store.open(path, OpenMode.COPY_ON_WRITE)) {
                worker.retain(a);
                worker.release(a);
                worker.release(a);
                assertThat(new String(worker.payload(a).toArray(ValueLayout.JAVA_BYTE))).isEqualTo("hello");
                assertThat(worker.isFrozen()).isTrue();
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThatThrownBy(() -> Store.open(path, OpenMode.OWNER)).isInstanceOf(StoreStateException.class)
                .hasMessageContaining("frozen");
    }

    @Test
    void anOwnerExcludesEveryOtherOpener() {
        Path path = dir.resolve("s.pf");
        try (Store store = Store.create(path, 1 << 20)) {
            assertThat(store.mode()).isEqualTo(OpenMode.OWNER);
            assertThatThrownBy(() -> Store.open(path, OpenMode.COPY_ON_WRITE)).isInstanceOf(StoreLockedException.class);
            assertThatThrownBy(() -> Store.open(path, OpenMode.OWNER)).isInstanceOf(StoreLockedException.class);
        }
    }
}
