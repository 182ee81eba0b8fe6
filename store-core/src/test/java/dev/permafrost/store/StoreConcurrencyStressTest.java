package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.permafrost.layout.SizeClasses;
import dev.permafrost.layout.StoreFormat;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several threads on one store: retain/release on shared objects loses no update, concurrent
 * allocation and free never hand out overlapping blocks, and tryRetain never revives an object
 * whose last reference another thread is dropping. Bounded in iterations and time; for a long
 * run, {@code -Dpermafrost.stress.scale=20} multiplies the iterations.
 */
@Timeout(120)
class StoreConcurrencyStressTest {
    private static final int THREADS = 4;
    private static final int SCALE = Integer.getInteger("permafrost.stress.scale", 1);
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(15L * SCALE);

    @TempDir
    Path dir;

    /** Runs the tasks on their own threads, all released at once; returns their results in order. */
    private static <T> List<T> runTogether(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CyclicBarrier start = new CyclicBarrier(tasks.size());
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return task.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(100, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void retainAndReleaseFromManyThreadsLoseNoUpdate() throws Exception {
        int iterations = 200_000 * SCALE;
        try (Store store = Store.create(dir.resolve("counts.pf"), 1 << 20)) {
            long[] objects = {store.allocate(8), store.allocate(100), store.allocate(3000)};
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            List<Callable<long[]>> tasks = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                tasks.add(() -> {
                    SplittableRandom random = new SplittableRandom(thread);
                    long[] held = new long[objects.length]; // references this thread keeps at the end
                    for (int i = 0; i < iterations && ((i & 1023) != 0 || System.nanoTime() < deadline); i++) {
                        int which = random.nextInt(objects.length);
                        int batch = 1 + random.nextInt(8);
                        for (int b = 0; b < batch; b++) {
                            if (random.nextInt(4) == 0) {
                                assertThat(store.tryRetain(objects[which])).isTrue();
                            } else {
                                store.retain(objects[which]);
                            }
                        }
                        int keep = random.nextInt(64) == 0 ? 1 : 0;
                        for (int b = keep; b < batch; b++) {
                            store.release(objects[which]);
                        }
                        held[which] += keep;
                    }
                    return held;
                });
            }
            List<long[]> held = runTogether(tasks);
            for (int o = 0; o < objects.length; o++) {
                long expected = 1;
                for (long[] h : held) {
                    expected += h[o];
                }
                assertThat(store.refCount(objects[o])).as("count of object %d", o).isEqualTo(expected);
            }
            assertThat(store.stats().liveObjects()).isEqualTo(objects.length);
            // dropping exactly the references taken frees each object exactly once
            for (int o = 0; o < objects.length; o++) {
                long count = store.refCount(objects[o]);
                for (long c = 0; c < count; c++) {
                    store.release(objects[o]);
                }
                assertThat(store.refCount(objects[o])).isZero();
            }
            assertThat(store.stats().liveObjects()).isZero();
        }
    }

    /** One thread's objects: offset to payload length; each payload is its id, then a byte pattern. */
    private static void fill(MemorySegment payload, long id) {
        payload.fill((byte) id);
        if (payload.byteSize() >= Long.BYTES) {
            payload.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, id);
        }
    }

    private static boolean holds(MemorySegment payload, long id) {
        long from = 0;
        if (payload.byteSize() >= Long.BYTES) {
            if (payload.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) != id) {
                return false;
            }
            from = Long.BYTES;
        }
        for (long i = from; i < payload.byteSize(); i++) {
            if (payload.get(ValueLayout.JAVA_BYTE, i) != (byte) id) {
                return false;
            }
        }
        return true;
    }

    @Test
    void concurrentAllocationAndFreeNeverHandOutOverlappingBlocks() throws Exception {
        int operations = 15_000 * SCALE;
        try (Store store = Store.create(dir.resolve("alloc.pf"), 256L << 20)) {
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            List<Callable<Map<Long, Long>>> tasks = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                tasks.add(() -> {
                    SplittableRandom random = new SplittableRandom(100 + thread);
                    Map<Long, Long> mine = new HashMap<>(); // offset -> id
                    List<Long> order = new ArrayList<>();
                    long nextId = (long) thread << 40;
                    for (int i = 0; i < operations && ((i & 255) != 0 || System.nanoTime() < deadline); i++) {
                        if (order.isEmpty() || random.nextInt(100) < 55) {
                            int size = random.nextInt(100) == 0 ? 64 * 1024 + random.nextInt(64 * 1024)
                                    : random.nextInt(10) == 0 ? random.nextInt(4096) : random.nextInt(200);
                            long offset = store.allocate(size);
                            assertThat(store.refCount(offset)).isEqualTo(1);
                            long id = nextId++;
                            fill(store.payload(offset), id);
                            assertThat(mine.put(offset, id)).as("offset %x handed out twice", offset).isNull();
                            order.add(offset);
                        } else {
                            long offset = order.remove(random.nextInt(order.size()));
                            long id = mine.remove(offset);
                            assertThat(holds(store.payload(offset), id)).as("object %x of thread %d", offset, thread).isTrue();
                            store.release(offset);
                        }
                    }
                    mine.forEach((offset, id) -> assertThat(holds(store.payload(offset), id)).isTrue());
                    return mine;
                });
            }
            List<Map<Long, Long>> results = runTogether(tasks);
            TreeMap<Long, Long> all = new TreeMap<>();
            results.forEach(all::putAll);
            assertThat(all).hasSize(results.stream().mapToInt(Map::size).sum());

            StoreStats stats = store.stats();
            assertThat(stats.liveObjects()).isEqualTo(all.size());
            long end = StoreFormat.HEAP_START_OFFSET;
            long liveBytes = 0;
            for (Map.Entry<Long, Long> entry : all.entrySet()) {
                long offset = entry.getKey();
                assertThat(offset).as("no overlap at %x", offset).isGreaterThanOrEqualTo(end);
                long blockBytes = SizeClasses.blockBytes(store.payloadBytes(offset));
                end = offset + blockBytes;
                liveBytes += blockBytes;
                assertThat(holds(store.payload(offset), entry.getValue())).isTrue();
            }
            assertThat(stats.liveBytes()).isEqualTo(liveBytes);
            assertThat(stats.liveBytes() + stats.freeBytes() + stats.wastedBytes()).isEqualTo(stats.usedBytes());
            List<Long> visited = new ArrayList<>();
            store.forEachObject((offset, typeId, payloadBytes, count) -> visited.add(offset));
            assertThat(visited).containsExactlyElementsOf(all.keySet());
        }
    }

    @Test
    void tryRetainRacingTheFinalReleaseNeverRevivesAFreedObject() throws Exception {
        int rounds = 2_000 * SCALE;
        try (Store store = Store.create(dir.resolve("race.pf"), 1 << 20)) {
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            int[] outcomes = new int[2]; // tryRetain lost, won
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int round = 0; round < rounds && System.nanoTime() < deadline; round++) {
                    long object = store.allocate(48);
                    long sentinel = store.allocate(48);
                    assertThat(sentinel).as("a block is on the free list at most once").isNotEqualTo(object);
                    CyclicBarrier start = new CyclicBarrier(2);
                    Future<?> releaser = pool.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        store.release(object); // the last reference
                        return null;
                    });
                    Future<Boolean> looker = pool.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        return store.tryRetain(object);
                    });
                    releaser.get(30, TimeUnit.SECONDS);
                    boolean won = looker.get(30, TimeUnit.SECONDS);
                    outcomes[won ? 1 : 0]++;
                    if (won) { // it took its reference before the count reached zero: the object lives on
                        assertThat(store.refCount(object)).isEqualTo(1);
                        assertThat(store.stats().liveObjects()).isEqualTo(2);
                        store.release(object);
                    }
                    assertThat(store.refCount(object)).isZero();
                    assertThat(store.stats().liveObjects()).isEqualTo(1);
                    assertThat(store.tryRetain(object)).isFalse();
                    store.release(sentinel);
                    assertThat(store.stats().liveObjects()).isZero();
                }
            } finally {
                pool.shutdownNow();
                assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(outcomes[0] + outcomes[1]).isPositive();
        }
    }

    @Test
    void lookersRacingTheOwnersLastReleaseFreeTheObjectExactlyOnce() throws Exception {
        int rounds = 300 * SCALE;
        try (Store store = Store.create(dir.resolve("lookers.pf"), 1 << 20)) {
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            for (int round = 0; round < rounds && System.nanoTime() < deadline; round++) {
                long object = store.allocate(200);
                List<Callable<Integer>> tasks = new ArrayList<>();
                tasks.add(() -> {
                    store.release(object); // the owner's reference
                    return 0;
                });
                for (int t = 1; t < THREADS; t++) {
                    tasks.add(() -> { // lookups: take a reference if the object still lives, use it, drop it
                        int taken = 0;
                        for (int i = 0; i < 200; i++) {
                            if (!store.tryRetain(object)) {
                                break;
                            }
                            taken++;
                            store.release(object);
                        }
                        return taken;
                    });
                }
                runTogether(tasks);
                assertThat(store.refCount(object)).isZero();
                assertThat(store.stats().liveObjects()).as("round %d", round).isZero();
                store.commit(); // a block freed after a commit is reused only after the next
                long first = store.allocate(200);
                long second = store.allocate(200);
                assertThat(first).isEqualTo(object);
                assertThat(second).as("freed once, so handed out once").isNotEqualTo(object);
                store.release(first);
                store.release(second);
            }
        }
    }
    @Test
    void allocationAndReleaseRacingAFreezeLeaveEveryObjectFrozenOrAboveTheBoundary() throws Exception {
        for (int round = 0; round < 5 * SCALE; round++) {
            Path path = dir.resolve("freeze-race-" + round + ".pf");
            try (Store store = Store.create(path, 64L << 20)) {
                for (int i = 0; i < 100; i++) {
                    store.allocate(40);
                }
                java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
                List<Callable<List<Long>>> tasks = new ArrayList<>();
                for (int t = 0; t < THREADS - 1; t++) {
                    int thread = t;
                    tasks.add(() -> { // allocates, and frees a third of what it allocated, across the freeze
                        SplittableRandom random = new SplittableRandom(thread);
                        List<Long> mine = new ArrayList<>();
                        int afterFreeze = 0;
                        for (int i = 0; i < 100_000 && afterFreeze < 100; i++) {
                            if (stop.get()) {
                                afterFreeze++;
                            }
                            mine.add(store.allocate(40));
                            if (random.nextInt(3) == 0) {
                                store.release(mine.remove(random.nextInt(mine.size())));
                            }
                        }
                        return mine;
                    });
                }
                tasks.add(() -> {
                    Thread.sleep(5);
                    store.freeze();
                    stop.set(true);
                    return List.of();
                });
                List<List<Long>> results = runTogether(tasks);
                long boundary = store.frozenBoundaryOffset();
                TreeMap<Long, Boolean> all = new TreeMap<>();
                for (List<Long> mine : results) {
                    for (long offset : mine) {
                        if (all.put(offset, Boolean.TRUE) != null) {
                            fail("offset %x handed out twice", offset);
                        }
                        if (offset < boundary && !store.isImmortal(offset)) {
                            fail("a mortal object at %x below the frozen boundary %x", offset, boundary);
                        }
                    }
                }
                java.util.Set<Long> visited = new java.util.HashSet<>();
                store.forEachObject((offset, typeId, payloadBytes, count) -> visited.add(offset));
                assertThat(visited.containsAll(all.keySet())).as("forEachObject visits every object held").isTrue();
                assertThat(store.stats().liveObjects()).isEqualTo(visited.size());
            }
        }
    }
}
