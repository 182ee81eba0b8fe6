package dev.permafrost.layout;

import static dev.permafrost.layout.StoreFormat.LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.permafrost.error.CorruptStoreException;
import dev.permafrost.error.PermafrostException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Walks a heap built by hand the way the allocator lays one out. */
class HeapWalkerTest {
    private static final Path FILE = Path.of("/stores/walk.pf");
    private static final long START = StoreFormat.HEAP_START_OFFSET;

    /** What the walker reported for one block. */
    private record Block(long offset, long count, long meta, long blockBytes) {
    }

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment memory = arena.allocate(128 * 1024, StoreFormat.PAGE_SIZE);
    private final List<Block> built = new ArrayList<>();
    private long bump = START;

    @BeforeEach
    void buildAHeap() {
        put(1, ObjectHeaderDescriptor.meta(TypeIds.RAW, 0));                             // header only: 16 bytes
        put(3, ObjectHeaderDescriptor.meta(TypeIds.FIRST_USER_TYPE_ID, 100));            // 128 bytes
        put(ObjectHeaderDescriptor.FREE_COUNT, ObjectHeaderDescriptor.meta(TypeIds.RAW, 16)); // free, 32 bytes
        put(ObjectHeaderDescriptor.IMMORTAL_COUNT, ObjectHeaderDescriptor.meta(TypeIds.ROOT_TABLE, 1000)); // 1024 bytes
        put(ObjectHeaderDescriptor.FREE_COUNT, ObjectHeaderDescriptor.meta(TypeIds.RAW, 0)); // a 16-byte filler
        // a large block starts on a page: the gap before it is carved into class-sized free blocks
        long page = StoreFormat.alignToPage(bump);
        while (bump < page) {
            long size = SizeClasses.largestSizeAtMost(page - bump);
            put(ObjectHeaderDescriptor.FREE_COUNT, ObjectHeaderDescriptor.meta(TypeIds.RAW, size - ObjectHeaderDescriptor.LENGTH));
        }
        put(2, ObjectHeaderDescriptor.meta(TypeIds.FIRST_USER_TYPE_ID + 1, SizeClasses.LARGE_BLOCK_BYTES - ObjectHeaderDescriptor.LENGTH));
        put(1, ObjectHeaderDescriptor.meta(TypeIds.RAW, 40));                            // 64 bytes after it
    }

    @AfterEach
    void free() {
        arena.close();
    }

    @Test
    void walksEveryBlockInAddressOrderUpToTheBumpOffset() {
        List<Block> seen = walk(START, bump);
        assertThat(seen).containsExactlyElementsOf(built);
        assertThat(seen).hasSizeGreaterThan(7);
        assertThat(seen.get(1).blockBytes()).isEqualTo(128);
        assertThat(seen.get(3).blockBytes()).isEqualTo(1024);
        Block large = seen.get(seen.size() - 2);
        assertThat(large.blockBytes()).isEqualTo(SizeClasses.LARGE_BLOCK_BYTES);
        assertThat(StoreFormat.isPageAligned(large.offset())).isTrue();
    }

    @Test
    void stopsWhenTheVisitorSaysSo() {
        List<Long> offsets = new ArrayList<>();
        HeapWalker.walk(memory, START, bump, FILE, (offset, count, meta, blockBytes) -> {
            offsets.add(offset);
            return offsets.size() < 3;
        });
        assertThat(offsets).containsExactly(built.get(0).offset(), built.get(1).offset(), built.get(2).offset());
    }

    @Test
    void anEmptyHeapHasNoBlocks() {
        assertThat(walk(START, START)).isEmpty();
    }

    @Test
    void aHeaderWithTypeIdZeroIsCorruptAtItsOffset() {
        long third = built.get(2).offset();
        memory.set(LONG, third + ObjectHeaderDescriptor.META_OFFSET, ObjectHeaderDescriptor.meta(TypeIds.INVALID, 16));
        assertThatThrownBy(() -> walk(START, bump)).isExactlyInstanceOf(CorruptStoreException.class)
                .hasMessageContaining("type id 0").hasMessageContaining(FILE.toString())
                .extracting(e -> ((PermafrostException) e).offset()).isEqualTo(third);
    }

    @Test
    void neverWrittenSpaceBelowTheBumpOffsetIsCorruptAtItsFirstByte() {
        long end = bump + 4 * StoreFormat.PAGE_SIZE; // a bump offset that claims zeros
        assertThatThrownBy(() -> walk(START, end)).isExactlyInstanceOf(CorruptStoreException.class)
                .extracting(e -> ((PermafrostException) e).offset()).isEqualTo(bump);
    }

    @Test
    void aBlockRunningPastTheBumpOffsetIsCorruptAtItsOffset() {
        Block immortal = built.get(3);
        long end = immortal.offset() + immortal.blockBytes() - 16;
        List<Long> visited = new ArrayList<>();
        assertThatThrownBy(() -> HeapWalker.walk(memory, START, end, FILE, (offset, count, meta, blockBytes) -> visited.add(offset)))
                .isExactlyInstanceOf(CorruptStoreException.class).hasMessageContaining("runs past the bump offset")
                .extracting(e -> ((PermafrostException) e).offset()).isEqualTo(immortal.offset());
        assertThat(visited).as("blocks before the bad one are visited, the bad one is not").hasSize(3);
    }

    @Test
    void aHugePayloadLengthIsCaughtWithoutReadingPastTheHeap() {
        long second = built.get(1).offset();
        memory.set(LONG, second + ObjectHeaderDescriptor.META_OFFSET,
                ObjectHeaderDescriptor.meta(TypeIds.RAW, ObjectHeaderDescriptor.MAX_PAYLOAD_BYTES));
        assertThatThrownBy(() -> walk(START, bump)).isExactlyInstanceOf(CorruptStoreException.class)
                .extracting(e -> ((PermafrostException) e).offset()).isEqualTo(second);
    }

    @Test
    void aResynchronisingWalkReportsADamagedHeaderAsARangeAndGoesOnAtTheNextBlock() {
        Block second = built.get(1);
        memory.set(LONG, second.offset() + ObjectHeaderDescriptor.META_OFFSET, ObjectHeaderDescriptor.meta(TypeIds.INVALID, 100));
        List<long[]> ranges = new ArrayList<>();
        List<Block> seen = new ArrayList<>();
        HeapWalker.walkResynchronising(memory, START, bump, HeapWalker.LAYOUT_RULES,
                (offset, count, meta, blockBytes) -> seen.add(new Block(offset, count, meta, blockBytes)),
                (from, to, what) -> {
                    ranges.add(new long[] {from, to});
                    assertThat(what).startsWith("type id 0");
                });
        assertThat(ranges).containsExactly(new long[] {second.offset(), second.offset() + second.blockBytes()});
        List<Block> rest = new ArrayList<>(built);
        rest.remove(1);
        assertThat(seen).containsExactlyElementsOf(rest);
    }

    @Test
    void neverWrittenSpaceBelowTheBumpOffsetIsOneRangeUpToIt() {
        long end = bump + 4 * StoreFormat.PAGE_SIZE;
        List<long[]> ranges = new ArrayList<>();
        List<Long> seen = new ArrayList<>();
        HeapWalker.walkResynchronising(memory, START, end, HeapWalker.LAYOUT_RULES,
                (offset, count, meta, blockBytes) -> seen.add(offset), (from, to, what) -> ranges.add(new long[] {from, to}));
        assertThat(ranges).containsExactly(new long[] {bump, end});
        assertThat(seen).hasSize(built.size());
    }

    @Test
    void aRestartNeedsAChainOfPlausibleHeaders() {
        // a lone plausible header inside zeros is not enough: the chain after it must hold up
        long end = bump + 4 * StoreFormat.PAGE_SIZE;
        long lone = bump + 256;
        memory.set(LONG, lone + ObjectHeaderDescriptor.META_OFFSET, ObjectHeaderDescriptor.meta(TypeIds.RAW, 16));
        assertThat(HeapWalker.restartOffset(memory, bump, end, HeapWalker.LAYOUT_RULES)).isEqualTo(end);
        // a chain of CONFIRM_BLOCKS + 1 plausible blocks is
        for (int i = 1; i <= HeapWalker.CONFIRM_BLOCKS; i++) {
            memory.set(LONG, lone + 32L * i + ObjectHeaderDescriptor.META_OFFSET, ObjectHeaderDescriptor.meta(TypeIds.RAW, 16));
        }
        assertThat(HeapWalker.restartOffset(memory, bump, end, HeapWalker.LAYOUT_RULES)).isEqualTo(lone);
        // and a chain that reaches the bump offset exactly needs no more blocks
        assertThat(HeapWalker.restartOffset(memory, bump, lone + 32, HeapWalker.LAYOUT_RULES)).isEqualTo(lone);
    }

    private List<Block> walk(long from, long to) {
        List<Block> seen = new ArrayList<>();
        HeapWalker.walk(memory, from, to, FILE, (offset, count, meta, blockBytes) -> seen.add(new Block(offset, count, meta, blockBytes)));
        return seen;
    }

    private void put(long count, long meta) {
        long blockBytes = ObjectHeaderDescriptor.blockBytes(meta);
        memory.set(LONG, bump + ObjectHeaderDescriptor.REFERENCE_COUNT_OFFSET, count);
        memory.set(LONG, bump + ObjectHeaderDescriptor.META_OFFSET, meta);
        built.add(new Block(bump, count, meta, blockBytes));
        bump += blockBytes;
    }
}
