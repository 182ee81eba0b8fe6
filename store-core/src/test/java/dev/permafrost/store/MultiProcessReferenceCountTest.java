package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.testing.ChildJvm;
import java.io.File;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several worker JVMs retain and release the same objects of one store at the same time, from
 * several threads each, and write into them: every worker's counts come out exact, and none of
 * it reaches the file, whose bytes are the same afterwards.
 *
 * <p>What "the same objects" can mean: a store has one writer, its owner, under an exclusive
 * lock, and every other process maps it copy-on-write ({@link OpenMode}); there is no mode in
 * which two processes change one count word. So the workers share the file's pages: until a
 * worker changes a count, it reads the page every worker reads. On a store that is not frozen
 * each count a worker changes copies its page, and the count goes on in that worker alone; on a
 * frozen one the objects are immortal and nothing is written, and the exact counts are those of
 * the worker's own objects, in its private memory. The in-process cases are
 * {@link CopyOnWriteIsolationTest}; the threads of one process, {@link StoreConcurrencyStressTest}.
 */
class MultiProcessReferenceCountTest {
    private static final int WORKERS = 3;
    private static final int OBJECTS = 64;
    private static final int PAYLOAD_BYTES = 40;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "frozen = {0}")
    @ValueSource(booleans = {false, true})
    void workersRetainAndReleaseTheSameObjectsAtOnceAndTheCountsComeOutExactWhileTheFileNeverChanges(boolean frozen)
            throws Exception {
        Path path = dir.resolve("shared.pf");
        try (Store store = Store.create(path, 8 << 20)) {
            for (int i = 0; i < OBJECTS; i++) {
                long object = store.allocate(PAYLOAD_BYTES);
                store.payload(object).fill((byte) i);
            }
            if (frozen) {
                store.freeze();
            }
        }
        byte[] before = StoreFiles.read(path);
        long startAtMillis = System.currentTimeMillis() + 5_000; // every worker up and mapped by then, on a busy machine too: they race
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "--enable-native-access=ALL-UNNAMED", "-cp", childClassPath(), Worker.class.getName(), path.toString(),
                Long.toString(startAtMillis));
        List<ChildJvm.Result> results = new ArrayList<>();
        try (ExecutorService launcher = Executors.newFixedThreadPool(WORKERS)) {
            List<Future<ChildJvm.Result>> running = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                running.add(launcher.submit(() -> ChildJvm.run(command))); // each is killed if it outlives a minute
            }
            for (Future<ChildJvm.Result> worker : running) {
                results.add(worker.get());
            }
        }
        for (ChildJvm.Result worker : results) {
            assertThat(worker.exitCode()).as(worker.output()).isZero();
            assertThat(worker.output()).as(worker.output())
                    .contains("counts exact: " + OBJECTS + " shared objects, " + Worker.THREADS + " threads x " + Worker.ROUNDS + " rounds")
                    .contains(frozen ? "shared objects immortal" : "shared counts 1 again")
                    .contains("own objects exact");
        }
        assertThat(Arrays.equals(StoreFiles.read(path), before)).as("the file's bytes after " + WORKERS + " workers").isTrue();
        try (Store reopened = Store.open(path, frozen ? OpenMode.READ_ONLY : OpenMode.OWNER)) {
            List<long[]> objects = new ArrayList<>();
            reopened.forEachObject((offset, typeId, payloadBytes, count) -> objects.add(new long[] {offset, count}));
            assertThat(objects).hasSize(OBJECTS);
            for (int i = 0; i < OBJECTS; i++) {
                assertThat(objects.get(i)[1] < 0).as("object %d immortal", i).isEqualTo(frozen);
                if (!frozen) {
                    assertThat(objects.get(i)[1]).as("object %d's count in the file", i).isEqualTo(1);
                }
                MemorySegment payload = reopened.payload(objects.get(i)[0]);
                for (int at = 0; at < PAYLOAD_BYTES; at++) {
                    assertThat(payload.get(ValueLayout.JAVA_BYTE, at)).as("object %d, byte %d", i, at).isEqualTo((byte) i);
                }
            }
        }
    }

    /**
     * A worker: maps the store copy-on-write, waits for the common start, then has each of its
     * threads retain every shared object {@link #ROUNDS} times over, check the counts and release
     * them all, while writing into their payloads; then frees objects of its own, allocated and
     * counted the same way. Prints what held; any broken count is an exit status of 1.
     */
    public static final class Worker {
        static final int THREADS = 4;
        static final int ROUNDS = 200;
        static final long RUN_MILLIS = 1_000;

        private Worker() {
        }

        /**
         * Runs the worker.
         *
         * @param args the store's path and the start time, in milliseconds since the epoch
         * @throws Exception if the start is interrupted, or a thread fails
         */
        public static void main(String[] args) throws Exception {
            try (Store store = Store.open(Path.of(args[0]), OpenMode.COPY_ON_WRITE)) {
                List<long[]> found = new ArrayList<>();
                store.forEachObject((offset, typeId, payloadBytes, count) -> found.add(new long[] {offset, count}));
                long[] shared = found.stream().mapToLong(o -> o[0]).toArray();
                long[] before = found.stream().mapToLong(o -> o[1]).toArray();
                long[] own = new long[shared.length];
                for (int i = 0; i < own.length; i++) {
                    own[i] = store.allocate(PAYLOAD_BYTES);
                }
                long startAtMillis = Long.parseLong(args[1]);
                Thread.sleep(Math.max(0, startAtMillis - System.currentTimeMillis()));

                AtomicReference<String> broken = new AtomicReference<>();
                int passes = 0;
                do { // for a second from the common start, so that the workers overlap however their JVMs started
                    hammer(store, shared, before, broken);
                    passes++;
                } while (broken.get() == null && System.currentTimeMillis() < startAtMillis + RUN_MILLIS);
                if (broken.get() != null) {
                    fail(broken.get());
                }
                System.out.println("counts exact: " + shared.length + " shared objects, " + THREADS + " threads x " + ROUNDS
                        + " rounds, " + passes + " passes");
                for (int i = 0; i < shared.length; i++) {
                    if (store.refCount(shared[i]) != before[i]) {
                        fail("object 0x" + Long.toHexString(shared[i]) + " has count " + store.refCount(shared[i]) + ", not " + before[i]);
                    }
                }
                boolean immortal = Arrays.stream(before).allMatch(count -> count < 0);
                System.out.println(immortal ? "shared objects immortal" : "shared counts 1 again");

                hammer(store, own, new long[own.length], broken); // counts 1, as allocated (0: not immortal)
                if (broken.get() != null) {
                    fail(broken.get());
                }
                for (long object : own) {
                    if (store.refCount(object) != 1) {
                        fail("own object 0x" + Long.toHexString(object) + " has count " + store.refCount(object));
                    }
                    store.release(object); // frees it, in this process's memory
                    if (store.refCount(object) != 0) {
                        fail("own object 0x" + Long.toHexString(object) + " was not freed");
                    }
                }
                System.out.println("own objects exact");
            }
        }

        /** Every thread retains each object ROUNDS times, writes into it, checks the count is at least its own share, releases. */
        private static void hammer(Store store, long[] objects, long[] countBefore, AtomicReference<String> broken)
                throws InterruptedException {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                byte mark = (byte) (0x70 + t);
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < objects.length; i++) {
                        long object = objects[i];
                        for (int round = 0; round < ROUNDS; round++) {
                            store.retain(object);
                        }
                        long count = store.refCount(object);
                        long base = countBefore[i] == 0 ? 1 : countBefore[i];
                        if (base > 0 && (count < base + ROUNDS || count > base + (long) THREADS * ROUNDS)) {
                            broken.compareAndSet(null, "object 0x" + Long.toHexString(object) + ": count " + count
                                    + " with " + ROUNDS + " references of this thread over " + base);
                        }
                        if (base < 0 && count != base) {
                            broken.compareAndSet(null, "immortal object 0x" + Long.toHexString(object) + " changed to " + count);
                        }
                        if (base > 0) {
                            store.payload(object).fill(mark); // copies the page: this worker's alone
                        }
                        for (int round = 0; round < ROUNDS; round++) {
                            store.release(object);
                        }
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
        }

        private static void fail(String why) {
            System.out.println("BROKEN: " + why);
            System.exit(1);
        }
    }

    /** Everything this JVM runs with, module path included, as a plain class path. */
    private static String childClassPath() {
        return Stream.of(System.getProperty("jdk.module.path", ""), System.getProperty("java.class.path", ""))
                .flatMap(p -> Stream.of(p.split(File.pathSeparator))).filter(p -> !p.isBlank()).distinct()
                .collect(Collectors.joining(File.pathSeparator));
    }
}
