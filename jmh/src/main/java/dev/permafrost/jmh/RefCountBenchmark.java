package dev.permafrost.jmh;

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
 * {@link AtomicLong} increment+decrement; each with one thread and with two threads on the
 * same object. Every benchmark runs in the same JMH run, so the ratios compare like with like.
 *
 * <p>Targets (issue 2): immortal retain+release at most 1.3× the header read; mortal
 * retain+release, one thread, at most 1.2× {@code AtomicLong}; with two threads the immortal
 * case scales (it writes nothing) and the mortal one may collapse (both threads write one
 * cache line).
 *
 * <p>Run all of them, with the report of medians and ratios: {@code scripts/bench}. One of
 * them: {@code scripts/bench 'RefCountBenchmark.headerRead$'}. Scores are nanoseconds per
 * operation per thread ({@code Mode.AverageTime}); an operation is one retain plus one
 * release, one read, or one increment plus one decrement. On a busy shared machine use
 * {@code scripts/bench --rounds 5 -f 1} (the command behind {@code docs/benchmarks.md}), and
 * read the CPU-clock columns that {@link ThreadCpu} makes possible.
 *
 * <p>State: one {@code Scope.Benchmark} instance per fork, so the two-thread variants share
 * the object. The immortal object lives in a frozen store opened {@link OpenMode#COPY_ON_WRITE},
 * as a worker opens it; the mortal one in an unfrozen store open as its owner. Both files are
 * in a temporary folder deleted at tear-down.
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

    private Path dir;
    private Store frozen;
    private Store owner;
    private long immortalOffset;
    private long mortalOffset;
    /** The frozen store's mapping as a plain global segment: the same bytes retain reads. */
    private MemorySegment frozenMemory;
    private final AtomicLong counter = new AtomicLong(1);

    /** Creates the benchmarks' state; JMH calls {@link #setUp} before any benchmark runs. */
    public RefCountBenchmark() {
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
    }

    /** Checks that every retain was released, closes both stores and deletes their folder. */
    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            check(owner.refCount(mortalOffset) == 1, "mortal count is " + owner.refCount(mortalOffset) + " after the trial, not 1");
            check(frozen.isImmortal(immortalOffset), "the frozen object became mortal");
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
    public long headerRead(ThreadCpu cpu) {
        return (long) HEADER_WORD.get(frozenMemory, immortalOffset);
    }

    /**
     * {@link #headerRead} with two threads reading the same word: reads scale.
     * Run: {@code scripts/bench 'RefCountBenchmark.headerReadTwoThreads'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the count word
     */
    @Benchmark
    @Threads(2)
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
    public void immortalRetainRelease(ThreadCpu cpu) {
        frozen.retain(immortalOffset);
        frozen.release(immortalOffset);
    }

    /**
     * {@link #immortalRetainRelease} with two threads on the same object: nothing is written,
     * so it scales like {@link #headerReadTwoThreads}.
     * Run: {@code scripts/bench 'RefCountBenchmark.immortalRetainReleaseTwoThreads'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     */
    @Benchmark
    @Threads(2)
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
    public long atomicIncrementDecrement(ThreadCpu cpu) {
        counter.incrementAndGet();
        return counter.decrementAndGet();
    }

    /**
     * {@link #atomicIncrementDecrement} with two threads on the same counter: both write one
     * cache line, which bounces between the cores.
     * Run: {@code scripts/bench 'RefCountBenchmark.atomicIncrementDecrementTwoThreads'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the counter after the decrement
     */
    @Benchmark
    @Threads(2)
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
    public void mortalRetainRelease(ThreadCpu cpu) {
        owner.retain(mortalOffset);
        owner.release(mortalOffset);
    }

    /**
     * {@link #mortalRetainRelease} with two threads on the same object: both write its count
     * word, so the cache line bounces like {@link #atomicIncrementDecrementTwoThreads}.
     * Run: {@code scripts/bench 'RefCountBenchmark.mortalRetainReleaseTwoThreads'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     */
    @Benchmark
    @Threads(2)
    public void mortalRetainReleaseTwoThreads(ThreadCpu cpu) {
        owner.retain(mortalOffset);
        owner.release(mortalOffset);
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
