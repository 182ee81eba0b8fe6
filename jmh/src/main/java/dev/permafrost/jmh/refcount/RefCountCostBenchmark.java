package dev.permafrost.jmh.refcount;

import dev.permafrost.alloc.BlockStarts;
import dev.permafrost.jmh.Compared;
import dev.permafrost.jmh.Report;
import dev.permafrost.jmh.ThreadCpu;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.refcount.RefCounts;
import dev.permafrost.store.OpenMode;
import dev.permafrost.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
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
 * Where the cost of {@link RefCountBenchmark}'s retain+release goes: the same operations taken
 * apart, one thread each, in one JMH run. Each benchmark adds one ingredient to the one before:
 *
 * <ul>
 *   <li>Immortal: a plain read through a global-scope segment (the baseline of
 *       {@link RefCountBenchmark#headerRead}); the same read through a segment of a shared
 *       {@link Arena} (the kind of segment the store maps, with a liveness check); the
 *       protocol's immortal path (read, test the sign; twice) on that segment, without the
 *       store.</li>
 *   <li>Mortal: {@link AtomicLong} increment+decrement (the baseline); the protocol on the
 *       same {@code AtomicLong} (a plain read and a sign test before each atomic); the bare
 *       atomics on a shared-arena segment; the protocol on that segment, without the
 *       store.</li>
 * </ul>
 *
 * Two more of each kind: the protocol with the segment read from a holder's final field (the
 * hop a store adds in front of its memory), and {@code RefCounts} called directly (the
 * protocol's own code, which reaches count words by address through a constant segment, no
 * store). The rows of {@link RefCountBenchmark} add the store itself (its fields, the argument checks
 * and the closed-store wrapper). On the results page these are two rows of their own
 * ({@link RefCountOperations#IMMORTAL_COST}, {@link RefCountOperations#MORTAL_COST}), one column per
 * ingredient. Run: {@code scripts/bench 'RefCountCostBenchmark' -f 2 -wi 3 -i 4}; it is part of the
 * suite, {@code scripts/bench refcount}.
 *
 * <p>State: one {@code Scope.Benchmark} instance per fork. The segments cover the mapping of
 * a frozen store opened copy-on-write (immortal object) and of an unfrozen store open as its
 * owner (mortal object, count 1); the shared arenas that made them are closed before the
 * stores, and both files are deleted at tear-down.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
// the store calls mmap and friends through FFM and runs from the class path
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx256m"})
@State(Scope.Benchmark)
@SuppressWarnings("restricted") // reinterpret: views of mappings the stores own, used only while they are open
public class RefCountCostBenchmark {
    /** Plain and atomic access to a long: (MemorySegment, long offset). */
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();

    private Path dir;
    private Store frozen;
    private Store owner;
    private Arena views;
    private long immortalOffset;
    private long mortalOffset;
    private MemorySegment frozenGlobal;
    private MemorySegment frozenShared;
    private MemorySegment ownerShared;
    private final AtomicLong counter = new AtomicLong(1);
    /** The shared-arena segments one reference further away, as a store holds its memory. */
    private Holder frozenHolder;
    private Holder ownerHolder;
    /** The protocol's code on the shared-arena segments, with no store around it. */
    private RefCounts frozenCounts;
    private RefCounts ownerCounts;

    /** A final field holding a segment: what a store adds in front of its memory. */
    private record Holder(MemorySegment memory) {
    }

    /** Creates the benchmarks' state; JMH calls {@link #setUp} before any benchmark runs. */
    public RefCountCostBenchmark() {
    }

    /**
     * Builds the two stores as {@link RefCountBenchmark} does and makes the segments over them.
     *
     * @throws IOException if the temporary folder cannot be created
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("permafrost-jmh-");
        Path frozenPath = dir.resolve("frozen.pf");
        try (Store building = Store.create(frozenPath, 1L << 20)) {
            immortalOffset = building.allocate(16);
            building.freeze();
        }
        frozen = Store.open(frozenPath, OpenMode.COPY_ON_WRITE);
        owner = Store.create(dir.resolve("mortal.pf"), 1L << 20);
        mortalOffset = owner.allocate(16);
        views = Arena.ofShared();
        frozenGlobal = MemorySegment.ofAddress(Mappings.address(frozen, immortalOffset)).reinterpret(frozen.mappedBytes());
        frozenShared = MemorySegment.ofAddress(Mappings.address(frozen, immortalOffset)).reinterpret(frozen.mappedBytes(), views, null);
        ownerShared = MemorySegment.ofAddress(Mappings.address(owner, mortalOffset)).reinterpret(owner.mappedBytes(), views, null);
        frozenHolder = new Holder(frozenShared);
        ownerHolder = new Holder(ownerShared);
        frozenCounts = new RefCounts(frozenShared, frozenPath, frozen, BlockStarts.map(frozen.mappedBytes(), frozenPath),
                String::valueOf);
        BlockStarts ownerStarts = BlockStarts.map(owner.mappedBytes(), dir.resolve("mortal.pf"));
        ownerStarts.addLiveBlocks(ownerShared, StoreFormat.HEAP_START_OFFSET, owner.stats().bumpOffset(), dir.resolve("mortal.pf"));
        ownerCounts = new RefCounts(ownerShared, dir.resolve("mortal.pf"), owner, ownerStarts, String::valueOf);
        if ((long) WORD.get(frozenShared, immortalOffset) >= 0 || (long) WORD.get(ownerShared, mortalOffset) != 1) {
            throw new IllegalStateException("the segments do not see the objects' count words");
        }
    }

    /** Closes the views, then both stores, and deletes their folder. */
    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (owner.refCount(mortalOffset) != 1) {
                throw new IllegalStateException("mortal count is " + owner.refCount(mortalOffset) + " after the trial, not 1");
            }
        } finally {
            views.close();
            frozen.close();
            owner.close();
            deleteTree(dir);
        }
    }

    /**
     * A plain read of the immortal count word through a global-scope segment, as
     * {@link RefCountBenchmark#headerRead}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the count word
     */
    @Benchmark
    @Threads(1)
    @Compared(operation = RefCountOperations.IMMORTAL_COST, subject = "read, global segment")
    public long headerReadGlobalSegment(ThreadCpu cpu) {
        return (long) WORD.get(frozenGlobal, immortalOffset);
    }

    /**
     * The same read through a shared-arena segment, the kind the store maps.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the count word
     */
    @Benchmark
    @Threads(1)
    @Compared(operation = RefCountOperations.IMMORTAL_COST, subject = "read, shared-arena segment")
    public long headerReadSharedSegment(ThreadCpu cpu) {
        return (long) WORD.get(frozenShared, immortalOffset);
    }

    /**
     * The protocol's immortal path twice (retain, release) on the shared-arena segment, with
     * no store: read, test the sign, return.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return whether both reads saw an immortal count
     */
    @Benchmark
    @Threads(1)
    @Compared(operation = RefCountOperations.IMMORTAL_COST, subject = "protocol, shared-arena segment")
    public boolean immortalProtocolSharedSegment(ThreadCpu cpu) {
        boolean retained = (long) WORD.get(frozenShared, immortalOffset) < 0;
        boolean released = (long) WORD.get(frozenShared, immortalOffset) < 0;
        return retained & released;
    }

    /**
     * The protocol on an {@link AtomicLong}: a plain read and a sign test before each of
     * {@code getAndIncrement} and {@code getAndDecrement}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the old value of the decrement
     */
    @Benchmark
    @Threads(1)
    @Compared(operation = RefCountOperations.MORTAL_COST, subject = "protocol on an AtomicLong")
    public long mortalProtocolAtomicLong(ThreadCpu cpu) {
        if (counter.getPlain() <= 0) {
            throw new IllegalStateException("immortal or free");
        }
        counter.getAndIncrement();
        if (counter.getPlain() <= 0) {
            throw new IllegalStateException("immortal or free");
        }
        return counter.getAndDecrement();
    }

    /**
     * {@code getAndAdd(+1)} then {@code getAndAdd(-1)} on the count word through the
     * shared-arena segment, with no plain read first.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the old value of the decrement
     */
    @Benchmark
    @Threads(1)
    @Compared(operation = RefCountOperations.MORTAL_COST, subject = "getAndAdd, shared-arena segment")
    public long atomicSharedSegment(ThreadCpu cpu) {
        WORD.getAndAdd(ownerShared, mortalOffset, 1L);
        return (long) WORD.getAndAdd(ownerShared, mortalOffset, -1L);
    }

    /**
     * The protocol on the shared-arena segment, with no store: a plain read and a sign test
     * before each {@code getAndAdd}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the old value of the decrement
     */
    @Benchmark
    @Threads(1)
    @Compared(operation = RefCountOperations.MORTAL_COST, subject = "protocol, shared-arena segment")
    public long mortalProtocolSharedSegment(ThreadCpu cpu) {
        if ((long) WORD.get(ownerShared, mortalOffset) <= 0) {
            throw new IllegalStateException("immortal or free");
        }
        WORD.getAndAdd(ownerShared, mortalOffset, 1L);
        if ((long) WORD.get(ownerShared, mortalOffset) <= 0) {
            throw new IllegalStateException("immortal or free");
        }
        return (long) WORD.getAndAdd(ownerShared, mortalOffset, -1L);
    }

    /**
     * {@link #immortalProtocolSharedSegment} with the segment read from a holder's final
     * field each time, as a store reads its own.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return whether both reads saw an immortal count
     */
    @Benchmark
    @Threads(1)
    @Compared(operation = RefCountOperations.IMMORTAL_COST, subject = "protocol, segment in a final field")
    public boolean immortalProtocolHeldSegment(ThreadCpu cpu) {
        boolean retained = (long) WORD.get(frozenHolder.memory(), immortalOffset) < 0;
        boolean released = (long) WORD.get(frozenHolder.memory(), immortalOffset) < 0;
        return retained & released;
    }

    /**
     * {@link #mortalProtocolSharedSegment} with the segment read from a holder's final field
     * each time, as a store reads its own (after each fence, again).
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the old value of the decrement
     */
    @Benchmark
    @Threads(1)
    @Compared(operation = RefCountOperations.MORTAL_COST, subject = "protocol, segment in a final field")
    public long mortalProtocolHeldSegment(ThreadCpu cpu) {
        if ((long) WORD.get(ownerHolder.memory(), mortalOffset) <= 0) {
            throw new IllegalStateException("immortal or free");
        }
        WORD.getAndAdd(ownerHolder.memory(), mortalOffset, 1L);
        if ((long) WORD.get(ownerHolder.memory(), mortalOffset) <= 0) {
            throw new IllegalStateException("immortal or free");
        }
        return (long) WORD.getAndAdd(ownerHolder.memory(), mortalOffset, -1L);
    }

    /**
     * {@code RefCounts.retain} then {@code release} on the immortal object, called directly with
     * the base and bound read from the {@code RefCounts} object each time (the store keeps them
     * in its own fields): the protocol's code without the store.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return whether the release dropped the last reference (never)
     */
    @Benchmark
    @Threads(1)
    @Compared(operation = RefCountOperations.IMMORTAL_COST, subject = "RefCounts, no store")
    public boolean immortalRefCounts(ThreadCpu cpu) {
        RefCounts.retain(frozenCounts.base(), frozenCounts.countLimit(), immortalOffset, frozenCounts);
        return RefCounts.release(frozenCounts.base(), frozenCounts.countLimit(), immortalOffset, frozenCounts);
    }

    /**
     * {@code RefCounts.retain} then {@code release} on the mortal object, called directly with
     * the base and bound read from the {@code RefCounts} object each time (the store keeps them
     * in its own fields): the protocol's code without the store.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return whether the release dropped the last reference (never: the owner holds one)
     */
    @Benchmark
    @Threads(1)
    @Compared(operation = RefCountOperations.MORTAL_COST, subject = "RefCounts, no store")
    public boolean mortalRefCounts(ThreadCpu cpu) {
        RefCounts.retain(ownerCounts.base(), ownerCounts.countLimit(), mortalOffset, ownerCounts);
        return RefCounts.release(ownerCounts.base(), ownerCounts.countLimit(), mortalOffset, ownerCounts);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
