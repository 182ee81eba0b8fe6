package dev.permafrost.alloc;

import static dev.permafrost.layout.StoreFormat.LONG;

import dev.permafrost.error.ReferenceCountException;
import dev.permafrost.error.StoreFullException;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.SizeClasses;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.TypeIds;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Segregated-fit allocator over the heap of one mapping: a free list per
 * {@linkplain SizeClasses size class}, and a bump offset into never-used space.
 *
 * <p>An allocation takes a block of its exact class from the free list; failing that, fresh
 * space at the bump offset; failing that (the mapping is used up), it splits the smallest free
 * block of a larger class. Blocks of {@link SizeClasses#LARGE_BLOCK_BYTES} and more start on a
 * page boundary (the gap before them becomes free blocks of smaller classes), so a large
 * object never shares a page with small ones and, once freed, is reused whole by the next
 * large object of its class. Invariant: every free block of a large class that this allocator
 * puts on a list is page-aligned. The bump offset is rounded up to a page for a large block,
 * and a carved range (a gap, or the rest of a split) is cut into small blocks up to a page
 * boundary before any large one. A large class's sizes are multiples of the page, so a large
 * block cut from a page boundary ends on one. A misaligned large free block on a list that an
 * older build wrote is cut up the same way when an allocation pops it, never handed out.
 *
 * <p><b>Commits are snapshots</b> ({@code docs/FORMAT.md}, "What a commit publishes"): a block
 * freed after a commit is not put on a free list at once but kept, untouched, on a pending list
 * on the Java heap, and becomes reusable only once the next commit is durable
 * ({@link #committed}). So a block that the newest commit describes as live keeps its bytes
 * (all but the count word) until a commit that no longer describes it is durable: recovery to
 * the newest commit finds what it describes intact. Blocks free at a commit are reused at once
 * (the commit describes them as free).
 *
 * <p>State: the bump offset, the free-list heads and the statistics live on the Java heap;
 * the owner copies them into a commit slot when it commits ({@link #snapshot}). A private
 * (copy-on-write) opener starts from the committed state of the file and never writes it
 * back, so allocating copies no allocator page of the file.
 *
 * <p>Thread rules: thread-safe; one lock guards the state. The payload and count of a block
 * being handed out are written outside the lock, by the allocating thread, which owns the
 * block; {@link #whileStopped} waits until no block is in that state.
 */
public final class Allocator {
    /** Reserves disk space ahead of the bump offset; throws {@link StoreFullException} when there is none. */
    @FunctionalInterface
    public interface SpaceReserver {
        /** Reserves nothing: the memory is anonymous, or the mapping is read-only. */
        SpaceReserver NONE = (from, to) -> { };

        /**
         * Reserves the range.
         *
         * @param fromOffset bytes from the start of the file, page-aligned
         * @param toOffset   end of the range, page-aligned
         * @throws StoreFullException if the disk has no room for it
         */
        void reserve(long fromOffset, long toOffset);
    }

    /**
     * The allocator's state at one instant, as a commit slot stores it.
     *
     * @param bumpOffset  end of the used heap
     * @param freeHeads   free-list heads per class
     * @param liveObjects count of live objects
     * @param liveBytes   block bytes of live objects
     * @param freeBytes   block bytes on free lists
     * @param wastedBytes block bytes neither live nor reusable
     */
    public record Snapshot(long bumpOffset, long[] freeHeads, long liveObjects, long liveBytes, long freeBytes,
                           long wastedBytes) {
    }

    /** The first class whose blocks start on a page boundary. */
    private static final int FIRST_LARGE_CLASS = SizeClasses.classOf(SizeClasses.LARGE_BLOCK_BYTES);
    private static final long MIN_RESERVE_BYTES = 1L << 20;
    private static final long MAX_RESERVE_BYTES = 64L << 20;

    private final MemorySegment heap;
    private final Path file;
    /** Marks the blocks this allocator hands out, until they are freed. */
    private final BlockStarts starts;
    /** The count word of a block, for publishing it: (MemorySegment, long offset). */
    private static final VarHandle COUNT = ValueLayout.JAVA_LONG.varHandle();

    private final ReentrantLock lock = new ReentrantLock();
    /** Blocks handed out under the lock and not yet published (payload zeroed, count set to 1). */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final long[] freeHeads = new long[SizeClasses.COUNT];
    private final long[] nonEmptyClasses = new long[(SizeClasses.COUNT + 63) / 64];
    private final long limitOffset;
    private final SpaceReserver reserver;
    /** Set once, under the lock, when a freeze retires this allocator; read under the lock. */
    private Allocator successor;
    private long bumpOffset;
    private long reservedOffset;
    private long liveObjects;
    private long liveBytes;
    private long freeBytes;
    private long wastedBytes;
    /** Blocks freed since the last commit: reusable once the next commit is durable. */
    private final Pending freedSinceCommit = new Pending();
    /** Whether freed blocks wait for the next commit ({@link #freedSinceCommit}) or are reused at once. */
    private final boolean reuseAfterCommit;

    /**
     * Starts an allocator over one mapping.
     *
     * @param heap          the store's memory, from offset 0 of the file
     * @param file          the store file, for messages
     * @param start         state to start from: the committed one, or an empty heap
     * @param limitOffset   end of the memory allocations may use
     * @param reserver      reserves disk space ahead of the bump offset
     * @param starts        where live blocks start: marked at allocation, cleared at free; the
     *                      caller marks the live blocks below {@code start}'s bump offset
     */
    public Allocator(MemorySegment heap, Path file, Snapshot start, long limitOffset, SpaceReserver reserver,
                     BlockStarts starts) {
        this(heap, file, start, limitOffset, reserver, starts, false);
    }

    /**
     * Starts an allocator over one mapping, choosing when freed blocks are reused.
     *
     * @param heap             the store's memory, from offset 0 of the file
     * @param file             the store file, for messages
     * @param start            state to start from: the committed one, or an empty heap
     * @param limitOffset      end of the memory allocations may use
     * @param reserver         reserves disk space ahead of the bump offset
     * @param starts           where live blocks start: marked at allocation, cleared at free; the
     *                         caller marks the live blocks below {@code start}'s bump offset
     * @param reuseAfterCommit {@code true} for the owner of a file that commits: a freed block is
     *                         reused only after the next commit (see the class comment);
     *                         {@code false} for memory no commit describes (private memory): at once
     */
    public Allocator(MemorySegment heap, Path file, Snapshot start, long limitOffset, SpaceReserver reserver,
                     BlockStarts starts, boolean reuseAfterCommit) {
        this.reuseAfterCommit = reuseAfterCommit;
        this.starts = starts;
        this.heap = heap;
        this.file = file;
        this.limitOffset = limitOffset;
        this.reserver = reserver;
        this.bumpOffset = start.bumpOffset();
        this.reservedOffset = StoreFormat.alignToPage(start.bumpOffset());
        this.liveObjects = start.liveObjects();
        this.liveBytes = start.liveBytes();
        this.freeBytes = start.freeBytes();
        this.wastedBytes = start.wastedBytes();
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            freeHeads[c] = start.freeHeads()[c];
            if (freeHeads[c] != 0) {
                nonEmptyClasses[c >>> 6] |= 1L << c;
            }
        }
    }

    /**
     * Allocates a block, writes its meta word, zeroes its payload and publishes it with a count
     * of 1 (a release store, so a thread that sees the count sees the header and the zeros).
     * Until it is published the block is in flight: {@link #whileStopped} waits for it, so a
     * freeze or commit never sees a block handed out but still at count 0.
     *
     * @param typeId       the object's type id, validated by the caller
     * @param payloadBytes payload length, validated by the caller
     * @return the object's offset, bytes from the start of the file
     * @throws StoreFullException if no block of the size is free and the mapping or disk is full
     */
    public long allocate(int typeId, long payloadBytes) {
        int sizeClass = SizeClasses.classOf(ObjectHeaderDescriptor.LENGTH + payloadBytes);
        long blockBytes = SizeClasses.sizeOf(sizeClass);
        long block = 0;
        boolean reused = false;
        Allocator next;
        lock.lock();
        try {
            next = successor;
            if (next == null) {
                block = sizeClass < FIRST_LARGE_CLASS ? pop(sizeClass) : popPageAligned(sizeClass);
                reused = block != 0;
                StoreFullException diskFull = null;
                if (!reused) {
                    try {
                        block = bump(blockBytes);
                    } catch (StoreFullException e) { // the disk is full: a larger free block may still serve
                        diskFull = e;
                    }
                }
                if (block == 0) {
                    block = split(sizeClass, blockBytes);
                    reused = block != 0;
                }
                if (block == 0) {
                    if (diskFull != null) {
                        throw diskFull;
                    }
                    throw new StoreFullException(file, bumpOffset, "no room for an object of " + payloadBytes
                            + " bytes (a block of " + blockBytes + "): " + (limitOffset - bumpOffset)
                            + " bytes left above the bump offset, no free block of its size or larger"
                            + (freedSinceCommit.totalBytes == 0 ? "" : "; " + freedSinceCommit.totalBytes
                            + " bytes freed since the last commit become reusable when the store commits"));
                }
                liveObjects++;
                liveBytes += blockBytes;
                inFlight.getAndIncrement();
                // under the lock, so that a heap walk (which takes it) never sees a block without its size
                heap.set(LONG, block + ObjectHeaderDescriptor.META_OFFSET, ObjectHeaderDescriptor.meta(typeId, payloadBytes));
                starts.add(block); // before the count is published: whoever gets the offset sees the bit
            }
        } finally {
            lock.unlock();
        }
        if (next != null) { // retired while this thread waited for the lock: the successor owns the space now
            return next.allocate(typeId, payloadBytes);
        }
        try {
            if (reused && payloadBytes > 0) {
                heap.asSlice(block + ObjectHeaderDescriptor.LENGTH, payloadBytes).fill((byte) 0);
            }
            COUNT.setRelease(heap, block + ObjectHeaderDescriptor.REFERENCE_COUNT_OFFSET, 1L);
        } finally {
            inFlight.getAndDecrement();
        }
        return block;
    }

    /**
     * Puts the block of an object whose count has dropped to zero back on its free list.
     *
     * @param objectOffset the object's offset, bytes from the start of the file
     * @throws ReferenceCountException if no live block of this allocator starts there (nothing
     *                                 is changed): a block is freed only from its start, once
     */
    public void free(long objectOffset) {
        long meta = heap.get(LONG, objectOffset + ObjectHeaderDescriptor.META_OFFSET);
        long blockBytes = ObjectHeaderDescriptor.blockBytes(meta);
        lock.lock();
        try {
            if (!starts.remove(objectOffset)) {
                throw new ReferenceCountException(file, objectOffset, ObjectHeaderDescriptor.typeId(meta),
                        heap.get(LONG, objectOffset), "free of an offset that heads no live block of the allocator"
                        + " (a word inside an object, or a block freed twice); nothing was freed");
            }
            if (successor != null) { // freed while a freeze retired this heap: a hole in the frozen region, never reused
                return;
            }
            liveObjects--;
            liveBytes -= blockBytes;
            if (!reuseAfterCommit || blockBytes < SizeClasses.MIN_FREE_LIST_BLOCK_BYTES) {
                release(objectOffset, blockBytes); // at once (a block too small for a list is wasted)
            } else {
                freeBytes += blockBytes; // free, though not yet reusable (see the class comment)
                freedSinceCommit.add(objectOffset, blockBytes);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Tells the allocator that a commit is durable: the blocks freed before it become reusable
     * (the commit describes none of them as live). Call with allocation stopped, after the
     * commit slot is synced.
     */
    public void committed() {
        lock.lock();
        try {
            freedSinceCommit.drainInto(this);
        } finally {
            lock.unlock();
        }
    }

    /** Freed blocks not yet on a free list: offsets and sizes on the Java heap, nothing written to the blocks. */
    private static final class Pending {
        private long[] offsets = new long[16];
        private long[] bytes = new long[16];
        private int size;
        private long totalBytes;

        void add(long offset, long blockBytes) {
            totalBytes += blockBytes;
            if (size == offsets.length) {
                offsets = java.util.Arrays.copyOf(offsets, size * 2);
                bytes = java.util.Arrays.copyOf(bytes, size * 2);
            }
            offsets[size] = offset;
            bytes[size++] = blockBytes;
        }

        /** Puts every block on its free list (their bytes are already counted free) and empties this list. */
        void drainInto(Allocator allocator) {
            for (int i = 0; i < size; i++) {
                allocator.freeBytes -= bytes[i];
                allocator.release(offsets[i], bytes[i]);
            }
            size = 0;
            totalBytes = 0;
            if (offsets.length > 1024) { // a burst of frees: do not keep its arrays for ever
                offsets = new long[16];
                bytes = new long[16];
            }
        }
    }

    /** {@return the allocator's state, consistent at one instant; blocks freed but not yet reusable count as free} */
    public Snapshot snapshot() {
        lock.lock();
        try {
            return new Snapshot(bumpOffset, freeHeads.clone(), liveObjects, liveBytes, freeBytes, wastedBytes);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@return the state a commit records: as {@link #snapshot}, but blocks freed and not yet
     * reusable count as wasted, so that the free bytes are exactly the free lists' bytes}
     */
    public Snapshot commitSnapshot() {
        lock.lock();
        try {
            long pending = freedSinceCommit.totalBytes;
            return new Snapshot(bumpOffset, freeHeads.clone(), liveObjects, liveBytes, freeBytes - pending,
                    wastedBytes + pending);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Retires this allocator in favour of another (a freeze, which hands the space above the
     * frozen boundary to a new allocator): a thread that was waiting for this allocator's lock
     * allocates from the successor instead, and a block freed here afterwards is dropped.
     * Call with allocation stopped ({@link #whileStopped}).
     *
     * @param next the allocator that takes over
     */
    public void retire(Allocator next) {
        lock.lock();
        try {
            successor = next;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs an action with allocation stopped, on a consistent state (commit and freeze).
     *
     * @param action what to run
     */
    public void whileStopped(Runnable action) {
        lock.lock();
        try {
            while (inFlight.get() != 0) { // a few stores away from done: they need no lock to finish
                Thread.onSpinWait();
            }
            action.run();
        } finally {
            lock.unlock();
        }
    }

    private long pop(int sizeClass) {
        long block = freeHeads[sizeClass];
        if (block != 0) {
            long next = heap.get(LONG, block + ObjectHeaderDescriptor.FREE_NEXT_OFFSET);
            freeHeads[sizeClass] = next;
            if (next == 0) {
                nonEmptyClasses[sizeClass >>> 6] &= ~(1L << sizeClass);
            }
            freeBytes -= SizeClasses.sizeOf(sizeClass);
        }
        return block;
    }

    /**
     * Pops a block of a large class. The block is page-aligned: a misaligned one, which only an
     * older build put on the list, is cut up by {@link #carve} and the next one is tried.
     */
    private long popPageAligned(int sizeClass) {
        long block;
        while ((block = pop(sizeClass)) != 0 && !StoreFormat.isPageAligned(block)) {
            carve(block, block + SizeClasses.sizeOf(sizeClass)); // its large pieces go to smaller classes
        }
        return block;
    }

    private long bump(long blockBytes) {
        long start = blockBytes >= SizeClasses.LARGE_BLOCK_BYTES ? StoreFormat.alignToPage(bumpOffset) : bumpOffset;
        long end = start + blockBytes;
        if (end > limitOffset || end < start) {
            return 0;
        }
        if (end > reservedOffset) {
            long want = Math.clamp(bumpOffset / 8, MIN_RESERVE_BYTES, MAX_RESERVE_BYTES);
            long needed = StoreFormat.alignToPage(end);
            long to = Math.min(limitOffset, StoreFormat.alignToPage(Math.max(end, reservedOffset + want)));
            try {
                reserver.reserve(reservedOffset, to);
            } catch (StoreFullException e) {
                if (to == needed) {
                    throw e;
                }
                // no room for a whole chunk ahead: reserve only the pages this block needs, so the
                // store fills the disk up instead of failing a chunk short of it
                to = needed;
                reserver.reserve(reservedOffset, to);
            }
            reservedOffset = to;
        }
        carve(bumpOffset, start);
        bumpOffset = end;
        return start;
    }

    private long split(int sizeClass, long blockBytes) {
        boolean large = blockBytes >= SizeClasses.LARGE_BLOCK_BYTES;
        for (int c = nextNonEmpty(sizeClass + 1); c >= 0; c = nextNonEmpty(c + 1)) {
            if (large && !StoreFormat.isPageAligned(freeHeads[c])) {
                continue;
            }
            long block = pop(c);
            carve(block + blockBytes, block + SizeClasses.sizeOf(c));
            return block;
        }
        return 0;
    }

    /**
     * Turns {@code [from, to)} into free blocks of class sizes, largest first, except that a large
     * block only starts on a page boundary: before one, the range up to that boundary is cut
     * into small blocks.
     */
    private void carve(long from, long to) {
        while (from < to) {
            long size = SizeClasses.largestSizeAtMost(to - from);
            if (size >= SizeClasses.LARGE_BLOCK_BYTES && !StoreFormat.isPageAligned(from)) {
                size = SizeClasses.largestSizeAtMost(StoreFormat.alignToPage(from) - from);
            }
            heap.set(LONG, from + ObjectHeaderDescriptor.REFERENCE_COUNT_OFFSET, ObjectHeaderDescriptor.FREE_COUNT);
            heap.set(LONG, from + ObjectHeaderDescriptor.META_OFFSET,
                    ObjectHeaderDescriptor.meta(TypeIds.RAW, size - ObjectHeaderDescriptor.LENGTH));
            release(from, size);
            from += size;
        }
    }

    private void release(long block, long blockBytes) {
        if (blockBytes < SizeClasses.MIN_FREE_LIST_BLOCK_BYTES) {
            wastedBytes += blockBytes;
            return;
        }
        int sizeClass = SizeClasses.classOf(blockBytes);
        heap.set(LONG, block + ObjectHeaderDescriptor.FREE_NEXT_OFFSET, freeHeads[sizeClass]);
        freeHeads[sizeClass] = block;
        nonEmptyClasses[sizeClass >>> 6] |= 1L << sizeClass;
        freeBytes += blockBytes;
    }

    private int nextNonEmpty(int fromClass) {
        for (int word = fromClass >>> 6; word < nonEmptyClasses.length; word++) {
            long bits = nonEmptyClasses[word];
            if (word == fromClass >>> 6) {
                bits &= -1L << fromClass;
            }
            if (bits != 0) {
                return (word << 6) + Long.numberOfTrailingZeros(bits);
            }
        }
        return -1;
    }
}
