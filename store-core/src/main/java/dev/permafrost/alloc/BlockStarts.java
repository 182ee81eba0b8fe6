package dev.permafrost.alloc;

import dev.permafrost.error.StoreAccessException;
import dev.permafrost.file.RawMemory;
import dev.permafrost.layout.HeapWalker;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.os.Posix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.file.Path;

/**
 * Where this process's allocator has live mortal blocks: one bit per 16 bytes of the mapping,
 * set when a block is handed out, cleared when it is freed. The mortal path of the reference
 * counts tests it before its atomic, so a {@code retain} or {@code release} of an offset that
 * no allocation returned (a payload word inside a live object that looks like a count, a
 * damaged reference) is refused and writes nothing, and a block is freed only from its start.
 *
 * <pre>
 *   bit (offset &gt;&gt;&gt; 4) of the bitmap  ==  a live block of this process's allocator heads offset
 *   word address = address + ((offset &gt;&gt;&gt; 10) &lt;&lt; 3),  bit = (offset &gt;&gt;&gt; 4) &amp; 63
 * </pre>
 *
 * <p>The bitmap is anonymous memory outside the file, mapped {@code MAP_NORESERVE} over the
 * whole mapping (1/128 of its size, reserved, not committed): a page of it costs memory only
 * once an object lives in the 512 KiB of heap it covers. It is per process, which is enough:
 * only the owner (exclusive) and a copy-on-write opener (private memory) have mortal objects, and
 * only their own allocators make them. Immortal objects are never here: the immortal path does
 * not read it. It is read by address, like the count words ({@link RawMemory#EVERYWHERE}), and
 * unmapped only when this object is unreachable ({@link Cleaner}), so a reader that keeps it
 * reachable across its read never faults.
 *
 * <p>Thread rules: bits are set and cleared with atomic bitwise operations (blocks of one word
 * may belong to different threads' allocations); {@link #isStart} is a plain read, which sees
 * a block's bit because the offset reached the reader after the allocation that set it.
 */
public final class BlockStarts {
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();
    private static final Cleaner UNMAPPER = Cleaner.create();
    /** A bit stands for 2^4 = 16 bytes, the object alignment; a 64-bit word for 1 KiB. */
    private static final int GRANULE_LOG2 = 4;
    private static final int WORD_COVERS_LOG2 = GRANULE_LOG2 + 6;
    /** How far below an offset {@link #startAtOrBelow} looks, for messages: 1 GiB of heap (8 MiB of bitmap). */
    private static final long SCAN_LIMIT_BYTES = 1L << 30;

    /** Address of the bitmap's first word (the bits of offsets 0 to 1023). */
    private final long address;
    /** Bytes of heap covered: offsets below this have a bit. */
    private final long coveredBytes;

    private BlockStarts(long address, long coveredBytes) {
        this.address = address;
        this.coveredBytes = coveredBytes;
    }

    /**
     * Maps an empty bitmap over a mapping.
     *
     * @param mappedBytes bytes of the mapping, from offset 0 of the file
     * @param file        the store file, for messages
     * @return the bitmap, all bits clear
     * @throws StoreAccessException if the system refuses the memory
     */
    public static BlockStarts map(long mappedBytes, Path file) {
        long bytes = StoreFormat.alignToPage(((mappedBytes + (1L << WORD_COVERS_LOG2) - 1) >>> WORD_COVERS_LOG2) * Long.BYTES);
        long address;
        try {
            address = Posix.mmap(0, bytes, Posix.PROT_READ | Posix.PROT_WRITE,
                    Posix.MAP_PRIVATE | Posix.MAP_ANONYMOUS | Posix.MAP_NORESERVE, -1, 0);
        } catch (Posix.PosixException e) {
            throw new StoreAccessException(file, dev.permafrost.error.PermafrostException.NO_OFFSET,
                    "cannot map the " + bytes + "-byte index of block starts: " + e.getMessage(), e);
        }
        BlockStarts starts = new BlockStarts(address, mappedBytes);
        UNMAPPER.register(starts, () -> {
            try {
                Posix.munmap(address, bytes);
            } catch (Posix.PosixException e) { // nothing to report to: the range stays mapped
            }
        });
        return starts;
    }

    /**
     * Whether a live block of this process's allocator starts at the offset. The hot path of
     * the mortal reference counts: one plain read.
     *
     * @param objectOffset a 16-aligned offset below the mapping's size, checked by the caller
     * @return whether a live block starts there
     */
    public boolean isStart(long objectOffset) {
        try {
            long word = (long) WORD.get(RawMemory.EVERYWHERE, address + ((objectOffset >>> WORD_COVERS_LOG2) << 3));
            return ((word >>> (int) (objectOffset >>> GRANULE_LOG2)) & 1) != 0; // the shift takes its low 6 bits
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Marks a block live: the allocator, before it publishes the block.
     *
     * @param objectOffset the block's offset
     */
    void add(long objectOffset) {
        try {
            WORD.getAndBitwiseOr(RawMemory.EVERYWHERE, wordAddress(objectOffset), 1L << (objectOffset >>> GRANULE_LOG2));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Marks a block no longer live: the allocator, when it frees it.
     *
     * @param objectOffset the block's offset
     * @return whether it was marked live
     */
    boolean remove(long objectOffset) {
        try {
            long bit = 1L << (objectOffset >>> GRANULE_LOG2);
            return ((long) WORD.getAndBitwiseAnd(RawMemory.EVERYWHERE, wordAddress(objectOffset), ~bit) & bit) != 0;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Marks every block of an existing heap that is not free: a store opened with objects in it.
     *
     * @param heap        the store's memory, from offset 0 of the file
     * @param startOffset the first block
     * @param endOffset   the bump offset
     * @param file        the store file, for messages
     * @throws dev.permafrost.error.CorruptStoreException at the first header that does not describe a block
     */
    public void addLiveBlocks(MemorySegment heap, long startOffset, long endOffset, Path file) {
        HeapWalker.walk(heap, startOffset, endOffset, file, (offset, count, meta, blockBytes) -> {
            if (count != ObjectHeaderDescriptor.FREE_COUNT) {
                add(offset);
            }
            return true;
        });
    }

    /**
     * The nearest live block start at or below an offset, for messages: the object an offset
     * that heads none may be inside. Looks at most 1 GiB down, and not below {@code floorOffset}.
     *
     * @param objectOffset where to start looking, below the mapping's size
     * @param floorOffset  the lowest offset to consider
     * @return the block's offset, or -1 if there is none in range
     */
    public long startAtOrBelow(long objectOffset, long floorOffset) {
        try {
            long floor = Math.max(Math.max(floorOffset, 0), objectOffset - SCAN_LIMIT_BYTES);
            long offset = Math.min(objectOffset, coveredBytes - 1) & ~((1L << GRANULE_LOG2) - 1);
            while (offset >= floor) {
                long word = (long) WORD.get(RawMemory.EVERYWHERE, wordAddress(offset));
                int bit = (int) ((offset >>> GRANULE_LOG2) & 63);
                long below = word & (-1L >>> (63 - bit)); // bits 0..bit
                if (below != 0) {
                    long found = (offset & ~((1L << WORD_COVERS_LOG2) - 1)) + ((63L - Long.numberOfLeadingZeros(below)) << GRANULE_LOG2);
                    return found >= floor ? found : -1;
                }
                offset = (offset & ~((1L << WORD_COVERS_LOG2) - 1)) - (1L << GRANULE_LOG2);
            }
            return -1;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    private long wordAddress(long objectOffset) {
        return address + ((objectOffset >>> WORD_COVERS_LOG2) << 3);
    }
}
