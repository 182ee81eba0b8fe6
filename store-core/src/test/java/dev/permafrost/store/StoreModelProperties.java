package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.permafrost.error.ReferenceCountException;
import dev.permafrost.layout.Checksums;
import dev.permafrost.layout.CommitSlotDescriptor.CommitSlot;
import dev.permafrost.layout.HeapWalker;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.SizeClasses;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.TypeIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The store against a plain model: a map of live objects to their type, size, count and content.
 * Random sequences of allocate (0 bytes to a few hundred KiB, mostly small), retain, release,
 * tryRetain, misuse of freed objects, commit and close+reopen as owner, then freeze; after every
 * step the store must agree with the model in every observable way.
 *
 * <p>Tries: {@code jqwik.tries.default} in {@code junit-platform.properties}; for a long run,
 * {@code ./mvnw verify -pl store-core -am -Dtest=StoreModelProperties -Djqwik.tries.default=5000}.
 */
class StoreModelProperties {
    /** The type ids {@code Store.allocate(int, long)} accepts: raw, and the kinds whose payload holds no references. */
    private static final Integer[] UNTYPED_KINDS = {TypeIds.RAW, TypeIds.STRING, TypeIds.BYTE_ARRAY, TypeIds.SHORT_ARRAY,
            TypeIds.CHAR_ARRAY, TypeIds.INT_ARRAY, TypeIds.LONG_ARRAY, TypeIds.FLOAT_ARRAY, TypeIds.DOUBLE_ARRAY};

    private static final long CAPACITY_BYTES = 64L << 20;
    private static final int MAX_PAYLOAD_BYTES = 320 * 1024;
    /** Each object's content is a window of this, starting at a place that depends on its id. */
    private static final byte[] PATTERN = new byte[MAX_PAYLOAD_BYTES + 65536];
    private static final MemorySegment PATTERN_SEGMENT = MemorySegment.ofArray(PATTERN);

    /**
     * Where the stores go: tmpfs when there is one, since this tests logic, not durability, and
     * the msync and fsync of every commit and freeze would cost more than everything else.
     */
    private static final Path SCRATCH = Files.isDirectory(Path.of("/dev/shm")) && Files.isWritable(Path.of("/dev/shm"))
            ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));

    static {
        new Random(20261125).nextBytes(PATTERN);
    }

    sealed interface Op permits Allocate, Retain, Release, TryRetain, MisuseFreed, Commit, Reopen {
    }

    record Allocate(int typeId, int payloadBytes) implements Op {
    }

    record Retain(int pick) implements Op {
    }

    record Release(int pick) implements Op {
    }

    record TryRetain(int pick) implements Op {
    }

    /** Retain, release and tryRetain of a freed object that has not been handed out again. */
    record MisuseFreed(int pick) implements Op {
    }

    record Commit() implements Op {
    }

    record Reopen() implements Op {
    }

    /** A live object as the model knows it. */
    static final class Modelled {
        final int id;
        final int typeId;
        final long payloadBytes;
        long count = 1;
        boolean immortal;

        Modelled(int id, int typeId, long payloadBytes) {
            this.id = id;
            this.typeId = typeId;
            this.payloadBytes = payloadBytes;
        }

        long blockBytes() {
            return SizeClasses.blockBytes(payloadBytes);
        }

        int patternStart() {
            return (id * 7919) & 0xffff;
        }
    }

    /** The model: live objects, and freed blocks not yet handed out again, by offset. */
    static final class Model {
        final TreeMap<Long, Modelled> live = new TreeMap<>();
        final TreeMap<Long, Long> freed = new TreeMap<>(); // offset -> block bytes
        /** Of the freed blocks, those freed before the last commit: only they may be handed out again. */
        final java.util.Set<Long> reusable = new java.util.HashSet<>();
        /** Holes left in the frozen region: never handed out again. */
        final TreeMap<Long, Long> frozenHoles = new TreeMap<>();
        long frozenBumpOffset; // 0 until frozen
        long boundaryOffset;
        int nextId;

        static <V> long pick(TreeMap<Long, V> map, int pick) {
            return map.keySet().stream().skip(pick % map.size()).findFirst().orElseThrow();
        }

        /** Forgets freed blocks that a new block at {@code [offset, offset + bytes)} covers. */
        void handedOut(long offset, long bytes) {
            freed.subMap(offset, offset + bytes).clear();
            Map.Entry<Long, Long> below = freed.lowerEntry(offset);
            if (below != null && below.getKey() + below.getValue() > offset) {
                freed.remove(below.getKey());
            }
        }
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Integer> sizes = Arbitraries.frequencyOf(List.of(
                Tuple.of(10, Arbitraries.integers().between(0, 64)),
                Tuple.of(6, Arbitraries.integers().between(65, 1024)),
                Tuple.of(3, Arbitraries.integers().between(1025, 16 * 1024)),
                Tuple.of(1, Arbitraries.integers().between(16 * 1024, MAX_PAYLOAD_BYTES))));
        Arbitrary<Integer> picks = Arbitraries.integers().between(0, 1 << 16);
        Arbitrary<Op> allocate = Combinators.combine(Arbitraries.of(UNTYPED_KINDS), sizes).as(Allocate::new);
        Arbitrary<Op> retain = picks.map(Retain::new);
        Arbitrary<Op> release = picks.map(Release::new);
        Arbitrary<Op> tryRetain = picks.map(TryRetain::new);
        Arbitrary<Op> misuse = picks.map(MisuseFreed::new);
        Arbitrary<Op> commit = Arbitraries.just(new Commit());
        Arbitrary<Op> reopen = Arbitraries.just(new Reopen());
        return Arbitraries.frequencyOf(List.of(Tuple.of(10, allocate), Tuple.of(4, retain), Tuple.of(7, release),
                Tuple.of(2, tryRetain), Tuple.of(1, misuse), Tuple.of(1, commit), Tuple.of(1, reopen)))
                .list().ofMinSize(1).ofMaxSize(80);
    }

    @Property
    void theStoreAgreesWithItsModelThroughAllocationReferenceCountsReopenAndFreeze(
            @ForAll("operations") List<Op> operations, @ForAll("operations") List<Op> afterFreeze) throws IOException {
        Path dir = Files.createTempDirectory(SCRATCH, "permafrost-model");
        Path path = dir.resolve("model.pf");
        Store store = Store.create(path, CAPACITY_BYTES);
        try {
            Model model = new Model();
            for (Op op : operations) {
                store = apply(store, path, model, op);
                checkAgainstModel(store, model);
            }
            freezeAndCheck(store, path, model);
            // the frozen store goes on as a copy-on-write opener: private objects above the boundary
            for (Op op : afterFreeze) {
                if (!(op instanceof Commit) && !(op instanceof Reopen)) {
                    store = apply(store, path, model, op);
                    checkAgainstModel(store, model);
                    assertThat(model.live.entrySet()).allSatisfy(entry -> assertThat(entry.getValue().immortal)
                            .isEqualTo(entry.getKey() < model.boundaryOffset));
                }
            }
            store.close();
            model.live.values().removeIf(object -> !object.immortal);
            try (Store worker = Store.open(path, OpenMode.COPY_ON_WRITE); Store reader = Store.open(path, OpenMode.READ_ONLY)) {
                checkFrozen(worker, model);
                checkFrozen(reader, model);
                assertThat(worker.stats().liveBytes()).isEqualTo(model.live.values().stream().mapToLong(Modelled::blockBytes).sum());
            }
        } finally {
            store.close();
            deleteRecursively(dir);
        }
    }

    private static Store apply(Store store, Path path, Model model, Op op) {
        switch (op) {
            case Allocate(int typeId, int payloadBytes) -> {
                long blockBytes = SizeClasses.blockBytes(payloadBytes);
                boolean reusable = blockBytes >= SizeClasses.MIN_FREE_LIST_BLOCK_BYTES
                        && model.freed.entrySet().stream().anyMatch(e -> e.getValue() == blockBytes
                        && model.reusable.contains(e.getKey()));
                long bumpBefore = store.stats().bumpOffset();
                long offset = store.allocate(typeId, payloadBytes);
                assertThat(store.refCount(offset)).isEqualTo(1);
                assertThat(store.typeId(offset)).isEqualTo(typeId);
                assertThat(store.payloadBytes(offset)).isEqualTo(payloadBytes);
                MemorySegment payload = store.payload(offset);
                assertThat(payload.byteSize()).isEqualTo(payloadBytes);
                assertThat(payload.asByteBuffer().equals(MemorySegment.ofArray(new byte[payloadBytes]).asByteBuffer()))
                        .as("a new object's payload reads as zeros").isTrue();
                if (reusable) { // a freed block of its class waits on the free list: no fresh space is used
                    assertThat(offset).as("reused block").isLessThan(bumpBefore);
                    assertThat(store.stats().bumpOffset()).isEqualTo(bumpBefore);
                }
                assertThat(model.freed.containsKey(offset) && !model.reusable.contains(offset))
                        .as("a block freed after the last commit is not handed out before the next").isFalse();
                model.handedOut(offset, blockBytes);
                model.reusable.retainAll(model.freed.keySet());
                Modelled object = new Modelled(model.nextId++, typeId, payloadBytes);
                MemorySegment.copy(PATTERN_SEGMENT, object.patternStart(), payload, 0, payloadBytes);
                assertThat(model.live.put(offset, object)).as("offset handed out twice").isNull();
            }
            case Retain(int pick) -> {
                if (!model.live.isEmpty()) {
                    long offset = Model.pick(model.live, pick);
                    store.retain(offset);
                    Modelled object = model.live.get(offset);
                    object.count += object.immortal ? 0 : 1;
                }
            }
            case TryRetain(int pick) -> {
                if (!model.live.isEmpty()) {
                    long offset = Model.pick(model.live, pick);
                    assertThat(store.tryRetain(offset)).isTrue();
                    Modelled object = model.live.get(offset);
                    object.count += object.immortal ? 0 : 1;
                }
            }
            case Release(int pick) -> {
                if (!model.live.isEmpty()) {
                    long offset = Model.pick(model.live, pick);
                    Modelled object = model.live.get(offset);
                    store.release(offset);
                    if (!object.immortal && --object.count == 0) {
                        model.live.remove(offset);
                        model.freed.put(offset, object.blockBytes());
                        if (store.mode() != OpenMode.OWNER) { // private memory: no commit describes it, reused at once
                            model.reusable.add(offset);
                        }
                    }
                }
            }
            case MisuseFreed(int pick) -> {
                if (!model.freed.isEmpty()) {
                    long offset = Model.pick(model.freed, pick);
                    long liveBefore = store.stats().liveObjects();
                    assertThatThrownBy(() -> store.retain(offset)).isExactlyInstanceOf(ReferenceCountException.class);
                    assertThatThrownBy(() -> store.release(offset)).isExactlyInstanceOf(ReferenceCountException.class);
                    assertThat(store.tryRetain(offset)).isFalse();
                    assertThat(store.refCount(offset)).isZero();
                    assertThat(store.stats().liveObjects()).isEqualTo(liveBefore);
                }
            }
            case Commit() -> {
                store.commit();
                model.reusable.addAll(model.freed.keySet());
            }
            case Reopen() -> {
                store.close();
                model.reusable.addAll(model.freed.keySet());
                return Store.open(path, OpenMode.OWNER);
            }
        }
        return store;
    }

    /** Everything the store shows agrees with the model. */
    private static void checkAgainstModel(Store store, Model model) {
        StoreStats stats = store.stats();
        long liveBytes = model.live.values().stream().mapToLong(Modelled::blockBytes).sum();
        assertThat(stats.liveObjects()).isEqualTo(model.live.size());
        assertThat(stats.liveBytes()).isEqualTo(liveBytes);
        assertThat(stats.usedBytes()).isEqualTo(model.frozenBumpOffset == 0 ? stats.bumpOffset() - StoreFormat.HEAP_START_OFFSET
                : model.frozenBumpOffset - StoreFormat.HEAP_START_OFFSET + stats.bumpOffset() - model.boundaryOffset);
        assertThat(stats.liveBytes() + stats.freeBytes() + stats.wastedBytes()).as("live + free + wasted = used")
                .isEqualTo(stats.usedBytes());

        long end = StoreFormat.HEAP_START_OFFSET;
        for (Map.Entry<Long, Modelled> entry : model.live.entrySet()) {
            long offset = entry.getKey();
            Modelled object = entry.getValue();
            assertThat(offset).as("no two live objects overlap").isGreaterThanOrEqualTo(end);
            assertThat(offset % StoreFormat.OBJECT_ALIGNMENT).isZero();
            if (object.blockBytes() >= SizeClasses.LARGE_BLOCK_BYTES) {
                assertThat(StoreFormat.isPageAligned(offset)).as("a large object starts on a page").isTrue();
            }
            end = offset + object.blockBytes();
            assertThat(store.refCount(offset)).isEqualTo(object.immortal ? ObjectHeaderDescriptor.IMMORTAL_COUNT : object.count);
            assertThat(store.typeId(offset)).isEqualTo(object.typeId);
            assertThat(store.payloadBytes(offset)).isEqualTo(object.payloadBytes);
            assertContent(store, offset, object);
        }
        assertThat(end).isLessThanOrEqualTo(stats.bumpOffset());
        for (long offset : model.freed.keySet()) {
            assertThat(store.refCount(offset)).as("freed block %x", offset).isZero();
        }
        for (long offset : model.frozenHoles.keySet()) {
            assertThat(store.refCount(offset)).as("hole %x in the frozen region", offset).isZero();
        }

        List<long[]> visited = new ArrayList<>();
        store.forEachObject((offset, typeId, payloadBytes, count) -> visited.add(new long[] {offset, typeId, payloadBytes, count}));
        assertThat(visited).as("forEachObject visits exactly the live objects, in address order")
                .usingElementComparator(Comparator.comparing(java.util.Arrays::toString))
                .containsExactlyElementsOf(expectedVisits(model));

        long[] freeAndWasted = new long[2];
        MemorySegment mapping = mapping(store);
        long ownStart = StoreFormat.HEAP_START_OFFSET;
        if (model.frozenBumpOffset != 0) { // every hole in the frozen region is waste: it is never reused
            HeapWalker.walk(mapping, StoreFormat.HEAP_START_OFFSET, model.frozenBumpOffset, store.path(),
                    (offset, count, meta, blockBytes) -> {
                        freeAndWasted[1] += count == ObjectHeaderDescriptor.FREE_COUNT ? blockBytes : 0;
                        return true;
                    });
            ownStart = model.boundaryOffset;
        }
        HeapWalker.walk(mapping, ownStart, stats.bumpOffset(), store.path(),
                (offset, count, meta, blockBytes) -> {
                    if (count == ObjectHeaderDescriptor.FREE_COUNT) {
                        freeAndWasted[blockBytes >= SizeClasses.MIN_FREE_LIST_BLOCK_BYTES ? 0 : 1] += blockBytes;
                    }
                    return true;
                });
        assertThat(freeAndWasted[0]).as("free bytes = free blocks in the heap").isEqualTo(stats.freeBytes());
        assertThat(freeAndWasted[1]).as("wasted bytes = free 16-byte blocks").isEqualTo(stats.wastedBytes());
    }

    private static List<long[]> expectedVisits(Model model) {
        List<long[]> expected = new ArrayList<>();
        model.live.forEach((offset, object) -> expected.add(new long[] {offset, object.typeId, object.payloadBytes,
                object.immortal ? ObjectHeaderDescriptor.IMMORTAL_COUNT : object.count}));
        return expected;
    }

    private static void assertContent(Store store, long offset, Modelled object) {
        long mismatch = MemorySegment.mismatch(store.payload(offset), 0, object.payloadBytes, PATTERN_SEGMENT,
                object.patternStart(), object.patternStart() + object.payloadBytes);
        assertThat(mismatch).as("content of object %d at %x (%d bytes) differs at", object.id, offset, object.payloadBytes)
                .isEqualTo(-1);
    }

    @SuppressWarnings("restricted") // a view of the store's own mapping, to walk its heap as the format says
    private static MemorySegment mapping(Store store) {
        return MemorySegment.ofAddress(store.mappingAddress()).reinterpret(store.mappedBytes());
    }

    private static void freezeAndCheck(Store store, Path path, Model model) throws IOException {
        long bump = store.stats().bumpOffset();
        store.freeze();
        assertThat(store.isFrozen()).isTrue();
        assertThat(store.mode()).isEqualTo(OpenMode.COPY_ON_WRITE);
        assertThat(store.frozenBoundaryOffset()).isEqualTo(StoreFormat.alignToPage(bump));
        assertThat(Files.size(path)).as("the file is trimmed to the boundary").isEqualTo(store.frozenBoundaryOffset());
        CommitSlot frozen = StoreFiles.slot(path, StoreFiles.newestSlotOffset(path));
        assertThat(frozen.isFrozen()).isTrue();
        assertThat(frozen.isClean()).isTrue();
        assertThat(frozen.bumpOffset()).isEqualTo(bump);
        assertThat(frozen.frozenChecksum()).as("checksum of the frozen heap")
                .isEqualTo(Checksums.crc32c(StoreFiles.readAt(path, StoreFormat.HEAP_START_OFFSET,
                        (int) (bump - StoreFormat.HEAP_START_OFFSET)), 0, bump - StoreFormat.HEAP_START_OFFSET));
        model.live.values().forEach(object -> object.immortal = true);
        model.frozenHoles.putAll(model.freed); // holes in the frozen region are never handed out again
        model.freed.clear();
        model.frozenBumpOffset = bump;
        model.boundaryOffset = store.frozenBoundaryOffset();
        checkFrozen(store, model);
        checkAgainstModel(store, model);
    }

    /** A frozen store shows the model's objects, all immortal, with their content; references to them write nothing. */
    private static void checkFrozen(Store store, Model model) {
        assertThat(store.isFrozen()).isTrue();
        for (Map.Entry<Long, Modelled> entry : model.live.entrySet()) {
            long offset = entry.getKey();
            assertThat(store.isImmortal(offset)).isTrue();
            store.retain(offset);
            assertThat(store.tryRetain(offset)).isTrue();
            store.release(offset);
            store.release(offset);
            store.release(offset);
            assertThat(store.refCount(offset)).isEqualTo(ObjectHeaderDescriptor.IMMORTAL_COUNT);
            assertThat(store.payload(offset).isReadOnly()).isTrue();
            assertContent(store, offset, entry.getValue());
        }
        for (long offset : model.frozenHoles.keySet()) {
            assertThat(store.refCount(offset)).isZero();
            assertThat(store.tryRetain(offset)).isFalse();
            assertThatThrownBy(() -> store.retain(offset)).isExactlyInstanceOf(ReferenceCountException.class);
        }
        List<long[]> visited = new ArrayList<>();
        store.forEachObject((offset, typeId, payloadBytes, count) -> visited.add(new long[] {offset, typeId, payloadBytes, count}));
        assertThat(visited).usingElementComparator(Comparator.comparing(java.util.Arrays::toString))
                .containsExactlyElementsOf(expectedVisits(model));
        assertThat(store.stats().liveObjects()).isEqualTo(model.live.size());
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
