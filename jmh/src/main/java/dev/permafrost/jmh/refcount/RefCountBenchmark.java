package dev.permafrost.jmh.refcount;

import dev.permafrost.jmh.Compared;
import dev.permafrost.jmh.Report;
import dev.permafrost.jmh.ThreadCpu;
import dev.permafrost.store.OpenMode;
import dev.permafrost.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a reference costs: retain+release of an immortal (frozen) object against a plain read
 * of the same header word, and retain+release of a mortal object against
 * {@link AtomicLong} increment+decrement; each with one thread, with two threads on the
 * same object, and with two threads on an object each ({@code ...TwoThreadsSeparateObjects}).
 * The suite's other peers (Netty, Chronicle Bytes, Agrona) are {@link NettyRefCountBenchmark},
 * {@link ChronicleRefCountBenchmark} and {@link AgronaRefCountBenchmark}, with the same rows
 * ({@link RefCountOperations}), warm-up and forks; every benchmark runs in the same JMH run, so
 * the ratios compare like with like.
 *
 * <p>Targets (issue 2): immortal retain+release at most 1.3× the header read; mortal
 * retain+release, one thread, at most 1.2× {@code AtomicLong}; with two threads the immortal
 * case scales (it writes nothing) and the mortal one may collapse (both threads write one
 * cache line).
 *
 * <p>Run the suite: {@code scripts/bench refcount} (every class of
 * {@code dev.permafrost.jmh.refcount}); this class alone, with the report of medians and ratios:
 * {@code scripts/bench RefCountBenchmark}. One of them:
 * {@code scripts/bench 'RefCountBenchmark.headerRead$'}. Scores are nanoseconds per
 * operation per thread ({@code Mode.AverageTime}); an operation is one retain plus one
 * release, one read, or one increment plus one decrement. On a busy shared machine use
 * {@code scripts/bench --rounds 5 -f 1} (the command behind {@code docs/benchmarks.md}), and
 * read the CPU-clock columns that {@link ThreadCpu} makes possible.
 *
 * <p>State: one {@code Scope.Benchmark} instance per fork, so the two-thread variants share
 * the object. The immortal object lives in a frozen store opened {@link OpenMode#COPY_ON_WRITE},
 * as a worker opens it; the mortal one in an unfrozen store open as its owner. Both files are
 * in a temporary folder deleted at tear-down. The separate-object variants take their objects
 * from {@link SeparateObjects} ({@code Scope.Thread}): each store holds {@link #SEPARATE_OBJECTS}
 * more objects, {@link #SEPARATE_PAYLOAD_BYTES} apart, so no two count words share a cache line
 * (or the pair of lines the adjacent-line prefetcher fetches together).
 *
 * <p>Settings: Permafrost's forks get {@code --enable-native-access=ALL-UNNAMED} (the store
 * calls mmap through FFM from the class path) and {@code -Xmx256m}; no {@code --add-opens}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
// the store calls mmap and friends through FFM and runs from the class path
@Fork(value = 5, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx256m"})
@State(Scope.Benchmark)
public class RefCountBenchmark {
    /** Plain access to a long, as {@code RefCounts} reads the count word: (MemorySegment, long offset). */
    private static final VarHandle HEADER_WORD = ValueLayout.JAVA_LONG.varHandle();
    /** Objects made for the separate-object variants, in each store: at most this many threads. */
    static final int SEPARATE_OBJECTS = 16;
    /** Payload of each separate object: its count word is at least this far from the next one. */
    static final int SEPARATE_PAYLOAD_BYTES = 256;

    private Path dir;
    private Store frozen;
    private Store owner;
    private long immortalOffset;
    private long mortalOffset;
    /** The frozen store's mapping as a plain global segment: the same bytes retain reads. */
    private MemorySegment frozenMemory;
    private final AtomicLong counter = new AtomicLong(1);
    /** Immortal objects of the frozen store, one per thread of the separate-object variants. */
    private final long[] separateImmortalOffsets = new long[SEPARATE_OBJECTS];
    /** Mortal objects of the owner store (count 1, the owner's), one per thread of the same. */
    private final long[] separateMortalOffsets = new long[SEPARATE_OBJECTS];
    /** The next free index of the two arrays above. */
    private final AtomicInteger nextSeparate = new AtomicInteger();

    /** Creates the benchmarks' state; JMH calls {@link #setUp} before any benchmark runs. */
    public RefCountBenchmark() {
    }

    /**
     * One thread's own objects, for the separate-object variants: an immortal and a mortal
     * object of {@link RefCountBenchmark}'s stores, and a heap counter, none shared with
     * another thread. Thread rules: one instance per benchmark thread.
     */
    @State(Scope.Thread)
    public static class SeparateObjects {
        long immortalOffset;
        long mortalOffset;
        /** Allocated by this thread in its setup: a TLAB of its own, away from the other's. */
        AtomicLong counter;

        /** Made by JMH, one per thread. */
        public SeparateObjects() {
        }

        /**
         * Takes the next unused objects of the stores.
         *
         * @param shared the benchmark's stores
         */
        @Setup(Level.Trial)
        public void setUp(RefCountBenchmark shared) {
            int index = shared.nextSeparate.getAndIncrement();
            check(index < SEPARATE_OBJECTS, "more than " + SEPARATE_OBJECTS + " threads want an object of their own");
            immortalOffset = shared.separateImmortalOffsets[index];
            mortalOffset = shared.separateMortalOffsets[index];
            counter = new AtomicLong(1);
        }
    }

    /**
     * Builds a frozen store with one object and opens it copy-on-write, and an unfrozen store
     * with one object (count 1, held by the owner for the whole trial).
     *
     * @throws IOException if the temporary folder cannot be created
     */
    @Setup(Level.Trial)
    @SuppressWarnings("restricted") // reinterpret: a view of the mapping the store owns, used only while it is open
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("permafrost-jmh-");
        Path frozenPath = dir.resolve("frozen.pf");
        try (Store building = Store.create(frozenPath, 1L << 20)) {
            immortalOffset = building.allocate(16);
            allocateSeparate(building, separateImmortalOffsets);
            building.freeze();
        }
        frozen = Store.open(frozenPath, OpenMode.COPY_ON_WRITE);
        check(frozen.isImmortal(immortalOffset), "the frozen object is not immortal");
        frozenMemory = MemorySegment.ofAddress(Mappings.address(frozen, immortalOffset)).reinterpret(frozen.mappedBytes());
        check((long) HEADER_WORD.get(frozenMemory, immortalOffset) == frozen.refCount(immortalOffset),
                "the header read does not see the count word");

        owner = Store.create(dir.resolve("mortal.pf"), 1L << 20);
        mortalOffset = owner.allocate(16);
        check(owner.refCount(mortalOffset) == 1, "the mortal object's count is not 1");
        allocateSeparate(owner, separateMortalOffsets);
        checkApart(frozen, separateImmortalOffsets);
        checkApart(owner, separateMortalOffsets);
    }

    private static void allocateSeparate(Store store, long[] offsets) {
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = store.allocate(SEPARATE_PAYLOAD_BYTES);
        }
    }

    /** Checks that the count words of the separate objects lie at least 128 bytes apart. */
    private static void checkApart(Store store, long[] offsets) {
        for (int i = 0; i < offsets.length; i++) {
            for (int j = i + 1; j < offsets.length; j++) {
                check(Math.abs(store.payload(offsets[i]).address() - store.payload(offsets[j]).address()) >= 128,
                        "separate objects " + offsets[i] + " and " + offsets[j] + " are less than 128 bytes apart");
            }
        }
    }

    /** Checks that every retain was released, closes both stores and deletes their folder. */
    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            check(owner.refCount(mortalOffset) == 1, "mortal count is " + owner.refCount(mortalOffset) + " after the trial, not 1");
            check(frozen.isImmortal(immortalOffset), "the frozen object became mortal");
            for (int i = 0; i < SEPARATE_OBJECTS; i++) {
                check(owner.refCount(separateMortalOffsets[i]) == 1, "separate mortal object " + i + "'s count is "
                        + owner.refCount(separateMortalOffsets[i]) + " after the trial, not 1");
                check(frozen.isImmortal(separateImmortalOffsets[i]), "separate frozen object " + i + " became mortal");
            }
        } finally {
            frozenMemory = null;
            try {
                closeIfOpened(frozen);
            } finally {
                try {
                    closeIfOpened(owner);
                } finally {
                    deleteTree(dir);
                }
            }
        }
    }

    /**
     * The baseline of the immortal case: one plain read of the immortal object's header word,
     * through {@code ValueLayout.JAVA_LONG.varHandle()} on a global segment over the same
     * mapping. One thread. Run: {@code scripts/bench 'RefCountBenchmark.headerRead$'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the count word, so the read is not eliminated
     */
    @Benchmark
    @Threads(1)
    @Compared(operation = RefCountOperations.IMMORTAL_ONE_OBJECT, subject = RefCountOperations.PLAIN_READ)
    public long headerRead(ThreadCpu cpu) {
        return (long) HEADER_WORD.get(frozenMemory, immortalOffset);
    }

    /**
     * {@link #headerRead} with two threads reading the same word: reads scale.
     * Run: {@code scripts/bench 'RefCountBenchmark.headerReadTwoThreads$'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the count word
     */
    @Benchmark
    @Threads(2)
    @Compared(operation = RefCountOperations.IMMORTAL_ONE_OBJECT, subject = RefCountOperations.PLAIN_READ)
    public long headerReadTwoThreads(ThreadCpu cpu) {
        return (long) HEADER_WORD.get(frozenMemory, immortalOffset);
    }

    /**
     * {@link Store#retain} then {@link Store#release} of an immortal object in a frozen store
     * opened copy-on-write: two reads of the count word, no write. One thread.
     * Run: {@code scripts/bench 'RefCountBenchmark.immortalRetainRelease$'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     */
    @Benchmark
    @Threads(1)
    @Compared(operation = RefCountOperations.IMMORTAL_ONE_OBJECT, subject = Compared.PERMAFROST)
    public void immortalRetainRelease(ThreadCpu cpu) {
        frozen.retain(immortalOffset);
        frozen.release(immortalOffset);
    }

    /**
     * {@link #immortalRetainRelease} with two threads on the same object: nothing is written,
     * so it scales like {@link #headerReadTwoThreads}.
     * Run: {@code scripts/bench 'RefCountBenchmark.immortalRetainReleaseTwoThreads$'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     */
    @Benchmark
    @Threads(2)
    @Compared(operation = RefCountOperations.IMMORTAL_ONE_OBJECT, subject = Compared.PERMAFROST)
    public void immortalRetainReleaseTwoThreads(ThreadCpu cpu) {
        frozen.retain(immortalOffset);
        frozen.release(immortalOffset);
    }

    /**
     * The baseline of the mortal case: {@link AtomicLong#incrementAndGet} then
     * {@link AtomicLong#decrementAndGet} on one heap counter. One thread.
     * Run: {@code scripts/bench 'RefCountBenchmark.atomicIncrementDecrement$'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the counter after the decrement
     */
    @Benchmark
    @Threads(1)
    @Compared(operation = RefCountOperations.MORTAL_ONE_OBJECT, subject = RefCountOperations.ATOMIC_LONG)
    public long atomicIncrementDecrement(ThreadCpu cpu) {
        counter.incrementAndGet();
        return counter.decrementAndGet();
    }

    /**
     * {@link #atomicIncrementDecrement} with two threads on the same counter: both write one
     * cache line, which bounces between the cores.
     * Run: {@code scripts/bench 'RefCountBenchmark.atomicIncrementDecrementTwoThreads$'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the counter after the decrement
     */
    @Benchmark
    @Threads(2)
    @Compared(operation = RefCountOperations.MORTAL_ONE_OBJECT, subject = RefCountOperations.ATOMIC_LONG)
    public long atomicIncrementDecrementTwoThreads(ThreadCpu cpu) {
        counter.incrementAndGet();
        return counter.decrementAndGet();
    }

    /**
     * {@link Store#retain} then {@link Store#release} of a mortal object in an unfrozen store
     * open as its owner: a plain read and a {@code getAndAdd} each. One thread.
     * Run: {@code scripts/bench 'RefCountBenchmark.mortalRetainRelease$'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     */
    @Benchmark
    @Threads(1)
    @Compared(operation = RefCountOperations.MORTAL_ONE_OBJECT, subject = Compared.PERMAFROST)
    public void mortalRetainRelease(ThreadCpu cpu) {
        owner.retain(mortalOffset);
        owner.release(mortalOffset);
    }

    /**
     * {@link #mortalRetainRelease} with two threads on the same object: both write its count
     * word, so the cache line bounces like {@link #atomicIncrementDecrementTwoThreads}.
     * Run: {@code scripts/bench 'RefCountBenchmark.mortalRetainReleaseTwoThreads$'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     */
    @Benchmark
    @Threads(2)
    @Compared(operation = RefCountOperations.MORTAL_ONE_OBJECT, subject = Compared.PERMAFROST)
    public void mortalRetainReleaseTwoThreads(ThreadCpu cpu) {
        owner.retain(mortalOffset);
        owner.release(mortalOffset);
    }

    /**
     * {@link #headerRead} with two threads, each reading the count word of an immortal object
     * of its own. Run: {@code scripts/bench 'RefCountBenchmark.headerReadTwoThreadsSeparateObjects'}.
     *
     * @param own this thread's objects
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the count word
     */
    @Benchmark
    @Threads(2)
    @Compared(operation = RefCountOperations.IMMORTAL_OBJECT_PER_THREAD, subject = RefCountOperations.PLAIN_READ)
    public long headerReadTwoThreadsSeparateObjects(SeparateObjects own, ThreadCpu cpu) {
        return (long) HEADER_WORD.get(frozenMemory, own.immortalOffset);
    }

    /**
     * {@link #immortalRetainRelease} with two threads, each on an immortal object of its own.
     * Run: {@code scripts/bench 'RefCountBenchmark.immortalRetainReleaseTwoThreadsSeparateObjects'}.
     *
     * @param own this thread's objects
     * @param cpu this thread's CPU time, for {@link Report}
     */
    @Benchmark
    @Threads(2)
    @Compared(operation = RefCountOperations.IMMORTAL_OBJECT_PER_THREAD, subject = Compared.PERMAFROST)
    public void immortalRetainReleaseTwoThreadsSeparateObjects(SeparateObjects own, ThreadCpu cpu) {
        frozen.retain(own.immortalOffset);
        frozen.release(own.immortalOffset);
    }

    /**
     * {@link #atomicIncrementDecrement} with two threads, each on a counter of its own: no
     * cache line is shared, so it scales.
     * Run: {@code scripts/bench 'RefCountBenchmark.atomicIncrementDecrementTwoThreadsSeparateObjects'}.
     *
     * @param own this thread's objects
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the counter after the decrement
     */
    @Benchmark
    @Threads(2)
    @Compared(operation = RefCountOperations.MORTAL_OBJECT_PER_THREAD, subject = RefCountOperations.ATOMIC_LONG)
    public long atomicIncrementDecrementTwoThreadsSeparateObjects(SeparateObjects own, ThreadCpu cpu) {
        own.counter.incrementAndGet();
        return own.counter.decrementAndGet();
    }

    /**
     * {@link #mortalRetainRelease} with two threads, each on a mortal object of its own in the
     * same store: no count word is shared, so it scales.
     * Run: {@code scripts/bench 'RefCountBenchmark.mortalRetainReleaseTwoThreadsSeparateObjects'}.
     *
     * @param own this thread's objects
     * @param cpu this thread's CPU time, for {@link Report}
     */
    @Benchmark
    @Threads(2)
    @Compared(operation = RefCountOperations.MORTAL_OBJECT_PER_THREAD, subject = Compared.PERMAFROST)
    public void mortalRetainReleaseTwoThreadsSeparateObjects(SeparateObjects own, ThreadCpu cpu) {
        owner.retain(own.mortalOffset);
        owner.release(own.mortalOffset);
    }

    /**
     * {@link #mortalRetainRelease} with the leak tracer on ({@code -Dpermafrost.leakTracer=true}
     * in this fork): every retain walks the stack, so this shows what the tracer costs when on.
     * Off, the tracer is a folded {@code static final}: {@link #mortalRetainRelease} and
     * {@link #immortalRetainRelease} are the "tracer off" rows, compared with a jar built before
     * the tracer existed ({@code docs/benchmarks.md}, "Misuse checks and the leak tracer").
     * Run: {@code scripts/bench 'RefCountBenchmark.mortalRetainReleaseLeakTracerOn'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     */
    @Benchmark
    @Threads(1)
    @Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-Dpermafrost.leakTracer=true"})
    @Compared(operation = RefCountOperations.MORTAL_ONE_OBJECT, subject = "Permafrost, leak tracer on")
    public void mortalRetainReleaseLeakTracerOn(ThreadCpu cpu) {
        owner.retain(mortalOffset);
        owner.release(mortalOffset);
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    private static void closeIfOpened(Store store) {
        if (store != null) {
            store.close();
        }
    }

    private static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
