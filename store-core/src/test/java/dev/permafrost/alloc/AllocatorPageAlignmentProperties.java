package dev.permafrost.alloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.permafrost.error.StoreFullException;
import dev.permafrost.layout.HeapWalker;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.SizeClasses;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.TypeIds;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * The allocator's promise in {@code docs/FORMAT.md}: a block of
 * {@link SizeClasses#LARGE_BLOCK_BYTES} or more starts on a page boundary, so a large object
 * never shares a page with small ones. It must hold when the mapping is used up and
 * allocations split free blocks, which is where it used to break: the rest of a split was
 * carved from its start, largest piece first, so a large free block could start anywhere, and
 * the next large allocation of its class got it.
 */
class AllocatorPageAlignmentProperties {
    private static final Path FILE = Path.of("alignment-test.pf");
    private static final long HEAP_START = StoreFormat.HEAP_START_OFFSET;
    private static final long PAGE = StoreFormat.PAGE_SIZE;
    /** Block sizes of large objects the operations ask for: the first large classes and some above them. */
    private static final long[] LARGE_BLOCKS = {64 << 10, 72 << 10, 80 << 10, 120 << 10, 128 << 10, 144 << 10, 256 << 10};

    private static Allocator emptyHeap(MemorySegment heap, long limitOffset, boolean reuseAfterCommit) {
        return new Allocator(heap, FILE, new Allocator.Snapshot(HEAP_START, new long[SizeClasses.COUNT], 0, 0, 0, 0),
                limitOffset, Allocator.SpaceReserver.NONE, BlockStarts.map(limitOffset, FILE), reuseAfterCommit);
    }

    /**
     * Random allocations (small, medium, large), frees and commits on a heap of a few pages to
     * a few MiB, so that it fills up and allocations split free blocks of every size: every
     * large object handed out is page-aligned, and at the end every large block of the heap
     * (live or free) starts on a page, every free list of a large class holds only page-aligned
     * blocks of its class, and the counts add up to the heap.
     */
    @Property(tries = 300)
    void everyLargeBlockStartsOnAPageEvenWhenTheHeapIsFullAndSplit(
            @ForAll @IntRange(min = 17, max = 800) int heapPages,
            @ForAll boolean reuseAfterCommit,
            @ForAll @Size(min = 1, max = 400) List<@LongRange(min = 0, max = 1L << 40) Long> operations) {
        long limit = HEAP_START + heapPages * PAGE;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment heap = arena.allocate(limit, 16);
            Allocator allocator = emptyHeap(heap, limit, reuseAfterCommit);
            List<Long> live = new ArrayList<>();
            for (long op : operations) {
                int kind = (int) (op & 15);
                long param = op >>> 4;
                if (kind >= 9 && kind <= 12) {
                    if (!live.isEmpty()) {
                        release(heap, allocator, live.remove((int) (param % live.size())));
                    }
                } else if (kind == 13) {
                    allocator.committed();
                } else if (kind >= 14) { // a burst of small objects: once the heap is full, they split larger free blocks
                    long payload = param % 256;
                    for (long n = 1 + (param >>> 8) % 2000; n > 0 && allocate(allocator, payload, live); n--) {
                        // until the burst ends or the heap has no room left
                    }
                } else {
                    long payload;
                    if (kind <= 4) {
                        payload = param % 1024;
                    } else if (kind <= 7) {
                        long block = LARGE_BLOCKS[(int) (param % LARGE_BLOCKS.length)];
                        payload = block - ObjectHeaderDescriptor.LENGTH - 16 * (param / LARGE_BLOCKS.length % 3);
                    } else {
                        payload = 1024 + param % 60_000;
                    }
                    allocate(allocator, payload, live);
                }
                assertLargeFreeListsArePageAligned(heap, allocator.snapshot());
            }
            assertHeapKeepsThePromise(heap, allocator.snapshot());
        }
    }

    /**
     * The case that broke: a full heap, a freed 128 KiB block, a small allocation that splits
     * it. The rest of the block is cut into small blocks up to the next page and a 120 KiB
     * block from there, which the next 120 KiB allocation gets.
     */
    @Example
    void theRestOfASplitLargeBlockKeepsItsLargePieceOnAPage() {
        try (Arena arena = Arena.ofConfined()) {
            long largeBlock = 128 << 10;
            long limit = HEAP_START + largeBlock;
            MemorySegment heap = arena.allocate(limit, 16);
            Allocator allocator = emptyHeap(heap, limit, false);
            long large = allocator.allocate(TypeIds.RAW, largeBlock - ObjectHeaderDescriptor.LENGTH);
            assertThat(large).isEqualTo(HEAP_START);
            release(heap, allocator, large);
            long small = allocator.allocate(TypeIds.RAW, 32); // the heap is full: it splits the freed block
            assertThat(small).isEqualTo(large);
            long rest = allocator.allocate(TypeIds.RAW, (120 << 10) - ObjectHeaderDescriptor.LENGTH);
            assertThat(rest).as("the 120 KiB piece of the rest starts on the page after the small object")
                    .isEqualTo(large + PAGE);
            assertHeapKeepsThePromise(heap, allocator.snapshot());
        }
    }

    /**
     * A store an older build wrote may hold a misaligned large free block on a list. An
     * allocation of its class does not get it: the block is cut into smaller free blocks
     * (small ones up to the page boundary), and with no other room the allocation fails.
     */
    @Example
    void aMisalignedLargeFreeBlockFromAnOlderBuildIsCutUpNotHandedOut() {
        try (Arena arena = Arena.ofConfined()) {
            long blockBytes = SizeClasses.LARGE_BLOCK_BYTES;
            long misaligned = HEAP_START + 16;
            long limit = misaligned + blockBytes;
            MemorySegment heap = arena.allocate(limit, 16);
            // a 16-byte filler, then the free 64 KiB block, alone on its list
            heap.set(StoreFormat.LONG, HEAP_START + ObjectHeaderDescriptor.META_OFFSET, ObjectHeaderDescriptor.meta(TypeIds.RAW, 0));
            heap.set(StoreFormat.LONG, misaligned + ObjectHeaderDescriptor.META_OFFSET,
                    ObjectHeaderDescriptor.meta(TypeIds.RAW, blockBytes - ObjectHeaderDescriptor.LENGTH));
            long[] heads = new long[SizeClasses.COUNT];
            heads[SizeClasses.classOf(blockBytes)] = misaligned;
            Allocator allocator = new Allocator(heap, FILE, new Allocator.Snapshot(limit, heads, 0, 0, blockBytes, 16),
                    limit, Allocator.SpaceReserver.NONE, BlockStarts.map(limit, FILE), false);

            assertThatThrownBy(() -> allocator.allocate(TypeIds.RAW, blockBytes - ObjectHeaderDescriptor.LENGTH))
                    .isInstanceOf(StoreFullException.class);
            Allocator.Snapshot after = allocator.snapshot();
            assertThat(after.freeHeads()[SizeClasses.classOf(blockBytes)]).as("the misaligned block left its list").isZero();
            assertHeapKeepsThePromise(heap, after);
            long small = allocator.allocate(TypeIds.RAW, 100);
            assertThat(small).as("its pieces are free blocks").isBetween(misaligned, limit - 1);
        }
    }

    /** Allocates, checks that a large object starts on a page, and records it; false if the heap is full. */
    private static boolean allocate(Allocator allocator, long payload, List<Long> live) {
        long object;
        try {
            object = allocator.allocate(TypeIds.RAW, payload);
        } catch (StoreFullException full) {
            return false;
        }
        live.add(object);
        if (SizeClasses.blockBytes(payload) >= SizeClasses.LARGE_BLOCK_BYTES) {
            assertThat(StoreFormat.isPageAligned(object))
                    .as("large object of %d bytes at 0x%x starts on a page", payload, object).isTrue();
        }
        return true;
    }

    /** Drops an object's count to 0, as the last release does, and frees its block. */
    private static void release(MemorySegment heap, Allocator allocator, long object) {
        heap.set(StoreFormat.LONG, object + ObjectHeaderDescriptor.REFERENCE_COUNT_OFFSET, ObjectHeaderDescriptor.FREE_COUNT);
        allocator.free(object);
    }

    /** Every large block of the heap starts on a page; large free lists hold page-aligned blocks of their class; the counts add up. */
    private static void assertHeapKeepsThePromise(MemorySegment heap, Allocator.Snapshot state) {
        long[] total = {0};
        HeapWalker.walk(heap, HEAP_START, state.bumpOffset(), FILE, (offset, count, meta, blockBytes) -> {
            if (blockBytes >= SizeClasses.LARGE_BLOCK_BYTES) {
                assertThat(StoreFormat.isPageAligned(offset))
                        .as("%s block of %d bytes at 0x%x starts on a page", count == 0 ? "free" : "live", blockBytes, offset).isTrue();
            }
            total[0] += blockBytes;
            return true;
        });
        assertThat(total[0]).as("blocks tile the heap").isEqualTo(state.bumpOffset() - HEAP_START);
        assertLargeFreeListsArePageAligned(heap, state);
        assertThat(state.liveBytes() + state.freeBytes() + state.wastedBytes()).as("live, free and wasted bytes add up to the heap")
                .isEqualTo(state.bumpOffset() - HEAP_START);
    }

    /** Every free list of a large class holds free, page-aligned blocks of its class. */
    private static void assertLargeFreeListsArePageAligned(MemorySegment heap, Allocator.Snapshot state) {
        for (int c = SizeClasses.classOf(SizeClasses.LARGE_BLOCK_BYTES); c < SizeClasses.COUNT; c++) {
            for (long block = state.freeHeads()[c]; block != 0;
                 block = heap.get(StoreFormat.LONG, block + ObjectHeaderDescriptor.FREE_NEXT_OFFSET)) {
                assertThat(StoreFormat.isPageAligned(block)).as("free block 0x%x of class %d starts on a page", block, c).isTrue();
                assertThat(heap.get(StoreFormat.LONG, block)).isZero();
                assertThat(ObjectHeaderDescriptor.blockBytes(heap.get(StoreFormat.LONG, block + ObjectHeaderDescriptor.META_OFFSET)))
                        .isEqualTo(SizeClasses.sizeOf(c));
            }
        }
    }
}
