package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.permafrost.error.PermafrostException;
import dev.permafrost.error.ReferenceCountException;
import dev.permafrost.error.StoreClosedException;
import dev.permafrost.error.StoreStateException;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.StoreFormat;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operations the store's state forbids, and misuse of reference counts: each throws its own
 * exception, names the file and the object's offset, and changes nothing.
 */
class StoreMisuseTest {
    private static final long CAPACITY_BYTES = 1 << 20;

    @TempDir
    Path dir;

    private static <T extends PermafrostException> T assertThrows(Class<T> type, Path path, long offset, ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isExactlyInstanceOf(type);
        T e = type.cast(thrown);
        assertThat(e.file()).isEqualTo(path);
        assertThat(e.getMessage()).contains(path.toString());
        assertThat(e.offset()).as(e.getMessage()).isEqualTo(offset);
        if (offset != PermafrostException.NO_OFFSET) {
            assertThat(e.getMessage()).contains("at offset 0x" + Long.toHexString(offset));
        }
        return e;
    }

    @Test
    void doubleReleaseThrowsAndLeavesTheCountAtZero() {
        Path path = dir.resolve("s.pf");
        try (Store store = Store.create(path, CAPACITY_BYTES)) {
            long object = store.allocate(7, 40);
            long other = store.allocate(40);
            store.release(object);
            ReferenceCountException e = assertThrows(ReferenceCountException.class, path, object, () -> store.release(object));
            assertThat(e.getMessage()).contains("double release");
            assertThat(e.typeId()).isEqualTo(7);
            assertThat(e.countFound()).isZero();
            assertThat(store.refCount(object)).isZero();
            assertThat(store.stats().liveObjects()).isEqualTo(1);
            assertThat(store.refCount(other)).isEqualTo(1);
            // the block was freed once: after the next commit it is handed out once, then fresh space follows
            store.commit();
            long again = store.allocate(40);
            assertThat(again).isEqualTo(object);
            assertThat(store.allocate(40)).isNotEqualTo(object).isGreaterThan(other);
        }
    }

    @Test
    void useAfterFreeThrowsAndLeavesTheCountAtZero() {
        Path path = dir.resolve("s.pf");
        try (Store store = Store.create(path, CAPACITY_BYTES)) {
            long object = store.allocate(9, 100);
            store.release(object);
            ReferenceCountException e = assertThrows(ReferenceCountException.class, path, object, () -> store.retain(object));
            assertThat(e.getMessage()).contains("use after free");
            assertThat(e.typeId()).isEqualTo(9);
            assertThat(store.refCount(object)).isZero();
            assertThat(store.tryRetain(object)).isFalse();
            assertThat(store.refCount(object)).isZero();
            assertThat(store.stats().liveObjects()).isZero();
        }
    }

    @Test
    void retainOfTheNullReferenceLeavesTheSuperblockIntact() {
        Path path = dir.resolve("s.pf");
        try (Store store = Store.create(path, CAPACITY_BYTES)) {
            long object = store.allocate(16);
            // before the fix these incremented and decremented the superblock's magic and the
            // commit slots' in the shared mapping: the next open found "not a Permafrost store"
            for (long bad : new long[] {StoreFormat.NULL_REFERENCE, 8, StoreFormat.COMMIT_SLOT_0_OFFSET,
                    StoreFormat.COMMIT_SLOT_1_OFFSET, object + ObjectHeaderDescriptor.META_OFFSET}) {
                assertThrows(ReferenceCountException.class, path, bad, () -> store.retain(bad));
                assertThrows(ReferenceCountException.class, path, bad, () -> store.release(bad));
                assertThrows(ReferenceCountException.class, path, bad, () -> store.refCount(bad));
                if (rawWord(path, bad) == 0) { // a slot not yet written: nothing to take, nothing written
                    assertThat(store.tryRetain(bad)).isFalse();
                } else {
                    assertThrows(ReferenceCountException.class, path, bad, () -> store.tryRetain(bad));
                }
            }
            store.commit(); // writes both slots by now: every fixed page holds data
            assertThrows(ReferenceCountException.class, path, StoreFormat.COMMIT_SLOT_0_OFFSET,
                    () -> store.tryRetain(StoreFormat.COMMIT_SLOT_0_OFFSET));
            assertThat(store.payloadBytes(object)).isEqualTo(16);
            assertThat(store.refCount(object)).isEqualTo(1);
        }
        try (Store store = Store.open(path, OpenMode.READ_ONLY)) {
            assertThat(store.stats().liveObjects()).isEqualTo(1);
        }
    }

    @Test
    void readOnlyStoreRefusesMortalReferenceChangesAndAllocationButImmortalOnesAreFree() {
        Path path = dir.resolve("s.pf");
        long object;
        try (Store store = Store.create(path, CAPACITY_BYTES)) {
            object = store.allocate(24);
            store.payload(object).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 77L);
        }
        try (Store store = Store.open(path, OpenMode.READ_ONLY)) {
            assertThat(store.mode()).isEqualTo(OpenMode.READ_ONLY);
            assertThat(assertThrows(StoreStateException.class, path, object, () -> store.retain(object)).getMessage())
                    .contains("read-only");
            assertThrows(StoreStateException.class, path, object, () -> store.release(object));
            assertThrows(StoreStateException.class, path, object, () -> store.tryRetain(object));
            assertThat(store.refCount(object)).isEqualTo(1);
            assertThat(assertThrows(StoreStateException.class, path, PermafrostException.NO_OFFSET, () -> store.allocate(8))
                    .getMessage()).contains("read-only");
            assertThrows(StoreStateException.class, path, PermafrostException.NO_OFFSET, store::commit);
            assertThrows(StoreStateException.class, path, PermafrostException.NO_OFFSET, store::freeze);
            assertThat(store.payload(object).isReadOnly()).isTrue();
            assertThat(store.payload(object).get(ValueLayout.JAVA_LONG_UNALIGNED, 0)).isEqualTo(77L);
            assertThat(store.stats().liveObjects()).isEqualTo(1);
        }
        try (Store store = Store.open(path, OpenMode.OWNER)) { // nothing above changed the file
            assertThat(store.refCount(object)).isEqualTo(1);
            store.freeze();
        }
        try (Store store = Store.open(path, OpenMode.READ_ONLY)) {
            assertThat(store.isImmortal(object)).isTrue();
            for (int i = 0; i < 3; i++) {
                store.retain(object);
                assertThat(store.tryRetain(object)).isTrue();
            }
            for (int i = 0; i < 10; i++) {
                store.release(object);
            }
            assertThat(store.refCount(object)).isEqualTo(ObjectHeaderDescriptor.IMMORTAL_COUNT);
            assertThat(store.payload(object).get(ValueLayout.JAVA_LONG_UNALIGNED, 0)).isEqualTo(77L);
            assertThrows(StoreStateException.class, path, PermafrostException.NO_OFFSET, () -> store.allocate(8));
        }
    }

    @Test
    void frozenStoreRefusesCommitAndASecondFreeze() {
        Path path = dir.resolve("s.pf");
        try (Store store = Store.create(path, CAPACITY_BYTES)) {
            store.allocate(8);
            store.freeze();
            assertThat(assertThrows(StoreStateException.class, path, PermafrostException.NO_OFFSET, store::freeze)
                    .getMessage()).contains("frozen");
            assertThrows(StoreStateException.class, path, PermafrostException.NO_OFFSET, store::commit);
        }
    }

    @Test
    void everyOperationOnAClosedStoreThrowsStoreClosedAndCloseIsIdempotent() {
        Path path = dir.resolve("s.pf");
        Store store = Store.create(path, CAPACITY_BYTES);
        long object = store.allocate(32);
        store.close();
        assertThat(store.isClosed()).isTrue();
        store.close();
        store.close();
        Map<String, ThrowingCallable> operations = new LinkedHashMap<>();
        operations.put("allocate", () -> store.allocate(8));
        operations.put("allocate typed", () -> store.allocate(5, 8));
        operations.put("retain", () -> store.retain(object));
        operations.put("release", () -> store.release(object));
        operations.put("tryRetain", () -> store.tryRetain(object));
        operations.put("refCount", () -> store.refCount(object));
        operations.put("isImmortal", () -> store.isImmortal(object));
        operations.put("typeId", () -> store.typeId(object));
        operations.put("payloadBytes", () -> store.payloadBytes(object));
        operations.put("payload", () -> store.payload(object));
        operations.put("forEachObject", () -> store.forEachObject((o, t, b, c) -> { }));
        operations.put("stats", store::stats);
        operations.put("commit", store::commit);
        operations.put("freeze", store::freeze);
        operations.forEach((name, operation) -> {
            Throwable thrown = catchThrowable(operation);
            assertThat(thrown).as(name).isExactlyInstanceOf(StoreClosedException.class);
            assertThat(thrown.getMessage()).as(name).contains(path.toString());
        });
        try (Store reopened = Store.open(path, OpenMode.OWNER)) { // closing three times left a clean store
            assertThat(reopened.refCount(object)).isEqualTo(1);
        }
    }

    @Test
    void aPayloadSegmentOutlivingItsStoreCannotBeRead() {
        Path path = dir.resolve("s.pf");
        Store store = Store.create(path, CAPACITY_BYTES);
        MemorySegment payload = store.payload(store.allocate(64));
        store.close();
        assertThat(catchThrowable(() -> payload.get(ValueLayout.JAVA_BYTE, 0))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingAFrozenAndAReadOnlyStoreTwiceIsHarmless() {
        Path path = dir.resolve("s.pf");
        Store owner = Store.create(path, CAPACITY_BYTES);
        owner.allocate(8);
        owner.freeze();
        owner.close();
        owner.close();
        Store reader = Store.open(path, OpenMode.READ_ONLY);
        reader.close();
        reader.close();
        try (Store worker = Store.open(path, OpenMode.COPY_ON_WRITE)) {
            assertThat(worker.stats().liveObjects()).isEqualTo(1);
        }
    }

    record Pair(long left, long right) {
    }

    @Test
    void releaseOfAnInteriorWordThatLooksLikeACountThrowsAndFreesNothing() {
        Path path = dir.resolve("s.pf");
        long x;
        long after;
        try (Store store = Store.create(path, CAPACITY_BYTES)) {
            x = store.allocate(96);
            after = store.allocate(32);
            MemorySegment payload = store.payload(x);
            // x + 16 looks like a block header: count 1, and a meta word of a raw 32-byte object
            payload.set(ValueLayout.JAVA_LONG, 0, 1L);
            payload.set(ValueLayout.JAVA_LONG, 8, ObjectHeaderDescriptor.meta(dev.permafrost.layout.TypeIds.RAW, 32));
            StoreStats before = store.stats();
            long fake = x + ObjectHeaderDescriptor.LENGTH;
            for (ThrowingCallable misuse : new ThrowingCallable[] {() -> store.release(fake), () -> store.retain(fake),
                    () -> store.tryRetain(fake), () -> store.refCount(fake), () -> store.isImmortal(fake),
                    () -> store.payload(fake), () -> store.typeId(fake)}) {
                ReferenceCountException e = assertThrows(ReferenceCountException.class, path, fake, misuse);
                assertThat(e.getMessage()).contains("not an object").contains("inside the live object at 0x" + Long.toHexString(x))
                        .contains("'raw'");
            }
            assertThat(payload.get(ValueLayout.JAVA_LONG, 0)).as("the payload word is not decremented").isEqualTo(1L);
            assertThat(store.stats()).isEqualTo(before);
            store.commit(); // a block freed would be reusable now
            long next = store.allocate(16);
            long end = x + dev.permafrost.layout.SizeClasses.blockBytes(96);
            assertThat(next < x || next >= end).as("the next allocation, 0x%x, is not inside the live object", next).isTrue();
            assertThat(store.refCount(x)).isEqualTo(1);
            store.release(next);
        }
        try (Store store = Store.open(path, OpenMode.OWNER)) { // the heap walks clean: no fake block, no negative stats
            java.util.List<Long> objects = new java.util.ArrayList<>();
            store.forEachObject((offset, typeId, payloadBytes, count) -> objects.add(offset));
            assertThat(objects).containsExactly(x, after);
            assertThat(store.stats().liveObjects()).isEqualTo(2);
            assertThat(store.stats().freeBytes()).isNotNegative();
            assertThat(store.payload(x).get(ValueLayout.JAVA_LONG, 0)).isEqualTo(1L);
            // the index of block starts is rebuilt at open: the fake block is still refused, the real ones work
            assertThrows(ReferenceCountException.class, path, x + 16, () -> store.release(x + 16));
            store.retain(x);
            store.release(x);
            store.release(after);
            assertThat(store.refCount(after)).isZero();
        }
    }

    @Test
    void anInteriorNegativeWordIsNotReportedImmortalAndItsRetainWritesNothing() {
        Path path = dir.resolve("s.pf");
        try (Store store = Store.create(path, CAPACITY_BYTES)) {
            long x = store.allocate(64);
            store.payload(x).set(ValueLayout.JAVA_LONG, 16, -5L);
            store.payload(x).set(ValueLayout.JAVA_DOUBLE, 32, -1.5);
            for (long inner : new long[] {x + 32, x + 48}) {
                long word = store.payload(x).get(ValueLayout.JAVA_LONG, inner - x - ObjectHeaderDescriptor.LENGTH);
                // the hot path tests the sign only: a retain or release of it writes nothing (asserted below)
                store.retain(inner);
                store.release(inner);
                for (ThrowingCallable misuse : new ThrowingCallable[] {() -> store.tryRetain(inner), () -> store.isImmortal(inner),
                        () -> store.refCount(inner), () -> store.payload(inner)}) {
                    ReferenceCountException e = assertThrows(ReferenceCountException.class, path, inner, misuse);
                    assertThat(e.getMessage()).contains("not an object").contains("0x" + Long.toHexString(x));
                    assertThat(e.countFound()).isEqualTo(word);
                }
                assertThat(store.payload(x).get(ValueLayout.JAVA_LONG, inner - x - ObjectHeaderDescriptor.LENGTH)).isEqualTo(word);
            }
        }
    }

    @Test
    void aWorkerRefusesInteriorWordsOfFrozenObjectsAndCopiesNoPage() {
        Path path = dir.resolve("s.pf");
        long x;
        try (Store store = Store.create(path, CAPACITY_BYTES)) {
            x = store.allocate(64);
            store.payload(x).set(ValueLayout.JAVA_LONG, 0, 3L); // x + 16: a positive word
            store.payload(x).set(ValueLayout.JAVA_LONG, 16, -1L); // x + 32: a negative one
            store.payload(x).set(ValueLayout.JAVA_LONG, 32, ObjectHeaderDescriptor.IMMORTAL_COUNT); // x + 48: the immortal value itself
            store.freeze();
        }
        try (Store worker = Store.open(path, OpenMode.COPY_ON_WRITE)) {
            assertThat(worker.isImmortal(x)).isTrue();
            for (ThrowingCallable misuse : new ThrowingCallable[] {() -> worker.retain(x + 16), () -> worker.release(x + 16),
                    () -> worker.tryRetain(x + 16), () -> worker.refCount(x + 16), () -> worker.tryRetain(x + 32),
                    () -> worker.isImmortal(x + 32)}) {
                assertThat(catchThrowable(misuse)).isInstanceOf(ReferenceCountException.class).hasMessageContaining("not an object");
            }
            worker.retain(x + 32); // negative: the immortal path, which writes nothing
            worker.release(x + 32);
            // the documented limit: a word equal to the immortal count is indistinguishable from a header, and writes nothing
            worker.retain(x + 48);
            worker.release(x + 48);
            assertThat(worker.payload(x).get(ValueLayout.JAVA_LONG, 0)).isEqualTo(3L);
            assertThat(worker.payload(x).get(ValueLayout.JAVA_LONG, 16)).isEqualTo(-1L);
            assertThat(worker.pageMap(worker.frozenBoundaryOffset()).copiedBytes()).as("no frozen page was copied").isZero();
        }
    }

    @Test
    void doubleReleaseAndUseAfterFreeOfATypedObjectNameItsOffsetAndType() {
        Path path = dir.resolve("s.pf");
        try (Store store = Store.create(path, CAPACITY_BYTES)) {
            RecordType<Pair> pairs = store.types().register(Pair.class);
            Ref<Pair> pair = pairs.write(new Pair(1, 2));
            store.release(pair);
            for (ThrowingCallable misuse : new ThrowingCallable[] {() -> store.release(pair), () -> store.retain(pair)}) {
                ReferenceCountException e = assertThrows(ReferenceCountException.class, path, pair.offset(), misuse);
                assertThat(e.getMessage()).contains(Pair.class.getName()).containsAnyOf("double release", "use after free");
                assertThat(e.typeId()).isEqualTo(pairs.typeId());
            }
            assertThat(catchThrowable(() -> pairs.read(pair))).isInstanceOf(ReferenceCountException.class)
                    .hasMessageContaining("use after free");
            assertThat(store.tryRetain(pair)).isFalse();
        }
    }

    @Test
    void retainOfAnObjectOfAClosedStoreThrowsStoreClosedNamingTheFile() {
        Path path = dir.resolve("s.pf");
        Store store = Store.create(path, CAPACITY_BYTES);
        RecordType<Pair> pairs = store.types().register(Pair.class);
        Ref<Pair> pair = pairs.write(new Pair(3, 4));
        store.close();
        for (ThrowingCallable misuse : new ThrowingCallable[] {() -> store.retain(pair), () -> store.release(pair),
                () -> store.tryRetain(pair), () -> pairs.read(pair), store::leakReport}) {
            assertThat(catchThrowable(misuse)).isExactlyInstanceOf(StoreClosedException.class).hasMessageContaining(path.toString());
        }
    }

    /** The word at an offset of the file, read past the store (an owner's mapping is shared: the file has it). */
    private static long rawWord(Path path, long offset) {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(path)) {
            java.nio.ByteBuffer word = java.nio.ByteBuffer.allocate(Long.BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            channel.read(word, offset);
            return word.getLong(0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
