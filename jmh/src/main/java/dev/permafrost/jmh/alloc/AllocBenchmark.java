package dev.permafrost.jmh.alloc;

import dev.permafrost.jmh.Compared;
import dev.permafrost.jmh.Report;
import dev.permafrost.jmh.ThreadCpu;
import dev.permafrost.store.OpenMode;
import dev.permafrost.store.Store;
import dev.permafrost.store.StoreStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@code alloc} suite: allocating an off-heap object of {@link #sizeBytes} bytes (16 B,
 * 256 B, 4 KiB, 64 KiB) and freeing it again, one thread, in Permafrost and in the peers (one
 * row, {@value #OPERATION}, per size):
 *
 * <ul>
 *   <li>Permafrost: {@link Store#allocate} then {@link Store#release} (the last reference: the
 *       object is freed and its block goes back on its free list, so every operation after the
 *       first reuses the same block and the store does not grow; tear-down checks that). The
 *       store is a frozen one, allocating in this process's private memory above the frozen
 *       boundary, as a worker does. A store open as its owner is not measured: there a freed
 *       block is reused only after the next {@link Store#commit} (crash safety: a commit must
 *       find the blocks it describes intact), so an allocate+free loop would grow the file
 *       until a commit.</li>
 *   <li>{@link Arena#ofConfined()} and {@link Arena#ofShared()}: a new arena, one
 *       {@code allocate}, {@code close}. Closing a shared arena waits for a handshake with every
 *       thread; that is its cost.</li>
 *   <li>{@link ByteBuffer#allocateDirect}: there is no free; the buffer's cleaner frees the
 *       memory after the garbage collector finds it unreachable, and an allocation that finds the
 *       direct-memory limit ({@code -XX:MaxDirectMemorySize}, by default the heap's size) reached
 *       runs a collection and waits for it. The score includes that.</li>
 *   <li>Netty's {@link PooledByteBufAllocator#DEFAULT}: {@code directBuffer(size)} then
 *       {@code release()}. Twice: with Netty's defaults, under which a thread that is not one of
 *       Netty's event-loop threads (a JMH thread) has no per-thread cache
 *       ({@code io.netty.allocator.useCacheForAllThreads=false}), and with that cache on for every
 *       thread, what an event-loop thread gets (sizes up to Netty's 32 KiB cache limit).</li>
 * </ul>
 *
 * Permafrost, the arenas and {@code allocateDirect} hand out zeroed memory; Netty's pool does not
 * zero. Scores are nanoseconds per allocate plus free.
 *
 * <p>Settings: Permafrost's forks get {@code --enable-native-access=ALL-UNNAMED} (the store
 * calls mmap through FFM from the class path), no {@code --add-opens}; the JDK's and Netty's
 * forks get no flag (Netty: its defaults on JDK 25, its recommended production settings, leak
 * detection {@code SIMPLE} and no {@code sun.misc.Unsafe}). Every fork gets {@code -Xmx256m}.
 *
 * <p>Run: {@code scripts/bench alloc} (the suite); this class: {@code scripts/bench AllocBenchmark};
 * one size: {@code scripts/bench AllocBenchmark -p sizeBytes=4096}.
 *
 * <p>State: one {@code Scope.Benchmark} instance per fork and size; each benchmark uses one
 * thread. The store lives in a temporary folder deleted at tear-down; only the Permafrost
 * benchmark creates it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = "-Xmx256m")
@Threads(1)
@State(Scope.Benchmark)
public class AllocBenchmark {
    /** The row of every benchmark here, one per {@link #sizeBytes}. */
    static final String OPERATION = "allocate+free";
    /** Capacity of the store; its private memory is the same. */
    private static final long STORE_BYTES = 16L << 20;

    /** Bytes of each object: its payload in Permafrost, the segment's or buffer's size elsewhere. */
    @Param({"16", "256", "4096", "65536"})
    public int sizeBytes;

    /** Made by JMH. */
    public AllocBenchmark() {
    }

    /**
     * A frozen store, allocating in private memory: Permafrost's state. Thread rules: one
     * instance per fork ({@code Scope.Benchmark}), one benchmark thread.
     */
    @State(Scope.Benchmark)
    public static class FrozenStore {
        private Path dir;
        Store store;
        private long usedBytesAfterFirst;

        /** Made by JMH. */
        public FrozenStore() {
        }

        /**
         * Creates and freezes an empty store, then allocates and frees one object of the size,
         * so the block every measured allocation reuses exists.
         *
         * @param benchmark the size
         * @throws IOException if the temporary folder cannot be created
         */
        @Setup(Level.Trial)
        public void setUp(AllocBenchmark benchmark) throws IOException {
            dir = Files.createTempDirectory("permafrost-jmh-alloc-");
            store = Store.create(dir.resolve("alloc.pf"), STORE_BYTES);
            store.freeze(); // from here on the store allocates in private memory, as a copy-on-write opener
            if (store.mode() != OpenMode.COPY_ON_WRITE) {
                throw new IllegalStateException("the frozen store is open " + store.mode() + ", not copy-on-write");
            }
            store.release(store.allocate(benchmark.sizeBytes));
            usedBytesAfterFirst = store.stats().usedBytes();
        }

        /**
         * Checks that nothing is left allocated and the store did not grow, then closes and
         * deletes it.
         *
         * @throws IOException if a file cannot be deleted
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            try {
                StoreStats stats = store.stats();
                if (stats.usedBytes() != usedBytesAfterFirst || stats.liveObjects() != 0) {
                    throw new IllegalStateException("the store grew from " + usedBytesAfterFirst + " to "
                            + stats.usedBytes() + " bytes used, " + stats.liveObjects() + " objects live");
                }
            } finally {
                store.close();
                Files.deleteIfExists(dir.resolve("alloc.pf"));
                Files.deleteIfExists(dir);
            }
        }
    }

    /**
     * {@link Store#allocate} of the size, then {@link Store#release}, which frees it.
     * Run: {@code scripts/bench 'AllocBenchmark.permafrostAllocateRelease$'}.
     *
     * @param frozen the store
     * @param cpu    this thread's CPU time, for {@link Report}
     * @return the object's offset, before it was freed
     */
    @Benchmark
    @Fork(jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx256m"})
    @Compared(operation = OPERATION, subject = Compared.PERMAFROST)
    public long permafrostAllocateRelease(FrozenStore frozen, ThreadCpu cpu) {
        long offset = frozen.store.allocate(sizeBytes);
        frozen.store.release(offset);
        return offset;
    }

    /**
     * A confined arena, one allocation, close.
     * Run: {@code scripts/bench 'AllocBenchmark.arenaConfinedAllocateClose$'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the segment's address, before it was freed
     */
    @Benchmark
    @Compared(operation = OPERATION, subject = "Arena.ofConfined")
    public long arenaConfinedAllocateClose(ThreadCpu cpu) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(sizeBytes);
            return segment.address();
        }
    }

    /**
     * A shared arena, one allocation, close.
     * Run: {@code scripts/bench 'AllocBenchmark.arenaSharedAllocateClose$'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the segment's address, before it was freed
     */
    @Benchmark
    @Compared(operation = OPERATION, subject = "Arena.ofShared")
    public long arenaSharedAllocateClose(ThreadCpu cpu) {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment segment = arena.allocate(sizeBytes);
            return segment.address();
        }
    }

    /**
     * {@link ByteBuffer#allocateDirect}; the garbage collector and the buffer's cleaner free it.
     * Run: {@code scripts/bench 'AllocBenchmark.byteBufferAllocateDirect$'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the buffer
     */
    @Benchmark
    @Compared(operation = OPERATION, subject = "ByteBuffer.allocateDirect")
    public ByteBuffer byteBufferAllocateDirect(ThreadCpu cpu) {
        return ByteBuffer.allocateDirect(sizeBytes);
    }

    /**
     * Netty's pooled allocator with its defaults: {@code directBuffer(size)}, {@code release()};
     * a JMH thread has no per-thread cache, so both go to a pool arena.
     * Run: {@code scripts/bench 'AllocBenchmark.nettyPooledDirectBufferRelease$'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return whether the release freed the buffer (always)
     */
    @Benchmark
    @Compared(operation = OPERATION, subject = "Netty PooledByteBufAllocator")
    public boolean nettyPooledDirectBufferRelease(ThreadCpu cpu) {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(sizeBytes);
        return buffer.release();
    }

    /**
     * {@link #nettyPooledDirectBufferRelease} with a per-thread cache for every thread
     * ({@code -Dio.netty.allocator.useCacheForAllThreads=true}), as Netty's event-loop threads have.
     * Run: {@code scripts/bench 'AllocBenchmark.nettyPooledThreadCacheDirectBufferRelease$'}.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return whether the release freed the buffer (always)
     */
    @Benchmark
    @Fork(jvmArgsAppend = {"-Xmx256m", "-Dio.netty.allocator.useCacheForAllThreads=true"})
    @Compared(operation = OPERATION, subject = "Netty PooledByteBufAllocator, thread cache")
    public boolean nettyPooledThreadCacheDirectBufferRelease(ThreadCpu cpu) {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(sizeBytes);
        return buffer.release();
    }
}
