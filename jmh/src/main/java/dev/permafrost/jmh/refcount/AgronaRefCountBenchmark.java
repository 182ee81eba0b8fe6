package dev.permafrost.jmh.refcount;

import dev.permafrost.jmh.Compared;
import dev.permafrost.jmh.Report;
import dev.permafrost.jmh.ThreadCpu;
import java.util.concurrent.TimeUnit;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
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
 * Agrona's atomic off-heap counter, the {@code refcount} suite's peer of {@link RefCountBenchmark}
 * in its mortal rows: {@link AtomicBuffer#getAndAddLong} of +1 then of -1 on a long at offset 0
 * of a direct buffer (starting at 1), the bare atomics a hand-rolled off-heap count would use,
 * with no check of the count. One thread, two threads on the same long, and two threads on one
 * each. Rows and warm-up are {@link RefCountBenchmark}'s; scores are nanoseconds per pair of
 * adds per thread.
 *
 * <p>Settings: Agrona's defaults (bounds checks on: {@code agrona.disable.bounds.checks} is not
 * set, as Permafrost checks its bounds too) and the flags Agrona 2 needs on JDK 25:
 * {@code --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED} (without it the first use fails
 * with {@code IllegalAccessError: class org.agrona.UnsafeApi ... cannot access class
 * jdk.internal.misc.Unsafe}) and {@code -Xmx256m}.
 *
 * <p>Run: {@code scripts/bench refcount} (the suite), or this class alone:
 * {@code scripts/bench AgronaRefCountBenchmark}.
 *
 * <p>State: the shared buffer is {@code Scope.Benchmark}, one per fork; the separate ones
 * {@link OwnBuffer}, {@code Scope.Thread}. Each buffer is {@value #BUFFER_BYTES} bytes aligned to
 * 64, so its counter has a cache line to itself. Tear-down checks that the counters are back at 1.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 5, jvmArgsAppend = {"-Xmx256m", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class AgronaRefCountBenchmark {
    /** Bytes of each buffer: two cache lines, the counter at the start of the first. */
    static final int BUFFER_BYTES = 128;
    private static final int COUNTER_OFFSET = 0;

    private AtomicBuffer buffer;

    /** Made by JMH. */
    public AgronaRefCountBenchmark() {
    }

    /** Allocates the shared buffer and sets its counter to 1. */
    @Setup(Level.Trial)
    public void setUp() {
        buffer = newCounter();
    }

    /** Checks that the counter is back at 1. */
    @TearDown(Level.Trial)
    public void tearDown() {
        check(buffer);
    }

    /** One thread's own buffer, for the separate-object variant. Thread rules: one instance per benchmark thread. */
    @State(Scope.Thread)
    public static class OwnBuffer {
        AtomicBuffer buffer;

        /** Made by JMH, one per thread. */
        public OwnBuffer() {
        }

        /** Allocates this thread's buffer and sets its counter to 1. */
        @Setup(Level.Trial)
        public void setUp() {
            buffer = newCounter();
        }

        /** Checks that the counter is back at 1. */
        @TearDown(Level.Trial)
        public void tearDown() {
            check(buffer);
        }
    }

    private static AtomicBuffer newCounter() {
        AtomicBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(BUFFER_BYTES, 64));
        buffer.putLongVolatile(COUNTER_OFFSET, 1);
        return buffer;
    }

    private static void check(AtomicBuffer buffer) {
        long count = buffer.getLongVolatile(COUNTER_OFFSET);
        if (count != 1) {
            throw new IllegalStateException("Agrona counter after the trial is " + count + ", not 1");
        }
    }

    /**
     * {@code getAndAddLong(+1)} then {@code getAndAddLong(-1)}. One thread.
     * Run: {@code scripts/bench 'AgronaRefCountBenchmark.agronaGetAndAdd$'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the value before the second add
     */
    @Benchmark
    @Threads(1)
    @Compared(operation = RefCountOperations.MORTAL_ONE_OBJECT, subject = RefCountOperations.AGRONA)
    public long agronaGetAndAdd(ThreadCpu cpu) {
        buffer.getAndAddLong(COUNTER_OFFSET, 1);
        return buffer.getAndAddLong(COUNTER_OFFSET, -1);
    }

    /**
     * {@link #agronaGetAndAdd} with two threads on the same long.
     * Run: {@code scripts/bench 'AgronaRefCountBenchmark.agronaGetAndAddTwoThreads$'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the value before the second add
     */
    @Benchmark
    @Threads(2)
    @Compared(operation = RefCountOperations.MORTAL_ONE_OBJECT, subject = RefCountOperations.AGRONA)
    public long agronaGetAndAddTwoThreads(ThreadCpu cpu) {
        buffer.getAndAddLong(COUNTER_OFFSET, 1);
        return buffer.getAndAddLong(COUNTER_OFFSET, -1);
    }

    /**
     * {@link #agronaGetAndAdd} with two threads, each on a buffer of its own.
     * Run: {@code scripts/bench 'AgronaRefCountBenchmark.agronaGetAndAddTwoThreadsSeparateObjects'}.
     *
     * @param own this thread's buffer
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the value before the second add
     */
    @Benchmark
    @Threads(2)
    @Compared(operation = RefCountOperations.MORTAL_OBJECT_PER_THREAD, subject = RefCountOperations.AGRONA)
    public long agronaGetAndAddTwoThreadsSeparateObjects(OwnBuffer own, ThreadCpu cpu) {
        own.buffer.getAndAddLong(COUNTER_OFFSET, 1);
        return own.buffer.getAndAddLong(COUNTER_OFFSET, -1);
    }
}
