package dev.permafrost.jmh.refcount;

import dev.permafrost.jmh.Compared;
import dev.permafrost.jmh.Report;
import dev.permafrost.jmh.ThreadCpu;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeUnit;
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
 * Netty's reference counts, the {@code refcount} suite's peer of {@link RefCountBenchmark}:
 * {@code retain()} then {@code release()} of an unpooled direct {@link ByteBuf} (count 1, held
 * by the state for the whole trial) in the mortal rows, and of an
 * {@link Unpooled#unreleasableBuffer} around one, whose retain and release change nothing, in
 * the immortal rows: Netty's nearest thing to an object that is never freed. Each with one
 * thread, two threads on the same buffer, and two threads on a buffer each. Rows and warm-up
 * are {@link RefCountBenchmark}'s; scores are nanoseconds per retain plus release per thread.
 *
 * <p>Settings: Netty's defaults on JDK 25, which are its recommended production settings:
 * leak detection at its default level ({@code SIMPLE}, which samples allocations and adds
 * nothing to retain or release), and no {@code sun.misc.Unsafe} (Netty 4.2 sets
 * {@code io.netty.noUnsafe=true} by default on Java 25 and later). Its forks get only
 * {@code -Xmx256m}: Netty needs no flag on JDK 25.
 *
 * <p>Run: {@code scripts/bench refcount} (the suite), or this class alone:
 * {@code scripts/bench NettyRefCountBenchmark}.
 *
 * <p>State: the shared buffers are {@code Scope.Benchmark}, one per fork; the separate ones
 * {@link OwnBuffers}, {@code Scope.Thread}, each allocated by its own thread. Tear-down checks
 * that every retain was released, then releases the buffers.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 5, jvmArgsAppend = "-Xmx256m")
@State(Scope.Benchmark)
public class NettyRefCountBenchmark {
    /** Bytes of each buffer: the refcount suite's objects are 16 bytes. */
    static final int BUFFER_BYTES = 16;

    private ByteBuf counted;
    private ByteBuf unreleasable;

    /** Made by JMH. */
    public NettyRefCountBenchmark() {
    }

    /** Allocates the shared buffers, each with a count of 1. */
    @Setup(Level.Trial)
    public void setUp() {
        counted = Unpooled.directBuffer(BUFFER_BYTES);
        unreleasable = Unpooled.unreleasableBuffer(Unpooled.directBuffer(BUFFER_BYTES));
    }

    /** Checks that the counts are back at 1 and frees the buffers. */
    @TearDown(Level.Trial)
    public void tearDown() {
        checkAndFree(counted, unreleasable);
    }

    /**
     * One thread's own buffers, for the separate-object variants. Thread rules: one instance per
     * benchmark thread, allocated by that thread.
     */
    @State(Scope.Thread)
    public static class OwnBuffers {
        ByteBuf counted;
        ByteBuf unreleasable;

        /** Made by JMH, one per thread. */
        public OwnBuffers() {
        }

        /** Allocates this thread's buffers, each with a count of 1. */
        @Setup(Level.Trial)
        public void setUp() {
            counted = Unpooled.directBuffer(BUFFER_BYTES);
            unreleasable = Unpooled.unreleasableBuffer(Unpooled.directBuffer(BUFFER_BYTES));
        }

        /** Checks that the counts are back at 1 and frees the buffers. */
        @TearDown(Level.Trial)
        public void tearDown() {
            checkAndFree(counted, unreleasable);
        }
    }

    private static void checkAndFree(ByteBuf counted, ByteBuf unreleasable) {
        if (counted.refCnt() != 1 || unreleasable.refCnt() != 1) {
            throw new IllegalStateException("Netty counts after the trial are " + counted.refCnt() + " and "
                    + unreleasable.refCnt() + ", not 1");
        }
        counted.release();
        unreleasable.unwrap().release();
    }

    /**
     * {@code retain()} then {@code release()} of an unpooled direct buffer: two atomic updates
     * of its count. One thread. Run: {@code scripts/bench 'NettyRefCountBenchmark.nettyRetainRelease$'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return whether the release freed the buffer (never: the state holds a reference)
     */
    @Benchmark
    @Threads(1)
    @Compared(operation = RefCountOperations.MORTAL_ONE_OBJECT, subject = RefCountOperations.NETTY)
    public boolean nettyRetainRelease(ThreadCpu cpu) {
        return counted.retain().release();
    }

    /**
     * {@link #nettyRetainRelease} with two threads on the same buffer.
     * Run: {@code scripts/bench 'NettyRefCountBenchmark.nettyRetainReleaseTwoThreads$'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return whether the release freed the buffer (never)
     */
    @Benchmark
    @Threads(2)
    @Compared(operation = RefCountOperations.MORTAL_ONE_OBJECT, subject = RefCountOperations.NETTY)
    public boolean nettyRetainReleaseTwoThreads(ThreadCpu cpu) {
        return counted.retain().release();
    }

    /**
     * {@link #nettyRetainRelease} with two threads, each on a buffer of its own.
     * Run: {@code scripts/bench 'NettyRefCountBenchmark.nettyRetainReleaseTwoThreadsSeparateObjects'}.
     *
     * @param own this thread's buffers
     * @param cpu this thread's CPU time, for {@link Report}
     * @return whether the release freed the buffer (never)
     */
    @Benchmark
    @Threads(2)
    @Compared(operation = RefCountOperations.MORTAL_OBJECT_PER_THREAD, subject = RefCountOperations.NETTY)
    public boolean nettyRetainReleaseTwoThreadsSeparateObjects(OwnBuffers own, ThreadCpu cpu) {
        return own.counted.retain().release();
    }

    /**
     * {@code retain()} then {@code release()} of an {@link Unpooled#unreleasableBuffer}: both
     * return at once, nothing is read or written. One thread.
     * Run: {@code scripts/bench 'NettyRefCountBenchmark.nettyUnreleasableRetainRelease$'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return whether the release freed the buffer (never)
     */
    @Benchmark
    @Threads(1)
    @Compared(operation = RefCountOperations.IMMORTAL_ONE_OBJECT, subject = RefCountOperations.NETTY_UNRELEASABLE)
    public boolean nettyUnreleasableRetainRelease(ThreadCpu cpu) {
        return unreleasable.retain().release();
    }

    /**
     * {@link #nettyUnreleasableRetainRelease} with two threads on the same buffer.
     * Run: {@code scripts/bench 'NettyRefCountBenchmark.nettyUnreleasableRetainReleaseTwoThreads$'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return whether the release freed the buffer (never)
     */
    @Benchmark
    @Threads(2)
    @Compared(operation = RefCountOperations.IMMORTAL_ONE_OBJECT, subject = RefCountOperations.NETTY_UNRELEASABLE)
    public boolean nettyUnreleasableRetainReleaseTwoThreads(ThreadCpu cpu) {
        return unreleasable.retain().release();
    }

    /**
     * {@link #nettyUnreleasableRetainRelease} with two threads, each on a buffer of its own.
     * Run: {@code scripts/bench 'NettyRefCountBenchmark.nettyUnreleasableRetainReleaseTwoThreadsSeparateObjects'}.
     *
     * @param own this thread's buffers
     * @param cpu this thread's CPU time, for {@link Report}
     * @return whether the release freed the buffer (never)
     */
    @Benchmark
    @Threads(2)
    @Compared(operation = RefCountOperations.IMMORTAL_OBJECT_PER_THREAD, subject = RefCountOperations.NETTY_UNRELEASABLE)
    public boolean nettyUnreleasableRetainReleaseTwoThreadsSeparateObjects(OwnBuffers own, ThreadCpu cpu) {
        return own.unreleasable.retain().release();
    }
}
