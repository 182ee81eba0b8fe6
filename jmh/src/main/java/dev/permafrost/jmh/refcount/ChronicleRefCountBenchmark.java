package dev.permafrost.jmh.refcount;

import dev.permafrost.jmh.Compared;
import dev.permafrost.jmh.Report;
import dev.permafrost.jmh.ThreadCpu;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.io.ReferenceOwner;
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
 * Chronicle Bytes' reference counts, the {@code refcount} suite's peer of
 * {@link RefCountBenchmark} in its mortal rows: {@code reserve(owner)} then
 * {@code release(owner)} of a 16-byte {@link Bytes#allocateDirect direct Bytes} (count 1, its
 * initial reference, held for the whole trial). One thread, two threads on the same
 * {@code Bytes}, and two threads on one each. Rows and warm-up are {@link RefCountBenchmark}'s;
 * scores are nanoseconds per reserve plus release per thread. Chronicle has no object that is
 * never freed, so it has no immortal column.
 *
 * <p>Settings: Chronicle's defaults (resource tracing off, as it is without
 * {@code -Djvm.resource.tracing}; no assertions), analytics off
 * ({@code -Dchronicle.analytics.disable=true}: no network from a benchmark), and the flags
 * Chronicle documents for Java 17 and later, which it needs on JDK 25: the
 * {@code --add-exports}/{@code --add-opens} below and {@code --sun-misc-unsafe-memory-access=allow}
 * (it works through {@code sun.misc.Unsafe}). The same flags as Chronicle Map's forks in
 * {@code CacheBenchmark}. The shared {@code Bytes} has its single-threaded check disabled, as
 * Chronicle asks of an object that more than one thread uses.
 *
 * <p>Run: {@code scripts/bench refcount} (the suite), or this class alone:
 * {@code scripts/bench ChronicleRefCountBenchmark}.
 *
 * <p>State: the shared {@code Bytes} is {@code Scope.Benchmark}, one per fork; the separate ones
 * {@link OwnBytes}, {@code Scope.Thread}, each allocated by its own thread. Tear-down checks
 * that every reserve was released, then releases the last reference.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 5, jvmArgsAppend = {
    "-Xmx256m", "--sun-misc-unsafe-memory-access=allow", "-Dchronicle.analytics.disable=true",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED", "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class ChronicleRefCountBenchmark {
    /** Bytes of each {@code Bytes}: the refcount suite's objects are 16 bytes. */
    static final int BYTES = 16;

    private Bytes<Void> bytes;
    private ReferenceOwner owner;

    /** Made by JMH. */
    public ChronicleRefCountBenchmark() {
    }

    /** Allocates the shared {@code Bytes} (count 1) and the owner that reserves it. */
    @Setup(Level.Trial)
    public void setUp() {
        bytes = Bytes.allocateDirect(BYTES);
        bytes.singleThreadedCheckDisabled(true);
        owner = ReferenceOwner.temporary("ChronicleRefCountBenchmark");
    }

    /** Checks that the count is back at 1 and releases the last reference. */
    @TearDown(Level.Trial)
    public void tearDown() {
        checkAndFree(bytes);
    }

    /**
     * One thread's own {@code Bytes}, for the separate-object variant. Thread rules: one
     * instance per benchmark thread, allocated by that thread.
     */
    @State(Scope.Thread)
    public static class OwnBytes {
        Bytes<Void> bytes;
        ReferenceOwner owner;

        /** Made by JMH, one per thread. */
        public OwnBytes() {
        }

        /** Allocates this thread's {@code Bytes} (count 1) and its owner. */
        @Setup(Level.Trial)
        public void setUp() {
            bytes = Bytes.allocateDirect(BYTES);
            owner = ReferenceOwner.temporary("ChronicleRefCountBenchmark.OwnBytes");
        }

        /** Checks that the count is back at 1 and releases the last reference. */
        @TearDown(Level.Trial)
        public void tearDown() {
            checkAndFree(bytes);
        }
    }

    private static void checkAndFree(Bytes<Void> bytes) {
        if (bytes.refCount() != 1) {
            throw new IllegalStateException("Chronicle count after the trial is " + bytes.refCount() + ", not 1");
        }
        bytes.releaseLast();
    }

    /**
     * {@code reserve(owner)} then {@code release(owner)}. One thread.
     * Run: {@code scripts/bench 'ChronicleRefCountBenchmark.chronicleReserveRelease$'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     */
    @Benchmark
    @Threads(1)
    @Compared(operation = RefCountOperations.MORTAL_ONE_OBJECT, subject = RefCountOperations.CHRONICLE_BYTES)
    public void chronicleReserveRelease(ThreadCpu cpu) {
        bytes.reserve(owner);
        bytes.release(owner);
    }

    /**
     * {@link #chronicleReserveRelease} with two threads on the same {@code Bytes}.
     * Run: {@code scripts/bench 'ChronicleRefCountBenchmark.chronicleReserveReleaseTwoThreads$'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     */
    @Benchmark
    @Threads(2)
    @Compared(operation = RefCountOperations.MORTAL_ONE_OBJECT, subject = RefCountOperations.CHRONICLE_BYTES)
    public void chronicleReserveReleaseTwoThreads(ThreadCpu cpu) {
        bytes.reserve(owner);
        bytes.release(owner);
    }

    /**
     * {@link #chronicleReserveRelease} with two threads, each on a {@code Bytes} of its own.
     * Run: {@code scripts/bench 'ChronicleRefCountBenchmark.chronicleReserveReleaseTwoThreadsSeparateObjects'}.
     *
     * @param own this thread's {@code Bytes}
     * @param cpu this thread's CPU time, for {@link Report}
     */
    @Benchmark
    @Threads(2)
    @Compared(operation = RefCountOperations.MORTAL_OBJECT_PER_THREAD, subject = RefCountOperations.CHRONICLE_BYTES)
    public void chronicleReserveReleaseTwoThreadsSeparateObjects(OwnBytes own, ThreadCpu cpu) {
        own.bytes.reserve(own.owner);
        own.bytes.release(own.owner);
    }
}
